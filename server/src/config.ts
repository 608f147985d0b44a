// Configuration: read once from environment and command-line flags, validated with one schema,
// then passed down explicitly. An invalid value stops start-up with a message naming it.
import path from 'node:path'
import { z } from 'zod'

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const configSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  dataDir: z.string().min(1).default('./data'),
  databaseUrl: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:)/, 'must start with postgres://, postgresql:// or sqlite:')
    .optional(),
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  secret: z
    .string()
    .refine((s) => Buffer.byteLength(s, 'utf8') >= 32, 'must be at least 32 bytes long')
    .optional(),
  /** Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed; empty = none. */
  trustProxy: z.string().default(''),
  /** Origins allowed for CORS and WebSocket connections besides the server's own. */
  allowedOrigins: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url())),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  accessTokenTtlSeconds: z.coerce.number().int().min(30).max(900).default(900),
  refreshTokenTtlDays: z.coerce.number().int().min(1).max(365).default(30),
  bodyLimitBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Requests per minute per user (or per address when anonymous) across the API. */
  rateLimitPerMinute: z.coerce.number().int().min(1).default(600),
  loginAttemptsPerMinute: z.coerce.number().int().min(1).default(10),
  serveWeb: bool.default(true),
  /** How long a new WebSocket may take to send its auth message before it is closed. */
  wsAuthTimeoutMs: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** An Ollama here is registered on first start when it answers; 'off' disables detection. */
  ollamaHost: z
    .string()
    .default('http://127.0.0.1:11434')
    .transform((v) => (v === 'off' || /^https?:\/\//.test(v) ? v : `http://${v}`))
    .pipe(z.union([z.literal('off'), z.url()])),
  /** How often model status is reconciled with the hosts; 0 turns the loop off. */
  reconcileIntervalMs: z.coerce.number().int().min(0).default(5000),
  /** Chat replies one user may have generating at once; more get a 429. */
  chatMaxConcurrentGenerations: z.coerce.number().int().min(1).max(100).default(3),
  /** The embedded llama.cpp engine: its provider is created on first start; 'false' skips that. */
  embedded: bool.default(true),
  /** Where GGUF files live; default <dataDir>/models. Imports must be inside it. */
  embeddedModelsDir: z.string().min(1).optional(),
  /** Memory loaded models may take together; default half of the machine's RAM. */
  embeddedMemoryBudgetMb: z.coerce.number().int().min(1).optional(),
  /** Loading past the budget unloads the least recently used model, or refuses. */
  embeddedOnBudget: z.enum(['evict-lru', 'refuse']).default('evict-lru'),
  /** Threads per loaded model; default (and maximum) the machine's core count. */
  embeddedThreads: z.coerce.number().int().min(1).optional(),
  /** Context size a model is loaded with (capped at what the model was trained for). */
  embeddedContextSize: z.coerce.number().int().min(64).max(1_048_576).default(4096),
  /** 'auto' uses CUDA/Vulkan/Metal when a prebuilt binary works here; 'off' is CPU only. */
  embeddedGpu: z.enum(['auto', 'off']).default('auto'),
})

export type Config = z.output<typeof configSchema> & { dataDir: string; embeddedModelsDir: string }
export type ConfigInput = Partial<Record<keyof z.input<typeof configSchema>, string | undefined>>

const envNames: Record<keyof ConfigInput, string> = {
  host: 'WEBPLUS_HOST',
  port: 'WEBPLUS_PORT',
  dataDir: 'WEBPLUS_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  secret: 'WEBPLUS_SECRET',
  trustProxy: 'WEBPLUS_TRUST_PROXY',
  allowedOrigins: 'WEBPLUS_ALLOWED_ORIGINS',
  logLevel: 'WEBPLUS_LOG_LEVEL',
  accessTokenTtlSeconds: 'WEBPLUS_ACCESS_TOKEN_TTL_SECONDS',
  refreshTokenTtlDays: 'WEBPLUS_REFRESH_TOKEN_TTL_DAYS',
  bodyLimitBytes: 'WEBPLUS_BODY_LIMIT_BYTES',
  rateLimitPerMinute: 'WEBPLUS_RATE_LIMIT_PER_MINUTE',
  loginAttemptsPerMinute: 'WEBPLUS_LOGIN_ATTEMPTS_PER_MINUTE',
  serveWeb: 'WEBPLUS_SERVE_WEB',
  wsAuthTimeoutMs: 'WEBPLUS_WS_AUTH_TIMEOUT_MS',
  ollamaHost: 'OLLAMA_HOST',
  reconcileIntervalMs: 'WEBPLUS_RECONCILE_INTERVAL_MS',
  chatMaxConcurrentGenerations: 'WEBPLUS_CHAT_MAX_CONCURRENT_GENERATIONS',
  embedded: 'WEBPLUS_EMBEDDED',
  embeddedModelsDir: 'WEBPLUS_EMBEDDED_MODELS_DIR',
  embeddedMemoryBudgetMb: 'WEBPLUS_EMBEDDED_MEMORY_BUDGET_MB',
  embeddedOnBudget: 'WEBPLUS_EMBEDDED_ON_BUDGET',
  embeddedThreads: 'WEBPLUS_EMBEDDED_THREADS',
  embeddedContextSize: 'WEBPLUS_EMBEDDED_CONTEXT_SIZE',
  embeddedGpu: 'WEBPLUS_EMBEDDED_GPU',
}

export class ConfigError extends Error {}

const flagKeys = new Set<keyof ConfigInput>(['host', 'port', 'dataDir', 'databaseUrl', 'redisUrl'])

/** Flags win over environment variables; empty strings count as unset. */
export function loadConfig(flags: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, string> = {}
  for (const [key, envName] of Object.entries(envNames)) {
    const value = flags[key as keyof ConfigInput] ?? env[envName]
    if (value !== undefined && value !== '') raw[key] = value
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0]) as keyof ConfigInput
      const flag = flagKeys.has(key) ? ` (--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)})` : ''
      return `${envNames[key] ?? key}${flag}: ${issue.message}`
    })
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  const dataDir = path.resolve(parsed.data.dataDir)
  const embeddedModelsDir = path.resolve(dataDir, parsed.data.embeddedModelsDir ?? 'models')
  return { ...parsed.data, dataDir, embeddedModelsDir }
}

export function envNameOf(key: keyof ConfigInput): string {
  return envNames[key]
}
