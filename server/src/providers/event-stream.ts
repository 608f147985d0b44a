// Streaming POSTs for the adapters' hot path: node:http(s) over a keep-alive agent with Nagle
// off, and SSE parsed straight off the socket. fetch's web streams cost several times more per
// chunk, which shows at hundreds of concurrent streams.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'
import { createParser, type EventSourceMessage } from 'eventsource-parser'
import { type ErrorContext, fromHttpStatus, fromThrown, retryAfterMs } from './errors.js'
import { ProviderError } from './types.js'

/** Error bodies are read for their message only. */
const MAX_ERROR_BODY = 64 * 1024

export interface EventStreamRequest {
  /** Appended to the context's base URL, e.g. `/chat/completions`. */
  path: string
  headers: Record<string, string>
  body: unknown
  signal: AbortSignal
  /** Until the response headers arrive. */
  timeoutMs: number
}

function headerGetter(headers: IncomingHttpHeaders) {
  return {
    get: (name: string) => {
      const value = headers[name.toLowerCase()]
      return (Array.isArray(value) ? value[0] : value) ?? null
    },
  }
}

async function readText(res: IncomingMessage): Promise<string> {
  res.setEncoding('utf8')
  let text = ''
  for await (const chunk of res) {
    text += chunk as string
    if (text.length > MAX_ERROR_BODY) {
      res.destroy()
      break
    }
  }
  return text
}

/** The provider's own words: `{error: {message}}` or `{message}`, else the body as is. */
function detailOf(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } | string }
    const nested = typeof body.error === 'string' ? body.error : (body.error?.message ?? body.message)
    if (typeof nested === 'string' && nested) return nested
  } catch {
    // Not JSON: the text itself is the best detail there is.
  }
  return text.trim().slice(0, 500)
}

/** The events of a streamed reply, read as they arrive. */
export interface EventBatches {
  /**
   * The events that have arrived since the last call (waiting for at least one), or null at the
   * end of the reply: a consumer that falls behind gets several at once and can handle them as
   * one. Rejects with the socket's error, or when the reply is cut off.
   */
  next(): Promise<EventSourceMessage[] | null>
  /** Ends the request if the reply is not complete (a consumer that stops early). */
  close(): void
}

/** What a consumer that is busy elsewhere may leave unread before the socket is paused. */
const HIGH_WATER_MARK = 64 * 1024

/**
 * The socket's data goes straight into the SSE parser, and a waiting consumer is woken with what
 * it produced: one promise per read, where a stream's async iterator costs several (this is the
 * hot path of every streamed reply). Past 64 KB unread, the socket is paused, so a slow consumer
 * holds the upstream back instead of buffering its reply.
 */
function eventBatches(res: IncomingMessage): EventBatches {
  let events: EventSourceMessage[] = []
  /** Characters read since the consumer last took the events. */
  let pending = 0
  let ended = false
  let failure: unknown = null
  let waiter: {
    resolve: (batch: EventSourceMessage[] | null) => void
    reject: (error: unknown) => void
  } | null = null
  const parser = createParser({ onEvent: (event) => events.push(event) })

  /** Hands the waiting consumer what there is, if there is anything (events, the end or an error). */
  const settle = () => {
    const current = waiter
    if (!current) return
    if (events.length > 0) {
      waiter = null
      const batch = events
      events = []
      pending = 0
      current.resolve(batch)
    } else if (failure !== null) {
      waiter = null
      current.reject(failure)
    } else if (ended) {
      waiter = null
      current.resolve(null)
    }
  }

  res.setEncoding('utf8')
  res.on('data', (chunk: string) => {
    parser.feed(chunk)
    pending += chunk.length
    if (waiter) settle()
    else if (pending > HIGH_WATER_MARK) res.pause()
  })
  res.once('end', () => {
    ended = true
    settle()
  })
  res.on('error', (error) => {
    failure ??= error
    settle()
  })
  res.once('close', () => {
    // Closed before its end without an error of its own: a dropped connection all the same.
    if (!ended) failure ??= Object.assign(new Error('aborted'), { code: 'ECONNRESET' })
    settle()
  })

  return {
    next() {
      return new Promise((resolve, reject) => {
        waiter = { resolve, reject }
        settle()
        if (res.isPaused() && !ended) res.resume()
      })
    },
    close() {
      if (!ended) res.destroy()
    },
  }
}

export class EventStreamClient {
  private readonly agent: http.Agent
  private readonly request: typeof http.request

  constructor(private readonly ctx: ErrorContext) {
    const secure = new URL(ctx.baseUrl).protocol === 'https:'
    const options = { keepAlive: true, noDelay: true, scheduling: 'lifo' as const }
    this.agent = secure ? new https.Agent(options) : new http.Agent(options)
    this.request = secure ? https.request : http.request
  }

  /**
   * POSTs JSON and answers with the events of the SSE reply. Throws a ProviderError for an HTTP
   * error status or a reply that is not an event stream; socket errors and the caller's abort
   * come out of `next()` as they are (map them with `fromThrown`).
   */
  async post(call: EventStreamRequest): Promise<EventBatches> {
    const res = await this.open(call)
    const type = res.headers['content-type'] ?? ''
    try {
      if (res.statusCode === undefined || res.statusCode < 200 || res.statusCode >= 300) {
        const detail = detailOf(await readText(res))
        throw fromHttpStatus(this.ctx, res.statusCode ?? 0, detail, retryAfterMs(headerGetter(res.headers)))
      }
      if (type && !/json|event-stream/.test(type)) {
        throw new ProviderError(
          'bad_response',
          `${this.ctx.baseUrl} answered with ${type.split(';')[0]} instead of ${this.ctx.label}'s JSON: is the base URL right?`,
        )
      }
    } catch (error) {
      res.destroy()
      throw error
    }
    return eventBatches(res)
  }

  private open(call: EventStreamRequest): Promise<IncomingMessage> {
    const { signal } = call
    if (signal.aborted) return Promise.reject(signal.reason)
    const payload = JSON.stringify(call.body)
    return new Promise((resolve, reject) => {
      const req = this.request(`${this.ctx.baseUrl}${call.path}`, {
        method: 'POST',
        agent: this.agent,
        headers: {
          ...call.headers,
          accept: 'text/event-stream',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      })
      const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'))
      const timer = setTimeout(() => {
        const error = new Error(`no answer within ${call.timeoutMs} ms`)
        error.name = 'TimeoutError'
        req.destroy(error)
      }, call.timeoutMs)
      const settle = () => clearTimeout(timer)
      signal.addEventListener('abort', onAbort, { once: true })
      // Aborting mid-reply must end the response too, so the listener stays until the socket closes.
      req.once('close', () => {
        settle()
        signal.removeEventListener('abort', onAbort)
      })
      req.once('error', (error) => {
        settle()
        reject(fromThrown(this.ctx, error, signal))
      })
      req.once('response', (res) => {
        settle()
        resolve(res)
      })
      req.end(payload)
    })
  }
}
