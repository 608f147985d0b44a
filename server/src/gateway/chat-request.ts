// The /v1/chat/completions request: OpenAI's body as a schema (types only; unknown fields are
// kept so that they can be reported), and its translation into the adapter's ChatRequest.
// Policy: what Web+ can honour is passed on; hints it cannot honour but that do not change the
// answer's shape are ignored and named in `x-webplus-ignored-params`; features whose absence
// would silently change the answer (tools, n > 1, stop, JSON modes, images, logprobs) are refused.
import { z } from 'zod'
import type { ChatMessage, ChatRequest } from '../providers/types.js'
import { invalidRequest, unsupportedParam } from './errors.js'

/** No model generates this many tokens in one reply; larger values are client bugs. */
export const MAX_TOKENS_CEILING = 1_000_000

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() })
const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart)]).nullish(),
  name: z.string().max(256).optional(),
  tool_calls: z.array(z.unknown()).nullish(),
})

const shape = {
  model: z.string().min(1).max(256),
  messages: z.array(message).min(1).max(100_000),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: z.number().nullish(),
  max_completion_tokens: z.number().nullish(),
  n: z.number().int().min(1).nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().max(512).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  store: z.boolean().nullish(),
  service_tier: z.string().max(64).nullish(),
  reasoning_effort: z.string().max(64).nullish(),
  verbosity: z.string().max(64).nullish(),
  prompt_cache_key: z.string().max(512).nullish(),
  safety_identifier: z.string().max(512).nullish(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullish(),
  tools: z.array(z.looseObject({ type: z.string() })).nullish(),
  tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.string() })]).nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: z.array(z.unknown()).nullish(),
  function_call: z.union([z.enum(['none', 'auto']), z.looseObject({ name: z.string() })]).nullish(),
  modalities: z.array(z.string()).nullish(),
  audio: z.unknown().optional(),
  prediction: z.unknown().optional(),
  web_search_options: z.unknown().optional(),
}

export const chatCompletionBody = z.looseObject(shape)
export type ChatCompletionBody = z.infer<typeof chatCompletionBody>

/** Accepted, but with no effect on how Web+ calls the model. */
const ignorable = new Set([
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'seed',
  'user',
  'metadata',
  'store',
  'service_tier',
  'reasoning_effort',
  'verbosity',
  'prompt_cache_key',
  'safety_identifier',
  'parallel_tool_calls',
  'top_logprobs',
  'web_search_options',
  'prediction',
])
const known = new Set(Object.keys(shape))

export interface ChatCall {
  model: string
  stream: boolean
  includeUsage: boolean
  /** Without the model's context limit applied yet (see clampMaxTokens). */
  request: Omit<ChatRequest, 'model'>
  /** Params that were accepted but had no effect. */
  ignored: string[]
}

function maxTokensOf(body: ChatCompletionBody): number | undefined {
  for (const param of ['max_completion_tokens', 'max_tokens'] as const) {
    const value = body[param]
    if (value === null || value === undefined) continue
    if (!Number.isInteger(value) || value < 1 || value > MAX_TOKENS_CEILING) {
      throw invalidRequest(
        `Invalid '${param}': ${value}. It must be an integer from 1 to ${MAX_TOKENS_CEILING}; ` +
          "values above the model's context length are lowered to it.",
        param,
        'invalid_value',
      )
    }
    return value
  }
  return undefined
}

function textOf(content: z.infer<typeof message>['content'], at: string): string {
  if (typeof content === 'string') return content
  if (!content) throw invalidRequest(`Missing content in '${at}'.`, `${at}.content`)
  const texts: string[] = []
  for (const [j, part] of content.entries()) {
    if (part.type !== 'text' || typeof part.text !== 'string') {
      throw unsupportedParam(
        `${at}.content[${j}].type`,
        `Only text content parts are supported by this gateway; '${part.type}' is not.`,
      )
    }
    texts.push(part.text)
  }
  return texts.join('\n')
}

function messagesOf(body: ChatCompletionBody): ChatMessage[] {
  return body.messages.map((m, i): ChatMessage => {
    const at = `messages[${i}]`
    if (m.role === 'tool' || m.role === 'function' || (m.tool_calls && m.tool_calls.length > 0)) {
      throw unsupportedParam(`${at}.role`, 'Tool and function messages are not supported by this gateway.')
    }
    if (m.role === 'assistant') return { role: 'assistant', content: m.content ? textOf(m.content, at) : '' }
    return { role: m.role === 'developer' ? 'system' : m.role, content: textOf(m.content, at) }
  })
}

function refuseUnsupported(body: ChatCompletionBody): void {
  const toolsOff = body.tool_choice === 'none' || body.function_call === 'none'
  if (body.tools?.length && !toolsOff)
    throw unsupportedParam(
      'tools',
      'Tool calling is not supported by this gateway; send the request without tools.',
    )
  if (body.functions?.length && !toolsOff)
    throw unsupportedParam('functions', 'Function calling is not supported by this gateway.')
  if ((body.n ?? 1) > 1) throw unsupportedParam('n', 'Only n=1 is supported by this gateway.')
  const stop = body.stop
  if (stop && (typeof stop === 'string' || stop.length > 0))
    throw unsupportedParam('stop', 'Stop sequences are not supported by this gateway yet.')
  if (body.response_format && body.response_format.type !== 'text') {
    throw unsupportedParam(
      'response_format',
      `response_format '${body.response_format.type}' is not supported by this gateway; only 'text' is.`,
    )
  }
  if (body.logprobs)
    throw unsupportedParam('logprobs', 'Log probabilities are not supported by this gateway.')
  if (body.modalities?.some((m) => m !== 'text') || body.audio)
    throw unsupportedParam('modalities', 'Only text output is supported by this gateway.')
}

export function toChatCall(body: ChatCompletionBody): ChatCall {
  refuseUnsupported(body)
  const ignored: string[] = []
  for (const key of Object.keys(body)) {
    const value = (body as Record<string, unknown>)[key]
    if (value === null || value === undefined) continue
    if (!known.has(key) || ignorable.has(key)) ignored.push(key)
  }
  if (body.tools?.length) ignored.push('tools')
  const maxTokens = maxTokensOf(body)
  const stream = body.stream === true
  return {
    model: body.model,
    stream,
    includeUsage: stream && body.stream_options?.include_usage === true,
    request: {
      messages: messagesOf(body),
      ...(body.temperature == null ? {} : { temperature: body.temperature }),
      ...(body.top_p == null ? {} : { topP: body.top_p }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
    },
    ignored,
  }
}

/** A reply cannot be longer than the model's context: larger requests are lowered to it. */
export function clampMaxTokens(maxTokens: number | undefined, contextLength: number | null) {
  if (maxTokens === undefined || contextLength === null || contextLength <= 0) return maxTokens
  return Math.min(maxTokens, contextLength)
}
