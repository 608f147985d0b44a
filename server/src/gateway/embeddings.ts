// /v1/embeddings: route to a host of the model the way the invoker does (its host order and
// cool-down), fail over to the next host on a retryable failure, and record one usage row.
// Adapters return vectors without token counts, so input tokens are estimated (4 characters
// per token, OpenAI's rule of thumb) for usage, limits and cost.
import { z } from 'zod'
import type { ConnectionService } from '../models/connections.js'
import type { ModelInvoker } from '../models/invoker.js'
import type { UsageService } from '../models/usage.js'
import { ProviderError } from '../providers/types.js'
import type { GatewayModel } from './directory.js'
import { invalidRequest, providerFailure, unsupportedParam } from './errors.js'
import type { GatewayCaller } from './quota.js'

export const MAX_EMBEDDING_INPUTS = 2048

export const embeddingsBody = z.looseObject({
  model: z.string().min(1).max(256),
  input: z.union([
    z.string(),
    z.array(z.string()).max(MAX_EMBEDDING_INPUTS),
    z.array(z.number()),
    z.array(z.array(z.number())),
  ]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().min(1).nullish(),
  user: z.string().max(512).nullish(),
})
export type EmbeddingsBody = z.infer<typeof embeddingsBody>

export function inputsOf(body: EmbeddingsBody): string[] {
  if (body.dimensions != null) {
    throw unsupportedParam('dimensions', 'Choosing embedding dimensions is not supported by this gateway.')
  }
  const inputs = typeof body.input === 'string' ? [body.input] : body.input
  if (inputs.length === 0) throw invalidRequest("'input' must not be empty.", 'input')
  const texts: string[] = []
  for (const [i, item] of inputs.entries()) {
    if (typeof item !== 'string')
      throw unsupportedParam('input', 'Token arrays are not supported by this gateway; send text.')
    if (item === '') throw invalidRequest(`'input[${i}]' must not be an empty string.`, `input[${i}]`)
    texts.push(item)
  }
  return texts
}

export function estimateTokens(inputs: string[]): number {
  return inputs.reduce((sum, text) => sum + Math.max(1, Math.ceil(text.length / 4)), 0)
}

/** OpenAI's base64 form: the float32 little-endian bytes of the vector. */
export function encodeVector(vector: number[], format: 'float' | 'base64'): number[] | string {
  if (format === 'float') return vector
  const bytes = Buffer.alloc(vector.length * 4)
  for (const [i, value] of vector.entries()) bytes.writeFloatLE(value, i * 4)
  return bytes.toString('base64')
}

export class Embeddings {
  constructor(
    private readonly deps: { invoker: ModelInvoker; connections: ConnectionService; usage: UsageService },
  ) {}

  async embed(caller: GatewayCaller, entry: GatewayModel, inputs: string[]) {
    const { invoker, connections } = this.deps
    const started = performance.now()
    const tokens = estimateTokens(inputs)
    const record = (providerId: string | null, error: string | null) =>
      this.deps.usage.record({
        user_id: caller.userId,
        api_key_id: caller.apiKeyId,
        model_id: entry.model.id,
        model_name: entry.model.name,
        provider_id: providerId,
        source: 'gateway',
        input_tokens: error ? 0 : tokens,
        output_tokens: 0,
        ttft_ms: null,
        duration_ms: Math.round(performance.now() - started),
        outcome: error ? 'error' : 'success',
        error,
        cost: error ? 0 : (tokens * entry.model.pricing.inputPerMTok) / 1_000_000,
      })
    let failure: ProviderError | null = null
    for (const provider of await invoker.candidates(entry.model.id)) {
      try {
        const adapter = connections.adapterFor(provider)
        if (!adapter.embed) continue
        const vectors = await adapter.embed(entry.model.name, inputs)
        await record(provider.id, null)
        return { vectors, tokens }
      } catch (error) {
        failure =
          error instanceof ProviderError
            ? error
            : new ProviderError('upstream', error instanceof Error ? error.message : String(error))
        // A request the backend refused would be refused by its other hosts too.
        if (failure.kind === 'bad_request') break
        if (failure.retryable) invoker.markFailed(provider.id)
      }
    }
    const message = failure?.message ?? `No host can compute embeddings with ${entry.model.name}`
    await record(null, message)
    throw providerFailure(failure?.kind ?? 'unreachable', message, failure?.retryAfterMs)
  }
}
