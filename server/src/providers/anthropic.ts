// Adapter for Anthropic's Messages API through the official `@anthropic-ai/sdk` client.

import Anthropic, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk'
import type { MessageCreateParamsStreaming } from '@anthropic-ai/sdk/resources/messages/messages'
import { anthropicCapabilities } from './capabilities.js'
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

/** The Messages API requires a limit; this one fits every current model. */
export const DEFAULT_MAX_TOKENS = 4096

const finishReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

/** The client adds `/v1/…` itself. */
export function anthropicBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')
}

/** Cached prompt tokens are input too. */
interface InputUsage {
  input_tokens: number | null
  cache_creation_input_tokens: number | null
  cache_read_input_tokens: number | null
}

function inputTokens(usage: InputUsage): number {
  return (
    (usage.input_tokens ?? 0) +
    (usage.cache_creation_input_tokens ?? 0) +
    (usage.cache_read_input_tokens ?? 0)
  )
}

export class AnthropicAdapter implements ProviderAdapter {
  readonly kind = 'anthropic'
  private readonly ctx: ErrorContext
  private readonly client: Anthropic | undefined
  private readonly streamStartTimeoutMs: number

  constructor(baseUrl: string, apiKey?: string, options: AdapterOptions = {}) {
    const { timeoutMs, streamStartTimeoutMs } = { ...defaultAdapterOptions, ...options }
    this.ctx = { label: 'Anthropic', baseUrl: anthropicBaseUrl(baseUrl) }
    this.streamStartTimeoutMs = streamStartTimeoutMs
    // Without a key the client would look for credentials in this process's environment and
    // home directory; a connection without one fails on use instead.
    this.client = apiKey
      ? new Anthropic({
          apiKey,
          // The documented header, which gateways and proxies expect too; this SDK version
          // would send the key as a bearer token instead.
          defaultHeaders: { 'x-api-key': apiKey, Authorization: null },
          baseURL: this.ctx.baseUrl,
          timeout: timeoutMs,
          maxRetries: 0,
          logLevel: 'off',
          fetch: guardedFetch(this.ctx),
        })
      : undefined
  }

  private requireClient(): Anthropic {
    if (!this.client) throw new ProviderError('unauthorized', 'Anthropic needs an API key, and none is set')
    return this.client
  }

  private toError(err: unknown, signal?: AbortSignal): ProviderError {
    if (err instanceof ProviderError) return err
    if (err instanceof APIUserAbortError)
      return new ProviderError('aborted', 'The request was cancelled', { cause: err })
    if (err instanceof APIConnectionTimeoutError) {
      return new ProviderError('timeout', `Anthropic at ${this.ctx.baseUrl} did not answer in time`, {
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
      for await (const model of this.requireClient().models.list()) {
        if (typeof model?.id !== 'string')
          throw new ProviderError('bad_response', 'Anthropic listed a model without an id')
        models.push({
          name: model.id,
          ...(model.display_name ? { displayName: model.display_name } : {}),
          ...(model.line ? { family: model.line } : {}),
          ...(model.max_input_tokens ? { contextLength: model.max_input_tokens } : {}),
          capabilities: anthropicCapabilities(model.id, model.capabilities?.image_input?.supported),
          ...(model.created_at ? { modifiedAt: model.created_at } : {}),
        })
      }
    } catch (err) {
      throw this.toError(err)
    }
    return models
  }

  async health(): Promise<Health> {
    return probeHealth(this.ctx, async () => {
      try {
        await this.requireClient().models.list({ limit: 1 })
      } catch (err) {
        throw this.toError(err)
      }
      return undefined
    })
  }

  private messageParams(req: ChatRequest): MessageCreateParamsStreaming {
    // The Messages API takes the system prompt apart from the conversation.
    const system = req.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n')
    const messages = req.messages.flatMap((message) =>
      message.role === 'system' ? [] : [{ role: message.role, content: message.content }],
    )
    return {
      model: req.model,
      max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS,
      messages,
      stream: true,
      ...(system ? { system } : {}),
      ...(req.temperature === undefined ? {} : { temperature: req.temperature }),
      ...(req.topP === undefined ? {} : { top_p: req.topP }),
    }
  }

  async *chat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent> {
    let input = 0
    let output = 0
    let stopReason: string | null | undefined
    let stopped = false
    try {
      const stream = await this.requireClient().messages.create(this.messageParams(req), {
        signal,
        timeout: this.streamStartTimeoutMs,
      })
      // Breaking out of this loop (consumer stopped) makes the client abort the request.
      for await (const event of stream) {
        if (event.type === 'message_start') {
          input = inputTokens(event.message.usage)
          output = event.message.usage.output_tokens ?? 0
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (event.delta.text) yield { type: 'delta', text: event.delta.text }
        } else if (event.type === 'message_delta') {
          // Counts in message_delta are cumulative; input appears there only on some models.
          if (event.usage.input_tokens !== null && event.usage.input_tokens !== undefined) {
            input = inputTokens(event.usage)
          }
          output = event.usage.output_tokens ?? output
          stopReason = event.delta.stop_reason
        } else if (event.type === 'message_stop') {
          stopped = true
        }
      }
    } catch (err) {
      yield signal.aborted ? { type: 'done', finishReason: 'aborted' } : errorEvent(this.toError(err, signal))
      return
    }
    if (signal.aborted) {
      yield { type: 'done', finishReason: 'aborted' }
    } else if (!stopped) {
      yield errorEvent(
        new ProviderError('upstream', 'Anthropic ended the stream before the reply was complete'),
      )
    } else {
      yield { type: 'usage', inputTokens: input, outputTokens: output }
      yield { type: 'done', finishReason: (stopReason && finishReasons[stopReason]) || 'other' }
    }
  }
}
