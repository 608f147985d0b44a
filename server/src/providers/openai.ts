// Adapter for OpenAI and for servers that speak its API (vLLM, llama.cpp, LM Studio, Groq,
// OpenRouter…), through the official `openai` client.

import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions'
import { openaiCapabilities } from './capabilities.js'
import {
  type ErrorContext,
  errorEvent,
  fromSdkApiError,
  fromThrown,
  guardedFetch,
  probeHealth,
} from './errors.js'
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

function finishReason(reason: string): FinishReason {
  if (reason === 'stop' || reason === 'length' || reason === 'tool_calls' || reason === 'content_filter')
    return reason
  return reason === 'function_call' ? 'tool_calls' : 'other'
}

export class OpenAIAdapter implements ProviderAdapter {
  readonly kind: 'openai' | 'openai-compatible'
  private readonly ctx: ErrorContext
  private readonly client: OpenAI
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

  async *chat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    let finish: string | undefined
    let usage: ChatEvent | undefined
    try {
      const stream = await this.client.chat.completions.create(this.chatParams(req), {
        signal,
        timeout: this.streamStartTimeoutMs,
      })
      // Breaking out of this loop (consumer stopped) makes the client abort the request.
      for await (const chunk of stream) {
        const choice = chunk.choices?.[0]
        const text = choice?.delta?.content
        if (text) yield { type: 'delta', text }
        if (choice?.finish_reason) finish = choice.finish_reason
        if (chunk.usage) {
          const { prompt_tokens: inputTokens, completion_tokens: outputTokens } = chunk.usage
          usage = { type: 'usage', inputTokens, outputTokens }
        }
      }
    } catch (err) {
      yield signal.aborted ? { type: 'done', finishReason: 'aborted' } : errorEvent(this.toError(err, signal))
      return
    }
    // The client ends quietly on abort and on a stream that stops early.
    if (signal.aborted) {
      yield { type: 'done', finishReason: 'aborted' }
    } else if (!finish) {
      yield errorEvent(
        new ProviderError('upstream', `${this.ctx.label} ended the stream before the reply was complete`),
      )
    } else {
      if (usage) yield usage
      yield { type: 'done', finishReason: finishReason(finish) }
    }
  }
}
