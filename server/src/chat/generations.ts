// The generation runner: each reply is an in-process job, independent of any HTTP connection.
// Deltas go to an in-memory event log with sequential ids (what SSE resumes from), to the owner's
// WebSocket connections, and to the database at least every 500 ms and at the end.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/index.js'
import type { Model } from '../db/schema.js'
import { tooManyRequests } from '../lib/problem.js'
import type { Invocation, ModelInvoker } from '../models/invoker.js'
import type { ChatRequest } from '../providers/types.js'
import type { EventBus } from '../realtime/bus.js'
import { type GenerationOutcome, INTERRUPTED, saveOutcome } from './generation-store.js'
import { ReplyTextFlusher } from './reply-text-flusher.js'

/** How long a finished job's log stays in memory for clients that reconnect. */
const FINISHED_TTL_MS = 60_000

export interface GenerationSpec {
  id: string
  messageId: string
  conversationId: string
  userId: string
  caller: Invocation['caller']
  model: Model
  request: Omit<ChatRequest, 'model'>
  /** Text the message already has (a continued reply). */
  prefix: string
  contextTrimmed: number
}

export type StreamEvent =
  | { type: 'delta'; seq: number; text: string }
  | { type: 'done'; seq: number; outcome: GenerationOutcome }

export interface Subscription {
  /** The text so far, when the client cannot resume from the id it gave. */
  snapshot: { seq: number; text: string } | null
  /** Events the client has not seen yet, in order. */
  backlog: StreamEvent[]
  unsubscribe(): void
}

/** One running (or recently finished) reply. */
export class LiveGeneration {
  readonly deltas: string[] = []
  text: string
  outcome: GenerationOutcome | null = null
  stopReason: 'user' | 'shutdown' | null = null
  readonly controller = new AbortController()
  private readonly listeners = new Set<(event: StreamEvent) => void>()

  constructor(readonly spec: GenerationSpec) {
    this.text = spec.prefix
  }

  get seq(): number {
    return this.deltas.length
  }

  append(text: string): StreamEvent {
    this.deltas.push(text)
    this.text += text
    return this.emit({ type: 'delta', seq: this.seq, text })
  }

  finish(outcome: GenerationOutcome): StreamEvent {
    this.outcome = outcome
    const event = this.emit({ type: 'done', seq: this.seq + 1, outcome })
    this.listeners.clear()
    return event
  }

  /** Events after `afterSeq` (or a snapshot when it is unknown or out of range), then live ones. */
  subscribe(afterSeq: number | null, listener: (event: StreamEvent) => void): Subscription {
    const doneSeq = this.outcome ? this.seq + 1 : null
    const last = doneSeq ?? this.seq
    const resumable = afterSeq !== null && afterSeq >= 0 && afterSeq <= last
    const from = resumable ? Math.min(afterSeq, this.seq) : this.seq
    const backlog: StreamEvent[] = this.deltas
      .slice(from)
      .map((text, i) => ({ type: 'delta', seq: from + i + 1, text }))
    if (this.outcome) backlog.push({ type: 'done', seq: this.seq + 1, outcome: this.outcome })
    if (!this.outcome) this.listeners.add(listener)
    return {
      snapshot: resumable ? null : { seq: this.seq, text: this.text },
      backlog,
      unsubscribe: () => this.listeners.delete(listener),
    }
  }

  private emit(event: StreamEvent): StreamEvent {
    for (const listener of this.listeners) listener(event)
    return event
  }
}

export interface Reservation {
  release(): void
}

export interface RunnerDeps {
  db: Db
  invoker: ModelInvoker
  bus: EventBus
  log: FastifyBaseLogger
  maxPerUser: number
  onFinished?: (spec: GenerationSpec, outcome: GenerationOutcome) => void
}

export class GenerationRunner {
  private readonly live = new Map<string, LiveGeneration>()
  private readonly byMessage = new Map<string, LiveGeneration>()
  private readonly reserved = new Map<string, number>()
  private readonly running = new Set<Promise<void>>()
  private readonly texts: ReplyTextFlusher

  constructor(private readonly deps: RunnerDeps) {
    this.texts = new ReplyTextFlusher(deps.db, deps.log)
  }

  /** Holds one of the user's concurrent slots until `start` (or `release`); 429 when none is free. */
  reserve(userId: string): Reservation {
    const active = [...this.live.values()].filter((g) => g.spec.userId === userId && !g.outcome).length
    const pending = this.reserved.get(userId) ?? 0
    const max = this.deps.maxPerUser
    if (active + pending >= max) {
      throw tooManyRequests(
        5,
        `You already have ${max} ${max === 1 ? 'reply' : 'replies'} being written; wait for one to finish or stop it`,
      )
    }
    this.reserved.set(userId, pending + 1)
    let held = true
    return {
      release: () => {
        if (!held) return
        held = false
        const left = (this.reserved.get(userId) ?? 1) - 1
        if (left > 0) this.reserved.set(userId, left)
        else this.reserved.delete(userId)
      },
    }
  }

  start(spec: GenerationSpec, reservation: Reservation): LiveGeneration {
    const generation = new LiveGeneration(spec)
    this.live.set(spec.id, generation)
    this.byMessage.set(spec.messageId, generation)
    reservation.release()
    const run = this.run(generation)
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, generationId: spec.id }, 'generation failed'),
      )
      .finally(() => this.running.delete(run))
    this.running.add(run)
    return generation
  }

  get(id: string): LiveGeneration | undefined {
    return this.live.get(id)
  }

  /** The job writing this message now, if any. */
  writing(messageId: string): LiveGeneration | undefined {
    const generation = this.byMessage.get(messageId)
    return generation && !generation.outcome ? generation : undefined
  }

  /** Jobs still writing in this conversation. */
  activeIn(conversationId: string): LiveGeneration[] {
    return [...this.live.values()].filter((g) => g.spec.conversationId === conversationId && !g.outcome)
  }

  /** Aborts the upstream request and resolves once the outcome is stored. */
  async stop(id: string, reason: 'user' | 'shutdown' = 'user'): Promise<GenerationOutcome | null> {
    const generation = this.live.get(id)
    if (!generation) return null
    if (!generation.outcome) {
      generation.stopReason ??= reason
      generation.controller.abort()
      await this.finished(generation)
    }
    return generation.outcome
  }

  async shutdown(): Promise<void> {
    const pending = [...this.live.values()].filter((g) => !g.outcome)
    await Promise.all(pending.map((g) => this.stop(g.spec.id, 'shutdown')))
    await Promise.all([...this.running])
    await this.texts.close()
  }

  private finished(generation: LiveGeneration): Promise<void> {
    if (generation.outcome) return Promise.resolve()
    return new Promise((resolve) => {
      const { unsubscribe } = generation.subscribe(generation.seq, (event) => {
        if (event.type === 'done') resolve()
      })
      if (generation.outcome) {
        unsubscribe()
        resolve()
      }
    })
  }

  private async run(generation: LiveGeneration): Promise<void> {
    const { spec } = generation
    const { db, bus, log } = this.deps
    const publish = (event: Record<string, unknown> & { type: string }) =>
      bus
        .publish(spec.userId, event)
        .catch((error: unknown) => log.warn({ err: error }, 'bus publish failed'))
    const ids = { generationId: spec.id, conversationId: spec.conversationId, messageId: spec.messageId }
    void publish({ type: 'generation.started', ...ids })

    const onDelta = (raw: string) => {
      // A NUL character is never meaningful text, and PostgreSQL cannot store one (the whole
      // reply would fail to save): it is left out of the reply, streamed and stored alike.
      const text = raw.includes('\u0000') ? raw.replaceAll('\u0000', '') : raw
      if (!text) return
      const event = generation.append(text)
      // Deltas are the one high-rate event: built only when a connection may receive them.
      if (bus.reaches(spec.userId)) void publish({ type: 'generation.delta', ...ids, seq: event.seq, text })
      this.texts.changed(spec.messageId, generation)
    }

    const outcome = await this.invoke(generation, onDelta)
    await this.texts.settle(spec.messageId)
    try {
      await saveOutcome(db, { generationId: spec.id, messageId: spec.messageId }, outcome, generation.seq + 1)
    } catch (error) {
      log.error({ err: error, generationId: spec.id }, 'saving reply outcome failed')
    }
    const done = generation.finish(outcome)
    this.byMessage.delete(spec.messageId)
    const { text: _text, ...summary } = outcome
    void publish({ type: 'generation.done', ...ids, seq: done.seq, ...summary })
    setTimeout(() => this.live.delete(spec.id), FINISHED_TTL_MS).unref()
    this.deps.onFinished?.(spec, outcome)
  }

  /** Streams the reply from the model; never throws: failures become the `error` state. */
  private async invoke(
    generation: LiveGeneration,
    onDelta: (text: string) => void,
  ): Promise<GenerationOutcome> {
    const { spec, controller } = generation
    const started = performance.now()
    let ttftMs: number | null = null
    let inputTokens: number | null = null
    let outputTokens: number | null = null
    let error: string | null = null
    try {
      for await (const event of this.deps.invoker.chat({
        modelId: spec.model.id,
        request: spec.request,
        caller: spec.caller,
        source: 'chat',
        signal: controller.signal,
      })) {
        if (event.type === 'delta' && event.text) {
          ttftMs ??= Math.round(performance.now() - started)
          onDelta(event.text)
        } else if (event.type === 'usage') {
          inputTokens = event.inputTokens
          outputTokens = event.outputTokens
        } else if (event.type === 'error' && event.kind !== 'aborted') {
          error = event.message
        }
      }
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown)
    }
    const { model } = spec
    const cost =
      inputTokens === null && outputTokens === null
        ? null
        : ((inputTokens ?? 0) * model.price_input_per_mtok +
            (outputTokens ?? 0) * model.price_output_per_mtok) /
          1_000_000
    const aborted = controller.signal.aborted
    const interrupted = aborted && generation.stopReason === 'shutdown'
    return {
      state: interrupted ? 'interrupted' : aborted ? 'stopped' : error ? 'error' : 'complete',
      error: interrupted ? INTERRUPTED : aborted ? null : error,
      text: generation.text,
      usage: { inputTokens, outputTokens, ttftMs, durationMs: Math.round(performance.now() - started), cost },
      contextTrimmed: spec.contextTrimmed,
    }
  }
}
