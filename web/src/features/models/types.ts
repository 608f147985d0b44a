// The LLM Manager's shapes, as server/src/models/routes.ts answers them.
import type { Role } from '@/types/api'

export type ModelKind = 'ollama' | 'openai' | 'anthropic' | 'openai-compatible' | 'embedded'

export type HostStatus =
  | 'available'
  | 'loading'
  | 'loaded'
  | 'unloading'
  | 'pulling'
  | 'error'
  | 'unreachable'

/**
 * A model's status across its hosts: the best host's, `disabled` when an admin turned it off, or
 * `no-host` when no enabled connection has it (only admins see such models).
 */
export type ModelStatus = HostStatus | 'disabled' | 'no-host'

export interface ModelHost {
  providerId: string
  providerName: string
  status: HostStatus
  sizeBytes: number | null
  vramBytes: number | null
  expiresAt: string | null
  error: string | null
}

export interface ModelPricing {
  inputPerMTok: number
  outputPerMTok: number
}

export interface Model {
  id: string
  name: string
  displayName: string
  kind: ModelKind
  family: string | null
  parameterSize: string | null
  quantization: string | null
  contextLength: number | null
  capabilities: string[]
  sizeBytes: number | null
  enabled: boolean
  allowedRoles: Role[]
  /** Tried when this model fails before its first token (gateway calls); null: none. */
  fallbackModelId: string | null
  pricing: ModelPricing
  status: ModelStatus
  hosts: ModelHost[]
}

export type PullStatus = 'running' | 'succeeded' | 'failed' | 'cancelled'

export interface Pull {
  id: string
  providerId: string
  model: string
  status: PullStatus
  detail: string | null
  completedBytes: number
  totalBytes: number | null
  percent: number | null
  bytesPerSecond: number | null
  error: string | null
  createdAt: string
  updatedAt: string
}

export const METRIC_WINDOWS = ['1h', '24h', '7d'] as const
export type MetricWindow = (typeof METRIC_WINDOWS)[number]

export interface MetricPoint {
  t: string
  requests: number
  errors: number
  latencyP50Ms: number | null
  ttftP50Ms: number | null
  tokensPerSecond: number | null
  inputTokens: number
  outputTokens: number
  cost: number
}

export interface ModelMetrics {
  window: MetricWindow
  requests: number
  requestsPerMinute: number
  errorRate: number
  latencyMs: { p50: number | null; p95: number | null }
  ttftMs: { p50: number | null; p95: number | null }
  tokensPerSecond: number | null
  inputTokens: number
  outputTokens: number
  cost: number
  series: MetricPoint[]
}

/** Engines on the operator's own machines: models are pulled, loaded and unloaded there. */
export function isLocalKind(kind: ModelKind): boolean {
  return kind === 'ollama' || kind === 'embedded'
}
