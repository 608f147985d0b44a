// The one interface every LLM backend is reached through (see DESIGN.md "Provider adapter"),
// and the error type every adapter reports failures with.

export type ProviderKind = 'ollama' | 'openai' | 'openai-compatible' | 'anthropic' | 'embedded'

export type ModelCapability = 'chat' | 'vision' | 'tools' | 'embeddings'

export interface ModelInfo {
  /** The name to send back in requests, e.g. `llama3.2:3b` or `gpt-4o-mini`. */
  name: string
  /** Human name when the backend has one (Anthropic's `display_name`). */
  displayName?: string
  family?: string
  /** As the backend reports it, e.g. `3.2B`. */
  parameterSize?: string
  /** e.g. `Q4_K_M`. */
  quantization?: string
  /** Maximum context in tokens. */
  contextLength?: number
  /** Empty for models that are neither chat nor embedding models (speech, images…). */
  capabilities: ModelCapability[]
  /** Size on disk, local engines only. */
  sizeBytes?: number
  digest?: string
  /** ISO 8601. */
  modifiedAt?: string
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** How long Ollama keeps a model in memory: seconds, or a duration such as `10m`; negative = forever. */
export type KeepAlive = number | string

export interface ChatRequest {
  model: string
  messages: ChatMessage[]
  temperature?: number
  topP?: number
  maxTokens?: number
  /** Ollama only; ignored elsewhere. */
  keepAlive?: KeepAlive
  /** Sampling seed for a repeatable reply; the embedded engine honours it, others may ignore it. */
  seed?: number
}

/** Why a reply ended. `aborted`: the caller's AbortSignal fired. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'aborted' | 'other'

/**
 * What `chat()` yields: any number of `delta`s, then at most one `usage`, then exactly one
 * `done` or one `error`, which is always the last event. `chat()` never throws.
 */
export type ChatEvent =
  | { type: 'delta'; text: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number }
  | { type: 'done'; finishReason: FinishReason }
  | { type: 'error'; message: string; retryable: boolean; kind: ProviderErrorKind; retryAfterMs?: number }

export interface RunningModel {
  name: string
  /** Memory the loaded model takes in total. */
  sizeBytes: number
  /** The part of sizeBytes held in GPU memory. */
  vramBytes: number
  /** ISO 8601; absent when the backend does not say. */
  expiresAt?: string
}

export interface PullProgress {
  /** Ollama's status line: `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `success`… */
  status: string
  digest?: string
  completedBytes?: number
  totalBytes?: number
}

export interface Health {
  ok: boolean
  latencyMs: number
  /** Why it is not ok, user-readable. */
  error?: string
  /** Backend version when it reports one (Ollama). */
  version?: string
}

export interface ModelDetails {
  name: string
  modelfile?: string
  /** Ollama's `parameters` text, one `key value` per line. */
  parameters?: string
  template?: string
  system?: string
  license?: string
  family?: string
  parameterSize?: string
  quantization?: string
  contextLength?: number
  capabilities: ModelCapability[]
  /** Raw `model_info` from Ollama (architecture, context length, tokenizer…). */
  modelInfo?: Record<string, unknown>
  /** Embedded engine: memory loading would take (estimated from the file) and takes now. */
  memory?: { estimatedBytes: number; contextSize: number; residentBytes: number | null }
}

export interface ProviderAdapter {
  readonly kind: ProviderKind
  listModels(): Promise<ModelInfo[]>
  /** Streams a reply. Aborting `signal` cancels the upstream HTTP request and ends with `done: aborted`. */
  chat(req: ChatRequest, signal: AbortSignal): AsyncIterable<ChatEvent>
  embed?(model: string, input: string[]): Promise<number[][]>
  // Capabilities of local engines; absent where a backend cannot do it.
  running?(): Promise<RunningModel[]>
  load?(model: string, keepAlive?: KeepAlive): Promise<void>
  /** Resolves once the backend no longer lists the model as running. */
  unload?(model: string): Promise<void>
  /** Throws ProviderError (kind `aborted` when `signal` fires) if the pull does not finish. */
  pull?(model: string, signal: AbortSignal): AsyncIterable<PullProgress>
  remove?(model: string): Promise<void>
  show?(model: string): Promise<ModelDetails>
  /** Never throws: a failure is `{ok: false, error}`. */
  health(): Promise<Health>
}

export type ProviderErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'not_found'
  | 'rate_limited'
  | 'timeout'
  | 'unreachable'
  | 'bad_response'
  | 'upstream'
  | 'aborted'

/**
 * The status Web+ answers its own clients with. Never 401/403: those would tell the browser
 * that *its* session is bad, when it is the provider's key that was rejected.
 */
const statusByKind: Record<ProviderErrorKind, number> = {
  bad_request: 400,
  unauthorized: 502,
  not_found: 404,
  rate_limited: 429,
  timeout: 504,
  unreachable: 503,
  bad_response: 502,
  upstream: 502,
  aborted: 499,
}

const retryableKinds: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'timeout',
  'unreachable',
  'upstream',
])

export interface ProviderErrorOptions {
  /** HTTP status the provider answered with, when it answered. */
  upstreamStatus?: number
  /** From the provider's `retry-after`. */
  retryAfterMs?: number
  cause?: unknown
}

/** A failure talking to a provider, with a message that may be shown to users as is. */
export class ProviderError extends Error {
  override readonly name = 'ProviderError'
  readonly kind: ProviderErrorKind
  readonly status: number
  readonly retryable: boolean
  readonly upstreamStatus?: number
  readonly retryAfterMs?: number

  constructor(kind: ProviderErrorKind, message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.kind = kind
    this.status = statusByKind[kind]
    this.retryable = retryableKinds.has(kind)
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
  }
}

/** Where a provider is, as an admin registered it. */
export interface ProviderConnection {
  kind: ProviderKind
  /** Ollama: `http://host:11434`; OpenAI(-compatible): `…/v1` (added when the path is empty); Anthropic: `https://api.anthropic.com`. */
  baseUrl: string
  apiKey?: string
}

export interface AdapterOptions {
  /** Non-streaming calls: list, show, ps, delete, embeddings, health. Default 30 s. */
  timeoutMs?: number
  /** OpenAI and Anthropic: time until a streamed reply starts. Default 300 s. */
  streamStartTimeoutMs?: number
  /** Ollama: loading a model into memory. Default 300 s. */
  loadTimeoutMs?: number
  /** Ollama: how long unload waits for /api/ps to stop listing the model. Default 10 s. */
  unloadConfirmMs?: number
}

export const defaultAdapterOptions: Required<AdapterOptions> = {
  timeoutMs: 30_000,
  streamStartTimeoutMs: 300_000,
  loadTimeoutMs: 300_000,
  unloadConfirmMs: 10_000,
}
