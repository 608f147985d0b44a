// /v1/chat/completions: run the invoker (host selection, failover, usage row), fall back to the
// model's fallback model when the first fails before any token, then answer as one JSON object
// or as SSE chunks. Headers go out with the first token, so that a call that fails before it
// gets a real HTTP status. A client that goes away aborts the upstream request.
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { FastifyBaseLogger, FastifyReply } from 'fastify'
import type { CatalogService } from '../models/catalog.js'
import type { InvocationEvent, ModelInvoker } from '../models/invoker.js'
import type { ChatEvent, FinishReason } from '../providers/types.js'
import { canUse } from './access.js'
import { type ChatCall, clampMaxTokens } from './chat-request.js'
import { ChunkWriter, type CompletionIds, completion, usageOf } from './chat-response.js'
import type { GatewayModel, ModelDirectory } from './directory.js'
import { providerFailure } from './errors.js'
import type { Admission, CallerLimits, GatewayCaller, GatewayQuota } from './quota.js'

type ErrorEvent = Extract<ChatEvent, { type: 'error' }>

interface Started {
  entry: GatewayModel
  events: AsyncGenerator<InvocationEvent>
  /** Events read while waiting for the first token. */
  pending: InvocationEvent[]
}

interface Tally {
  input: number
  output: number
}

export interface CompletionDeps {
  invoker: ModelInvoker
  catalog: CatalogService
  directory: ModelDirectory
  quota: GatewayQuota
  log: FastifyBaseLogger
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** Reads a call to its end (the invoker records its usage row there). */
async function finish(events: AsyncGenerator<InvocationEvent>): Promise<void> {
  let next = await events.next()
  while (!next.done) next = await events.next()
}

export function costOf(entry: GatewayModel, tally: Tally): number {
  const { inputPerMTok, outputPerMTok } = entry.model.pricing
  return (tally.input * inputPerMTok + tally.output * outputPerMTok) / 1_000_000
}

export class ChatCompletions {
  /** Calls in flight, aborted when the server shuts down. */
  private readonly active = new Set<AbortController>()

  constructor(private readonly deps: CompletionDeps) {}

  abortAll(): void {
    for (const controller of this.active) controller.abort()
  }

  async run(
    reply: FastifyReply,
    call: {
      caller: GatewayCaller
      limits: CallerLimits
      entry: GatewayModel
      admission: Admission
      chat: ChatCall
    },
  ): Promise<unknown> {
    const controller = new AbortController()
    const res = reply.raw
    const onClose = () => {
      if (!res.writableFinished) controller.abort()
    }
    res.on('close', onClose)
    this.active.add(controller)
    const tally: Tally = { input: 0, output: 0 }
    let answered: GatewayModel | null = null
    try {
      const started = await this.start(call, controller.signal)
      answered = started.entry
      if (controller.signal.aborted) {
        // The client went away before the first token: nobody to answer; let the call record itself.
        reply.hijack()
        return await finish(started.events)
      }
      if (call.chat.ignored.length) reply.header('x-webplus-ignored-params', call.chat.ignored.join(','))
      const ids: CompletionIds = {
        id: `chatcmpl-${randomUUID()}`,
        created: Math.floor(Date.now() / 1000),
        model: started.entry.id,
      }
      if (call.chat.stream) return await this.stream(reply, started, ids, call.chat.includeUsage, tally)
      return await this.collect(reply, started, ids, tally, controller.signal)
    } finally {
      this.active.delete(controller)
      res.off('close', onClose)
      if (answered) {
        const cost = costOf(answered, tally)
        await this.deps.quota
          .settle(call.admission, tally.input + tally.output, cost)
          .catch((error: unknown) => this.deps.log.warn({ err: error }, 'could not count gateway usage'))
      }
    }
  }

  /** The first model that produces a token (or a complete empty reply): the model, then its fallback. */
  private async start(
    call: { caller: GatewayCaller; limits: CallerLimits; entry: GatewayModel; chat: ChatCall },
    signal: AbortSignal,
  ): Promise<Started> {
    const first = await this.attempt(call.caller, call.entry, call.chat, signal)
    if (!('type' in first)) return first
    const fallback = signal.aborted ? undefined : await this.fallbackOf(call.entry, call.caller, call.limits)
    if (!fallback) throw providerFailure(first.kind, first.message, first.retryAfterMs)
    const second = await this.attempt(call.caller, fallback, call.chat, signal)
    if (!('type' in second)) return second
    throw providerFailure(
      first.kind,
      `${first.message}; the fallback model ${fallback.id} failed too: ${second.message}`,
      first.retryAfterMs,
    )
  }

  private async attempt(
    caller: GatewayCaller,
    entry: GatewayModel,
    chat: ChatCall,
    signal: AbortSignal,
  ): Promise<Started | ErrorEvent> {
    const maxTokens = clampMaxTokens(chat.request.maxTokens, entry.model.contextLength)
    const events = this.deps.invoker.chat({
      modelId: entry.model.id,
      request: maxTokens === undefined ? chat.request : { ...chat.request, maxTokens },
      caller: { userId: caller.userId, role: caller.role, apiKeyId: caller.apiKeyId },
      source: 'gateway',
      signal,
    })
    const pending: InvocationEvent[] = []
    for (;;) {
      const next = await events.next()
      if (next.done) return { entry, events, pending }
      const event = next.value
      if (event.type === 'error') return event
      if (event.type === 'host') continue
      pending.push(event)
      if (event.type === 'delta' || event.type === 'done') return { entry, events, pending }
    }
  }

  private async fallbackOf(entry: GatewayModel, caller: GatewayCaller, limits: CallerLimits) {
    const { fallback_model_id: fallbackId } = await this.deps.catalog.find(entry.model.id)
    if (!fallbackId) return undefined
    const fallback = await this.deps.directory.byModelId(fallbackId)
    return fallback && canUse(fallback, caller, limits) ? fallback : undefined
  }

  private async collect(
    reply: FastifyReply,
    started: Started,
    ids: CompletionIds,
    tally: Tally,
    signal: AbortSignal,
  ): Promise<unknown> {
    let text = ''
    let finish: FinishReason = 'stop'
    let failure: ErrorEvent | null = null
    const take = (event: InvocationEvent) => {
      if (event.type === 'delta') text += event.text
      else if (event.type === 'usage') {
        tally.input = event.inputTokens
        tally.output = event.outputTokens
      } else if (event.type === 'done') finish = event.finishReason
      else if (event.type === 'error') failure = event
    }
    for (const event of started.pending) take(event)
    for await (const event of started.events) take(event)
    if (signal.aborted) return reply.hijack() // the client is gone; nobody to answer
    const failed = failure as ErrorEvent | null
    if (failed) throw providerFailure(failed.kind, failed.message, failed.retryAfterMs)
    return reply.send(completion(ids, text, finish, usageOf(tally.input, tally.output)))
  }

  private async stream(
    reply: FastifyReply,
    started: Started,
    ids: CompletionIds,
    includeUsage: boolean,
    tally: Tally,
  ): Promise<unknown> {
    const res = reply.raw
    const writer = new ChunkWriter(ids, includeUsage)
    reply.hijack()
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value)
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    })
    let began = false
    const open = () => !res.destroyed && !res.writableEnded
    // Synchronous per event; true when the socket is congested and the next frame must wait.
    const emit = (event: InvocationEvent): boolean => {
      switch (event.type) {
        case 'delta': {
          if (!open()) return false
          const flowing = res.write(began ? writer.delta(event.text) : writer.start(event.text))
          began = true
          return !flowing
        }
        case 'usage':
          tally.input = event.inputTokens
          tally.output = event.outputTokens
          return false
        case 'done':
          if (!open()) res.end()
          // Still connected yet aborted: the server is shutting down (abortAll).
          else if (event.finishReason === 'aborted')
            res.end(writer.error('The server is shutting down; try again.'))
          else
            res.end(
              (began ? '' : writer.start('')) +
                writer.finish(event.finishReason, usageOf(tally.input, tally.output)),
            )
          return false
        case 'error':
          if (open()) res.end(writer.error(event.message))
          return false
        default:
          return false
      }
    }
    for (const event of started.pending) if (emit(event)) await drained(res)
    for await (const event of started.events) if (emit(event)) await drained(res)
    if (!res.writableEnded) res.end()
    return reply
  }
}
