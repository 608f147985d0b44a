// Response schemas of the LLM Manager API shared by its route files.
import { z } from 'zod'
import { roleSchema } from '../http/schemas.js'

export const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['ollama', 'openai', 'anthropic', 'openai-compatible', 'embedded']),
  baseUrl: z.string(),
  apiKey: z.object({ set: z.boolean(), last4: z.string().nullable() }),
  enabled: z.boolean(),
  status: z.enum(['unknown', 'ok', 'unreachable']),
  lastError: z.string().nullable(),
  latencyMs: z.number().nullable(),
  checkedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export const hostSchema = z.object({
  providerId: z.string(),
  providerName: z.string(),
  status: z.enum(['available', 'loading', 'loaded', 'unloading', 'pulling', 'error', 'unreachable']),
  sizeBytes: z.number().nullable(),
  vramBytes: z.number().nullable(),
  expiresAt: z.string().nullable(),
  error: z.string().nullable(),
})
export const modelSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  kind: providerSchema.shape.kind,
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().nullable(),
  capabilities: z.array(z.string()),
  sizeBytes: z.number().nullable(),
  enabled: z.boolean(),
  allowedRoles: z.array(roleSchema),
  pricing: z.object({ inputPerMTok: z.number(), outputPerMTok: z.number() }),
  fallbackModelId: z.string().nullable(),
  status: z.union([hostSchema.shape.status, z.literal('disabled'), z.literal('no-host')]),
  hosts: z.array(hostSchema),
})
export const pullSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  model: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  detail: z.string().nullable(),
  completedBytes: z.number(),
  totalBytes: z.number().nullable(),
  percent: z.number().nullable(),
  bytesPerSecond: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
