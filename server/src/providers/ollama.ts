// Adapter for one Ollama host, through the official `ollama` client: catalog (/api/tags,
// /api/show), memory (/api/ps, load and unload via /api/generate), pulls, deletes and chat.

import { setTimeout as delay } from 'node:timers/promises'
import { Ollama } from 'ollama'
import type { z } from 'zod'
import { ollamaCapabilities } from './capabilities.js'
import {
  type ErrorContext,
  errorEvent,
  fromHttpStatus,
  fromThrown,
  guardedFetch,
  probeHealth,
} from './errors.js'
import {
  chatLine,
  contextLength,
  embedResponse,
  psResponse,
  pullLine,
  rejectNonJsonLines,
  type ShowResponse,
  showResponse,
  tagsResponse,
  versionResponse,
} from './ollama-schema.js'
import {
  type AdapterOptions,
  type ChatEvent,
  type ChatRequest,
  defaultAdapterOptions,
  type FinishReason,
  type Health,
  type KeepAlive,
  type ModelDetails,
  type ModelInfo,
  type ProviderAdapter,
  ProviderError,
  type PullProgress,
  type RunningModel,
} from './types.js'

const SHOW_CONCURRENCY = 4
const UNLOAD_POLL_MS = 100

/** `llama3` and `llama3:latest` are the same model; /api/ps reports the tagged form. */
export function withTag(model: string): string {
  return model.slice(model.lastIndexOf('/') + 1).includes(':') ? model : `${model}:latest`
}

function finishReason(doneReason: string | null | undefined): FinishReason {
  if (doneReason === 'length') return 'length'
  return !doneReason || doneReason === 'stop' ? 'stop' : 'other'
}

/** The `ollama` client turns an `{"error": …}` stream line into a plain Error. */
function isStreamErrorLine(err: unknown): err is Error {
  return err instanceof Error && Object.getPrototypeOf(err) === Error.prototype
}

function isResponseError(err: unknown): err is Error & { error: string; status_code: number } {
  return (
    err instanceof Error &&
    err.name === 'ResponseError' &&
    typeof (err as { status_code?: unknown }).status_code === 'number'
  )
}

async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

export class OllamaAdapter implements ProviderAdapter {
  readonly kind = 'ollama'
  private readonly ctx: ErrorContext
  private readonly options: Required<AdapterOptions>
  private readonly headers: Record<string, string>

  constructor(baseUrl: string, apiKey?: string, options: AdapterOptions = {}) {
    this.ctx = { label: 'Ollama', baseUrl: baseUrl.replace(/\/+$/, '') }
    this.options = { ...defaultAdapterOptions, ...options }
    // Ollama has no keys of its own; one is sent for a host behind an authenticating proxy.
    this.headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : {}
  }

  /** A client whose every request is tied to `signal` and rejects answers that are not JSON. */
  private client(signal: AbortSignal): Ollama {
    const checkedFetch = guardedFetch(this.ctx, signal)
    const fetchLines: typeof fetch = async (input, init) => {
      const response = await checkedFetch(input, init)
      if (!response.body || !response.headers.get('content-type')?.includes('ndjson')) return response
      const { status, statusText, headers } = response
      return new Response(rejectNonJsonLines(response.body), { status, statusText, headers })
    }
    return new Ollama({ host: this.ctx.baseUrl, fetch: fetchLines, headers: this.headers })
  }

  /** `streamFailure` prefixes an error Ollama reported inside a stream, e.g. `Ollama could not pull x`. */
  private toError(err: unknown, streamFailure = 'Ollama reported an error'): ProviderError {
    if (err instanceof ProviderError) return err
    if (isResponseError(err)) return fromHttpStatus(this.ctx, err.status_code, err.error)
    if (isStreamErrorLine(err)) {
      if (err.message.startsWith('Did not receive done')) {
        return new ProviderError('upstream', 'Ollama ended the stream before it was complete')
      }
      const kind = /not found|does not exist/i.test(err.message) ? 'not_found' : 'upstream'
      return new ProviderError(kind, `${streamFailure}: ${err.message}`)
    }
    return fromThrown(this.ctx, err)
  }

  /** One non-streaming call with a timeout, its answer checked against `schema`. */
  private async call<S extends z.ZodType>(
    what: string,
    schema: S,
    request: (client: Ollama) => Promise<unknown>,
    timeoutMs = this.options.timeoutMs,
  ): Promise<z.infer<S>> {
    let answer: unknown
    try {
      answer = await request(this.client(AbortSignal.timeout(timeoutMs)))
    } catch (err) {
      throw this.toError(err)
    }
    const parsed = schema.safeParse(answer)
    if (!parsed.success)
      throw new ProviderError('bad_response', `Ollama sent an unexpected answer to ${what}`)
    return parsed.data
  }

  async listModels(): Promise<ModelInfo[]> {
    const { models } = await this.call('/api/tags', tagsResponse, (client) => client.list())
    return mapWithLimit(models, SHOW_CONCURRENCY, async (model) => {
      const families = model.details?.families ?? (model.details?.family ? [model.details.family] : [])
      const shown = await this.showCached(model.name, model.digest ?? undefined)
      return {
        name: model.name,
        family: model.details?.family ?? undefined,
        parameterSize: model.details?.parameter_size ?? undefined,
        quantization: model.details?.quantization_level ?? undefined,
        contextLength: contextLength(shown?.model_info),
        capabilities: ollamaCapabilities(shown?.capabilities ?? undefined, families),
        sizeBytes: model.size ?? undefined,
        digest: model.digest ?? undefined,
        modifiedAt: model.modified_at ?? undefined,
      }
    })
  }

  /** /api/show answers per model digest: a model's details change only when its digest does,
   * so status polling costs one /api/tags and one /api/ps, not one call per model. */
  private readonly shownByDigest = new Map<string, ShowResponse | undefined>()

  private async showCached(model: string, digest: string | undefined): Promise<ShowResponse | undefined> {
    if (!digest) return this.showOrNothing(model)
    const key = `${model}@${digest}`
    if (this.shownByDigest.has(key)) return this.shownByDigest.get(key)
    const shown = await this.showOrNothing(model)
    if (shown) this.shownByDigest.set(key, shown)
    return shown
  }

  /** Details only enrich the list: a model whose /api/show fails is listed without them. */
  private async showOrNothing(model: string): Promise<ShowResponse | undefined> {
    try {
      return await this.call('/api/show', showResponse, (client) => client.show({ model }))
    } catch (err) {
      if (err instanceof ProviderError && (err.kind === 'unreachable' || err.kind === 'timeout')) throw err
      return undefined
    }
  }

  async show(model: string): Promise<ModelDetails> {
    const shown = await this.call('/api/show', showResponse, (client) => client.show({ model }))
    const families = shown.details?.families ?? (shown.details?.family ? [shown.details.family] : [])
    return {
      name: model,
      modelfile: shown.modelfile ?? undefined,
      parameters: shown.parameters ?? undefined,
      template: shown.template ?? undefined,
      system: shown.system ?? undefined,
      license: shown.license ?? undefined,
      family: shown.details?.family ?? undefined,
      parameterSize: shown.details?.parameter_size ?? undefined,
      quantization: shown.details?.quantization_level ?? undefined,
      contextLength: contextLength(shown.model_info),
      capabilities: ollamaCapabilities(shown.capabilities ?? undefined, families),
      modelInfo: shown.model_info ?? undefined,
    }
  }

  async running(): Promise<RunningModel[]> {
    const { models } = await this.call('/api/ps', psResponse, (client) => client.ps())
    return models.map((model) => ({
      name: model.name,
      sizeBytes: model.size,
      vramBytes: model.size_vram ?? 0,
      ...(model.expires_at ? { expiresAt: model.expires_at } : {}),
    }))
  }

  /** An empty generate request loads the model and keeps it for `keepAlive` (Ollama's default: 5 min). */
  async load(model: string, keepAlive?: KeepAlive): Promise<void> {
    await this.call(
      'the load request',
      chatLine,
      (client) => client.generate({ model, prompt: '', stream: false, keep_alive: keepAlive }),
      this.options.loadTimeoutMs,
    )
  }

  /** `keep_alive: 0` is what `ollama stop` sends; done once /api/ps no longer lists the model. */
  async unload(model: string): Promise<void> {
    await this.call('the unload request', chatLine, (client) =>
      client.generate({ model, prompt: '', stream: false, keep_alive: 0 }),
    )
    const deadline = Date.now() + this.options.unloadConfirmMs
    const name = withTag(model)
    while ((await this.running()).some((running) => withTag(running.name) === name)) {
      if (Date.now() >= deadline) {
        throw new ProviderError(
          'upstream',
          `Ollama still lists ${model} as loaded after being asked to unload it`,
        )
      }
      await delay(UNLOAD_POLL_MS)
    }
  }

  async remove(model: string): Promise<void> {
    try {
      await this.client(AbortSignal.timeout(this.options.timeoutMs)).delete({ model })
    } catch (err) {
      throw this.toError(err)
    }
  }

  async embed(model: string, input: string[]): Promise<number[][]> {
    const { embeddings } = await this.call('/api/embed', embedResponse, (client) =>
      client.embed({ model, input }),
    )
    return embeddings
  }

  async health(): Promise<Health> {
    return probeHealth(this.ctx, async () => {
      const { version } = await this.call('/api/version', versionResponse, (client) => client.version())
      return version
    })
  }

  async *chat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    // Also cancels the request when the consumer stops iterating without aborting.
    const stop = new AbortController()
    try {
      const stream = await this.client(AbortSignal.any([signal, stop.signal])).chat({
        model: req.model,
        messages: req.messages,
        stream: true,
        keep_alive: req.keepAlive,
        options: { temperature: req.temperature, top_p: req.topP, num_predict: req.maxTokens },
      })
      for await (const raw of stream) {
        const line = chatLine.safeParse(raw)
        if (!line.success)
          throw new ProviderError('bad_response', 'Ollama sent a stream line of an unknown shape')
        const text = line.data.message?.content
        if (text) yield { type: 'delta', text }
        if (line.data.done) {
          const { prompt_eval_count: inputTokens, eval_count: outputTokens } = line.data
          yield { type: 'usage', inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0 }
          yield { type: 'done', finishReason: finishReason(line.data.done_reason) }
          return
        }
      }
      yield errorEvent(new ProviderError('upstream', 'Ollama ended the stream before the reply was complete'))
    } catch (err) {
      if (signal.aborted) yield { type: 'done', finishReason: 'aborted' }
      else yield errorEvent(this.toError(err))
    } finally {
      stop.abort()
    }
  }

  async *pull(model: string, signal: AbortSignal): AsyncIterable<PullProgress> {
    const stop = new AbortController()
    try {
      const stream = await this.client(AbortSignal.any([signal, stop.signal])).pull({ model, stream: true })
      for await (const raw of stream) {
        const line = pullLine.safeParse(raw)
        if (!line.success)
          throw new ProviderError('bad_response', 'Ollama sent a pull progress line of an unknown shape')
        const { status, digest, total, completed } = line.data
        yield {
          status,
          ...(digest ? { digest } : {}),
          ...(typeof total === 'number' ? { totalBytes: total } : {}),
          ...(typeof completed === 'number' ? { completedBytes: completed } : {}),
        }
      }
    } catch (err) {
      if (signal.aborted)
        throw new ProviderError('aborted', `The pull of ${model} was cancelled`, { cause: err })
      throw this.toError(err, `Ollama could not pull ${model}`)
    } finally {
      stop.abort()
    }
  }
}
