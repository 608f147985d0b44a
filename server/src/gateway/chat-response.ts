// OpenAI's chat completion objects. Stream chunks are assembled from a prefix and suffix built
// once per reply, so that a token costs one JSON.stringify of its text and one string concat.
import type { FinishReason } from '../providers/types.js'

export interface Usage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
}

export function usageOf(input: number, output: number): Usage {
  return { prompt_tokens: input, completion_tokens: output, total_tokens: input + output }
}

export function finishReasonOf(reason: FinishReason): 'stop' | 'length' | 'content_filter' | 'tool_calls' {
  return reason === 'length' || reason === 'content_filter' || reason === 'tool_calls' ? reason : 'stop'
}

export interface CompletionIds {
  id: string
  created: number
  model: string
}

export function completion(ids: CompletionIds, text: string, finish: FinishReason, usage: Usage) {
  return {
    id: ids.id,
    object: 'chat.completion' as const,
    created: ids.created,
    model: ids.model,
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: { role: 'assistant' as const, content: text, refusal: null },
        logprobs: null,
        finish_reason: finishReasonOf(finish),
      },
    ],
    usage,
  }
}

/** Writes SSE frames of `chat.completion.chunk` objects for one reply. */
export class ChunkWriter {
  private readonly head: string
  private readonly tail: string

  constructor(
    private readonly ids: CompletionIds,
    private readonly includeUsage: boolean,
  ) {
    this.head =
      `data: {"id":${JSON.stringify(ids.id)},"object":"chat.completion.chunk","created":${ids.created},` +
      `"model":${JSON.stringify(ids.model)},"system_fingerprint":null,"choices":[{"index":0,"delta":`
    this.tail = `,"logprobs":null,"finish_reason":null}]${includeUsage ? ',"usage":null' : ''}}\n\n`
  }

  /** The first frame: the assistant role, then the first text (OpenAI sends these as two chunks). */
  start(text: string): string {
    const role = `${this.head}{"role":"assistant","content":"","refusal":null}${this.tail}`
    return text ? role + this.delta(text) : role
  }

  delta(text: string): string {
    return `${this.head}{"content":${JSON.stringify(text)}}${this.tail}`
  }

  /** The finish chunk, the usage chunk when asked for, and `[DONE]`. */
  finish(reason: FinishReason, usage: Usage): string {
    const base = `{"id":${JSON.stringify(this.ids.id)},"object":"chat.completion.chunk","created":${this.ids.created},"model":${JSON.stringify(this.ids.model)},"system_fingerprint":null,"choices":`
    const last = `${this.head}{},"logprobs":null,"finish_reason":"${finishReasonOf(reason)}"}]${this.includeUsage ? ',"usage":null' : ''}}\n\n`
    const usageChunk = this.includeUsage ? `data: ${base}[],"usage":${JSON.stringify(usage)}}\n\n` : ''
    return `${last}${usageChunk}data: [DONE]\n\n`
  }

  /** A failure after the reply started: OpenAI's SDKs raise it from an `error` frame. */
  error(message: string, type = 'server_error', code: string | null = null): string {
    return `data: ${JSON.stringify({ error: { message, type, param: null, code } })}\n\n`
  }
}
