// Who is calling the gateway and which models they may use: the caller comes from the API key
// the auth guard resolved; a model is usable when the role may use it (the invoker's rule),
// it has a host, and both the key's and the owner's allowed-model lists (when set) include it.
import type { FastifyRequest } from 'fastify'
import { caller as authCaller } from '../auth/guard.js'
import { type GatewayModel, type ModelDirectory, usableBy } from './directory.js'
import { GatewayError, invalidApiKey, modelNotFound } from './errors.js'
import { allowsModel } from './limits.js'
import type { CallerLimits, GatewayCaller } from './quota.js'

/** The gateway takes API keys only: limits, allowed models and usage are per key. */
export function gatewayCaller(request: FastifyRequest): GatewayCaller {
  const { user, apiKey } = authCaller(request)
  if (!apiKey) {
    throw invalidApiKey(
      "The gateway accepts only Web+ API keys (wp_…) with the 'gateway' scope; create one under Settings → API keys.",
    )
  }
  return { userId: user.id, role: user.role, apiKeyId: apiKey.id }
}

const credentialParams = new Set([
  'key',
  'api_key',
  'apikey',
  'api-key',
  'access_token',
  'token',
  'authorization',
])

/** True when the query string carries something that looks like a credential. */
export function credentialInQuery(request: FastifyRequest): boolean {
  const query = request.query
  if (!query || typeof query !== 'object') return false
  for (const [name, value] of Object.entries(query as Record<string, unknown>)) {
    if (credentialParams.has(name.toLowerCase())) return true
    if (typeof value === 'string' && /(^|\s)(wp_|Bearer\s)/i.test(value)) return true
  }
  return false
}

export const keyInQueryRefused = () =>
  invalidApiKey(
    'API keys in the URL are refused (URLs end up in logs and histories); send the key as `Authorization: Bearer wp_…`.',
  )

export function canUse(entry: GatewayModel, caller: GatewayCaller, limits: CallerLimits): boolean {
  return usableBy(entry, caller.role) && allowsModel([limits.user, limits.key], entry.model.id)
}

/** The model a call names, or 404 (unknown, or hidden from this role) / 403 (not on an allowed list). */
export async function resolveModel(
  directory: ModelDirectory,
  caller: GatewayCaller,
  limits: CallerLimits,
  requested: string,
): Promise<GatewayModel> {
  const entry = await directory.resolve(requested)
  if (!entry || !usableBy(entry, caller.role)) throw modelNotFound(requested)
  if (!allowsModel([limits.key], entry.model.id)) {
    throw new GatewayError(
      403,
      `This API key may not use the model '${entry.id}'.`,
      'permission_error',
      'model_not_allowed',
      'model',
    )
  }
  if (!allowsModel([limits.user], entry.model.id)) {
    throw new GatewayError(
      403,
      `Your account may not use the model '${entry.id}'.`,
      'permission_error',
      'model_not_allowed',
      'model',
    )
  }
  return entry
}
