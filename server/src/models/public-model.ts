// A model as the API shows it: one catalog entry with the status of each host that has it,
// the best status first. Local engines share an entry by model name (its catalog key).
import type { HostModelStatus, Model, ModelHost, Provider, ProviderKind, Role } from '../db/schema.js'

export const localKinds: ProviderKind[] = ['ollama', 'embedded']

export interface PublicHost {
  providerId: string
  providerName: string
  status: HostModelStatus | 'unreachable'
  sizeBytes: number | null
  vramBytes: number | null
  expiresAt: string | null
  error: string | null
}

export interface PublicModel {
  id: string
  name: string
  displayName: string
  kind: ProviderKind
  family: string | null
  parameterSize: string | null
  quantization: string | null
  contextLength: number | null
  capabilities: string[]
  sizeBytes: number | null
  enabled: boolean
  allowedRoles: Role[]
  pricing: { inputPerMTok: number; outputPerMTok: number }
  /** Tried when this model fails before its first token (gateway calls). */
  fallbackModelId: string | null
  /** The best host's status; `no-host` when no enabled connection has it (admins see these). */
  status: PublicHost['status'] | 'disabled' | 'no-host'
  hosts: PublicHost[]
}

const statusRank: Record<PublicHost['status'], number> = {
  loaded: 0,
  loading: 1,
  unloading: 2,
  pulling: 3,
  available: 4,
  error: 5,
  unreachable: 6,
}

export function catalogKey(provider: Pick<Provider, 'id' | 'kind'>, name: string): string {
  return localKinds.includes(provider.kind) ? `${provider.kind}:${name}` : `${provider.id}:${name}`
}

export function toPublicModel(model: Model, hosts: Array<ModelHost & { provider: Provider }>): PublicModel {
  const publicHosts: PublicHost[] = hosts
    .filter((h) => h.provider.enabled === 1)
    .map(
      (h): PublicHost => ({
        providerId: h.provider_id,
        providerName: h.provider.name,
        status: h.provider.status === 'unreachable' ? 'unreachable' : h.status,
        sizeBytes: h.size_bytes,
        vramBytes: h.vram_bytes,
        expiresAt: h.expires_at,
        error: h.error,
      }),
    )
    .sort((a, b) => statusRank[a.status] - statusRank[b.status])
  const best = publicHosts[0]?.status ?? 'no-host'
  return {
    id: model.id,
    name: model.name,
    displayName: model.display_name ?? model.name,
    kind: model.kind,
    family: model.family,
    parameterSize: model.parameter_size,
    quantization: model.quantization,
    contextLength: model.context_length,
    capabilities: JSON.parse(model.capabilities) as string[],
    sizeBytes: model.size_bytes,
    enabled: model.enabled === 1,
    allowedRoles: JSON.parse(model.allowed_roles) as Role[],
    pricing: { inputPerMTok: model.price_input_per_mtok, outputPerMTok: model.price_output_per_mtok },
    fallbackModelId: model.fallback_model_id,
    status: model.enabled === 1 ? best : 'disabled',
    hosts: publicHosts,
  }
}
