// Adapter for OpenAI and for servers that speak its API (vLLM, llama.cpp, LM Studio, Groq,
// OpenRouter…), through the official `openai` client; streamed chat replies, the hot path, go
// over a lean HTTP client with the SDK's request and error semantics.

import type { EventSourceMessage } from 'eventsource-parser'
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsStreaming,
} from 'openai/resources/chat/completions'
import { openaiCapabilities } from './capabilities.js'
import {
  type ErrorContext,
  errorEvent,
  fromSdkApiError,
  fromThrown,
  guardedFetch,
  probeHealth,
} from './errors.js'
import { type EventBatches, EventStreamClient } from './event-stream.js'
import {
  type AdapterOptions,
  type ChatEvent,
  type ChatRequest,
  defaultAdapterOptions,
  type FinishReason,
  type Health,
  type ModelInfo,
  type ProviderAdapter,
  ProviderError,
} from './types.js'

/** The client expects the `/v1` prefix in the base URL; an admin often types only the host. */
export function openaiBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '')
  return new URL(trimmed).pathname === '/' ? `${trimmed}/v1` : trimmed
}

interface StreamState {
  done: boolean
  finish?: string
  usage?: ChatEvent
}

function finishReason(reason: string): FinishReason {
  if (reason === 'stop' || reason === 'length' || reason === 'tool_calls' || reason === 'content_filter')
    return reason
  return reason === 'function_call' ? 'tool_calls' : 'other'
}

export class OpenAIAdapter implements ProviderAdapter {
  readonly kind: 'openai' | 'openai-compatible'
  private readonly ctx: ErrorContext
  private readonly client: OpenAI
  private readonly events: EventStreamClient
  private readonly apiKey: string | undefined
  private readonly streamStartTimeoutMs: number

  constructor(
    kind: 'openai' | 'openai-compatible',
    baseUrl: string,
    apiKey?: string,
    options: AdapterOptions = {},
  ) {
    const { timeoutMs, streamStartTimeoutMs } = { ...defaultAdapterOptions, ...options }
    this.kind = kind
    this.ctx = {
      label: kind === 'openai' ? 'OpenAI' : 'OpenAI-compatible server',
      baseUrl: openaiBaseUrl(baseUrl),
    }
    this.streamStartTimeoutMs = streamStartTimeoutMs
    this.apiKey = apiKey || undefined
    this.events = new EventStreamClient(this.ctx)
    this.client = new OpenAI({
      // Local servers often need no key; the client insists on one, so send none at all.
      apiKey: apiKey || 'unused',
      ...(apiKey ? {} : { defaultHeaders: { Authorization: null } }),
      baseURL: this.ctx.baseUrl,
      // Explicit nulls keep the client from reading OPENAI_* variables of this process.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      timeout: timeoutMs,
      // Retrying is the caller's decision: it may prefer another host (failover).
      maxRetries: 0,
      logLevel: 'off',
      fetch: guardedFetch(this.ctx),
    })
  }

  private toError(err: unknown, signal?: AbortSignal): ProviderError {
    if (err instanceof ProviderError) return err
    if (err instanceof APIUserAbortError)
      return new ProviderError('aborted', 'The request was cancelled', { cause: err })
    if (err instanceof APIConnectionTimeoutError) {
      return new ProviderError('timeout', `${this.ctx.label} at ${this.ctx.baseUrl} did not answer in time`, {
        cause: err,
      })
    }
    if (err instanceof APIConnectionError) return fromThrown(this.ctx, err.cause ?? err, signal)
    if (err instanceof APIError) return fromSdkApiError(this.ctx, err)
    return fromThrown(this.ctx, err, signal)
  }

  async listModels(): Promise<ModelInfo[]> {
    const models: ModelInfo[] = []
    try {
      for await (const model of this.client.models.list()) {
        if (typeof model?.id !== 'string')
          throw new ProviderError('bad_response', `${this.ctx.label} listed a model without an id`)
        models.push({ name: model.id, capabilities: openaiCapabilities(model.id, this.kind === 'openai') })
      }
    } catch (err) {
      throw this.toError(err)
    }
    return models
  }

  async embed(model: string, input: string[]): Promise<number[][]> {
    let data: { index: number; embedding: unknown }[]
    try {
      ;({ data } = await this.client.embeddings.create({ model, input, encoding_format: 'float' }))
    } catch (err) {
      throw this.toError(err)
    }
    const vectors = [...(data ?? [])].sort((a, b) => a.index - b.index).map((item) => item.embedding)
    const valid = (vector: unknown): vector is number[] =>
      Array.isArray(vector) && vector.every((x) => typeof x === 'number')
    if (vectors.length !== input.length || !vectors.every(valid)) {
      throw new ProviderError('bad_response', `${this.ctx.label} sent embeddings of an unexpected shape`)
    }
    return vectors
  }

  async health(): Promise<Health> {
    return probeHealth(this.ctx, async () => {
      try {
        await this.client.models.list()
      } catch (err) {
        throw this.toError(err)
      }
      return undefined
    })
  }

  private chatParams(req: ChatRequest): ChatCompletionCreateParamsStreaming {
    // OpenAI's reasoning models accept only `max_completion_tokens`; other servers know `max_tokens`.
    const limit =
      this.kind === 'openai' ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }
    return {
      model: req.model,
      messages: req.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
      ...(req.topP === undefined ? {} : { top_p: req.topP }),
      ...(req.maxTokens === undefined ? {} : limit),
    }
  }

  /** One SSE message of a streamed reply, read as the SDK would: returns its text, if any. */
  private read({ event, data }: EventSourceMessage, state: StreamState): string {
    // Like the SDK, read on to the end after [DONE] so that the connection can be reused.
    if (state.done || data.startsWith('[DONE]')) {
      state.done = true
      return ''
    }
    const chunk = JSON.parse(data) as ChatCompletionChunk & { error?: unknown; message?: string }
    if (event === 'error' || chunk.error) {
      throw fromSdkApiError(this.ctx, { error: chunk.error, message: chunk.message ?? 'error' })
    }
    const choice = chunk.choices?.[0]
    if (choice?.finish_reason) state.finish = choice.finish_reason
    if (chunk.usage) {
      const { prompt_tokens: inputTokens, completion_tokens: outputTokens } = chunk.usage
      state.usage = { type: 'usage', inputTokens, outputTokens }
    }
    return choice?.delta?.content ?? ''
  }

  async *chat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    const state: StreamState = { done: false }
    let events: EventBatches | null = null
    try {
      // Streamed over our own HTTP client (see event-stream.ts), parsed as the SDK would.
      events = await this.events.post({
        path: '/chat/completions',
        headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {},
        body: this.chatParams(req),
        signal,
        timeoutMs: this.streamStartTimeoutMs,
      })
      for (let batch = await events.next(); batch; batch = await events.next()) {
        // The deltas of one batch go out as one: under load, fewer and larger writes downstream.
        let text = ''
        let failure: unknown = null
        for (const message of batch) {
          try {
            text += this.read(message, state)
          } catch (err) {
            failure = err
            break
          }
        }
        if (text) yield { type: 'delta', text }
        if (failure) throw failure
      }
    } catch (err) {
      yield signal.aborted ? { type: 'done', finishReason: 'aborted' } : errorEvent(this.toError(err, signal))
      return
    } finally {
      // A consumer that stops early, or an error: the socket cannot be reused mid-reply.
      events?.close()
    }
    // The client ends quietly on abort and on a stream that stops early.
    if (signal.aborted) {
      yield { type: 'done', finishReason: 'aborted' }
    } else if (!state.finish) {
      yield errorEvent(
        new ProviderError('upstream', `${this.ctx.label} ended the stream before the reply was complete`),
      )
    } else {
      if (state.usage) yield state.usage
      yield { type: 'done', finishReason: finishReason(state.finish) }
    }
  }
}
