// The parts of Ollama's JSON answers the adapter relies on, checked at runtime: a proxy, an
// old server or something that is not Ollama at all must fail with a clear message.

import { z } from 'zod'
import { ProviderError } from './types.js'

const details = z.object({
  family: z.string().nullish(),
  families: z.array(z.string()).nullish(),
  parameter_size: z.string().nullish(),
  quantization_level: z.string().nullish(),
})

export const tagsResponse = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      size: z.number().nullish(),
      digest: z.string().nullish(),
      modified_at: z.string().nullish(),
      details: details.nullish(),
    }),
  ),
})

export const psResponse = z.object({
  models: z.array(
    z.object({
      name: z.string(),
      size: z.number(),
      size_vram: z.number().nullish(),
      expires_at: z.string().nullish(),
    }),
  ),
})

export const showResponse = z.object({
  modelfile: z.string().nullish(),
  parameters: z.string().nullish(),
  template: z.string().nullish(),
  system: z.string().nullish(),
  license: z.string().nullish(),
  details: details.nullish(),
  model_info: z.record(z.string(), z.unknown()).nullish(),
  capabilities: z.array(z.string()).nullish(),
})
export type ShowResponse = z.infer<typeof showResponse>

export const versionResponse = z.object({ version: z.string() })

/** One line of a streamed /api/chat answer. */
export const chatLine = z.object({
  message: z.object({ content: z.string().nullish() }).nullish(),
  done: z.boolean().nullish(),
  done_reason: z.string().nullish(),
  prompt_eval_count: z.number().nullish(),
  eval_count: z.number().nullish(),
})

/** One line of a streamed /api/pull answer. */
export const pullLine = z.object({
  status: z.string(),
  digest: z.string().nullish(),
  total: z.number().nullish(),
  completed: z.number().nullish(),
})

export const embedResponse = z.object({ embeddings: z.array(z.array(z.number())) })

/** `general.architecture` names the key that holds the context length, e.g. `llama.context_length`. */
export function contextLength(modelInfo: Record<string, unknown> | null | undefined): number | undefined {
  const architecture = modelInfo?.['general.architecture']
  if (typeof architecture !== 'string') return undefined
  const value = modelInfo?.[`${architecture}.context_length`]
  return typeof value === 'number' ? value : undefined
}

/**
 * Passes an NDJSON body through unchanged, but fails it at the first line that is not JSON.
 * The `ollama` client would skip such a line with a console warning and lose that text.
 */
export function rejectNonJsonLines(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder()
  let pending = ''
  const valid = (line: string, controller: TransformStreamDefaultController<Uint8Array>): boolean => {
    if (line.trim() === '') return true
    try {
      JSON.parse(line)
      return true
    } catch {
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line
      controller.error(
        new ProviderError('bad_response', `Ollama sent a stream line that is not JSON: ${shown}`),
      )
      return false
    }
  }
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n')
        pending = lines.pop() ?? ''
        if (lines.every((line) => valid(line, controller))) controller.enqueue(chunk)
      },
      flush(controller) {
        valid(pending + decoder.decode(), controller)
      },
    }),
  )
}
