// What a catalog sync compares with a provider's answer, and the status a host moves to.
import type { Model, ModelHost } from '../db/schema.js'
import type { ModelInfo, RunningModel } from '../providers/types.js'

/** The columns a sync compares and keeps; the rest of a row is not read on every cycle. */
export const syncedModelColumns = [
  'id',
  'catalog_key',
  'family',
  'parameter_size',
  'quantization',
  'context_length',
  'capabilities',
  'size_bytes',
] as const
export type SyncedModel = Pick<Model, (typeof syncedModelColumns)[number]>
export type SyncedHost = Pick<ModelHost, 'status' | 'vram_bytes' | 'expires_at' | 'error' | 'size_bytes'>

export function metadataChanged(model: SyncedModel, info: ModelInfo): boolean {
  return (
    model.capabilities !== JSON.stringify(info.capabilities) ||
    (info.contextLength !== undefined && model.context_length !== info.contextLength) ||
    (info.sizeBytes !== undefined && model.size_bytes !== info.sizeBytes) ||
    (info.family !== undefined && model.family !== info.family)
  )
}

export function nextHostState(
  host: SyncedHost | undefined,
  live: RunningModel | undefined,
  knowsRunning: boolean,
): Pick<ModelHost, 'status' | 'vram_bytes' | 'expires_at' | 'error'> {
  const transitional =
    host && (host.status === 'loading' || host.status === 'unloading' || host.status === 'pulling')
  if (transitional)
    return {
      status: host.status,
      vram_bytes: host.vram_bytes,
      expires_at: host.expires_at,
      error: host.error,
    }
  if (live)
    return { status: 'loaded', vram_bytes: live.vramBytes, expires_at: live.expiresAt ?? null, error: null }
  // A failed load stays visible with its reason until someone acts on the model again.
  if (host?.status === 'error')
    return { status: 'error', vram_bytes: null, expires_at: null, error: host.error }
  if (!knowsRunning && host?.status === 'loaded') {
    return { status: 'loaded', vram_bytes: host.vram_bytes, expires_at: host.expires_at, error: null }
  }
  return { status: 'available', vram_bytes: null, expires_at: null, error: null }
}
