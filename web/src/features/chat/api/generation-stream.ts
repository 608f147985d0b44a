// Follows one reply's generation over Server-Sent Events, through the API client (EventSource
// cannot send the Authorization header). The server sends `snapshot` (the text so far), then
// `delta`s with sequential ids, then `done`; a reconnect names the last id it has, so nothing is
// shown twice or lost. A gap in the ids (a missed event) reconnects from the last good one.
import type { EventSourceMessage } from 'eventsource-parser'
import { type ApiClient, ApiError } from '@/lib/api-client'
import type { MessageState, Usage } from '../types'

export interface ReplyStream {
  text: string
  /** Id of the last event the text includes; null when unknown (ask for a snapshot). */
  seq: number | null
  state: MessageState
  error: string | null
  usage: Usage | null
  contextTrimmed: number | null
  /** True once `done` arrived: `state` is final. */
  finished: boolean
}

export type StreamStep = 'applied' | 'ignored' | 'gap' | 'done'

export function initialStream(text: string, seq: number | null): ReplyStream {
  return { text, seq, state: 'streaming', error: null, usage: null, contextTrimmed: null, finished: false }
}

function parseData(data: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null
  } catch (error) {
    if (error instanceof SyntaxError) return null
    throw error
  }
}

const STATES: readonly MessageState[] = ['streaming', 'complete', 'stopped', 'error', 'interrupted']

function asState(value: unknown, fallback: MessageState): MessageState {
  return STATES.includes(value as MessageState) ? (value as MessageState) : fallback
}

/** One event applied to the reply (pure): what changed, and whether the stream is intact. */
export function applyStreamEvent(
  current: ReplyStream,
  event: Pick<EventSourceMessage, 'event' | 'id' | 'data'>,
): { next: ReplyStream; step: StreamStep } {
  const id = event.id !== undefined && /^\d+$/.test(event.id) ? Number(event.id) : null
  const data = parseData(event.data)
  if (id === null || data === null) return { next: current, step: 'ignored' }
  const last = current.seq ?? 0
  switch (event.event) {
    case 'snapshot':
      return {
        next: {
          ...current,
          text: typeof data.text === 'string' ? data.text : current.text,
          seq: id,
          state: asState(data.state, current.state),
        },
        step: 'applied',
      }
    case 'delta': {
      if (id <= last && current.seq !== null) return { next: current, step: 'ignored' }
      if (id !== last + 1) return { next: current, step: 'gap' }
      const text = typeof data.text === 'string' ? data.text : ''
      return { next: { ...current, text: current.text + text, seq: id }, step: 'applied' }
    }
    case 'done': {
      if (current.seq !== null && id > current.seq + 1) return { next: current, step: 'gap' }
      return {
        next: {
          ...current,
          seq: id,
          state: asState(data.state, 'complete'),
          error: typeof data.error === 'string' ? data.error : null,
          usage: (data.usage as Usage | null | undefined) ?? null,
          contextTrimmed: typeof data.contextTrimmed === 'number' ? data.contextTrimmed : null,
          finished: true,
        },
        step: 'done',
      }
    }
    default:
      return { next: current, step: 'ignored' }
  }
}

type ReadOutcome = 'done' | 'gap' | 'ended'

/** Reads one response's events until `done`, a gap, or the server closing the stream. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: EventSourceMessage) => 'done' | 'gap' | null,
  onRetry: (ms: number) => void,
): Promise<ReadOutcome> {
  let outcome: ReadOutcome | null = null
  // Loaded with the first reply followed, not with the chat page: the parser's bundle is shared
  // with the Markdown renderer, which the first paint of a conversation does not wait for.
  const { createParser } = await import('eventsource-parser')
  const parser = createParser({
    onEvent(event) {
      if (outcome === null) outcome = onEvent(event)
    },
    onRetry,
  })
  const reader = body.getReader()
  const decoder = new TextDecoder()
  try {
    while (outcome === null) {
      const { value, done } = await reader.read()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return outcome ?? 'ended'
}

export interface FollowOptions {
  api: ApiClient
  generationId: string
  initial: ReplyStream
  onChange: (stream: ReplyStream) => void
  signal: AbortSignal
  /** Consecutive failed connections before giving up (default 8). */
  maxFailures?: number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done)
  })
}

/** A refusal that reconnecting cannot fix (the reply is gone or not ours). */
function isFinalRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 429
}

/**
 * Follows the generation until it is done (resolves with the final reply) or `signal` aborts
 * (resolves with what arrived). Reconnects after drops with the last id it has; rejects when the
 * server refuses or after `maxFailures` failed connections in a row.
 */
export async function followGeneration(options: FollowOptions): Promise<ReplyStream> {
  const { api, generationId, onChange, signal } = options
  const sleep = options.sleep ?? abortableSleep
  const maxFailures = options.maxFailures ?? 8
  let current = options.initial
  let retryMs = 1000
  let failures = 0
  while (!signal.aborted) {
    const connection = new AbortController()
    const abort = () => connection.abort()
    signal.addEventListener('abort', abort)
    let outcome: ReadOutcome
    try {
      const response = await api.raw(`/generations/${encodeURIComponent(generationId)}/events`, {
        headers: current.seq !== null ? { 'last-event-id': String(current.seq) } : undefined,
        accept: 'text/event-stream',
        signal: connection.signal,
      })
      failures = 0
      if (!response.body) throw new Error('The reply stream has no body')
      outcome = await readEvents(
        response.body,
        (event) => {
          const { next, step } = applyStreamEvent(current, event)
          if (step === 'gap') return 'gap'
          if (step === 'ignored') return null
          current = next
          onChange(current)
          return step === 'done' ? 'done' : null
        },
        (ms) => {
          retryMs = ms
        },
      )
    } catch (error) {
      if (signal.aborted) break
      if (isFinalRefusal(error)) throw error
      failures += 1
      if (failures >= maxFailures) throw error
      await sleep(Math.min(10_000, 500 * 2 ** failures), signal)
      continue
    } finally {
      signal.removeEventListener('abort', abort)
      connection.abort()
    }
    if (outcome === 'done') return current
    // A gap reconnects at once from the last good id; a stream the server ended early (another
    // process is writing the reply, or the server is restarting) is asked again after `retry`.
    if (outcome === 'ended') await sleep(retryMs, signal)
  }
  return current
}
