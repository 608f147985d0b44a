// Row types for every table, combined into one Database type for Kysely.
// Times are ISO-8601 UTC strings on both dialects; flags are nullable timestamps.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Role = 'admin' | 'developer' | 'user'

export interface UsersTable {
  id: string
  email: string
  name: string
  role: Role
  password_hash: string
  created_at: string
  updated_at: string
  disabled_at: string | null
  password_changed_at: string
}

/** A session is one sign-in on one device; its refresh tokens form one rotation family. */
export interface SessionsTable {
  id: string
  user_id: string
  created_at: string
  last_used_at: string
  expires_at: string
  revoked_at: string | null
  revoked_reason: string | null
  user_agent: string | null
  ip: string | null
}

export interface RefreshTokensTable {
  id: string
  session_id: string
  token_hash: string
  created_at: string
  used_at: string | null
}

export interface ApiKeysTable {
  id: string
  user_id: string
  name: string
  prefix: string
  last4: string
  key_hash: string
  scopes: string // JSON array
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
}

export interface AuditEventsTable {
  seq: number
  id: string
  at: string
  actor_id: string | null
  actor_ip: string | null
  action: string
  target_type: string | null
  target_id: string | null
  outcome: 'success' | 'failure'
  details: string // JSON object
  prev_hash: string
  hash: string
}

export interface SettingsTable {
  key: string
  value: string // JSON
  updated_at: string
}

export type ProviderKind = 'ollama' | 'openai' | 'anthropic' | 'openai-compatible' | 'embedded'
export type HostModelStatus = 'available' | 'loading' | 'loaded' | 'unloading' | 'pulling' | 'error'

export interface ProvidersTable {
  id: string
  name: string
  kind: ProviderKind
  base_url: string
  api_key_sealed: string | null
  api_key_last4: string | null
  enabled: number
  status: 'unknown' | 'ok' | 'unreachable'
  last_error: string | null
  latency_ms: number | null
  checked_at: string | null
  created_at: string
  updated_at: string
}

export interface ModelsTable {
  id: string
  catalog_key: string
  name: string
  kind: ProviderKind
  display_name: string | null
  family: string | null
  parameter_size: string | null
  quantization: string | null
  context_length: number | null
  capabilities: string // JSON array
  size_bytes: number | null
  enabled: number
  allowed_roles: string // JSON array of roles
  price_input_per_mtok: number
  price_output_per_mtok: number
  fallback_model_id: string | null
  created_at: string
  updated_at: string
}

export interface ModelHostsTable {
  model_id: string
  provider_id: string
  status: HostModelStatus
  size_bytes: number | null
  vram_bytes: number | null
  expires_at: string | null
  error: string | null
  updated_at: string
}

export interface PullsTable {
  id: string
  provider_id: string
  model_name: string
  status: 'running' | 'succeeded' | 'failed' | 'cancelled'
  detail: string | null
  completed_bytes: number
  total_bytes: number | null
  bytes_per_second: number | null
  error: string | null
  started_by: string | null
  created_at: string
  updated_at: string
}

export interface UsageEventsTable {
  id: string
  at: string
  user_id: string | null
  api_key_id: string | null
  model_id: string | null
  model_name: string
  provider_id: string | null
  source: string
  input_tokens: number
  output_tokens: number
  ttft_ms: number | null
  duration_ms: number
  tokens_per_second: number | null
  outcome: 'success' | 'error' | 'cancelled'
  error: string | null
  cost: number
}

export type TitleState = 'default' | 'auto' | 'user'

/** A chat conversation; `selected_leaf_id` is the message whose branch the owner last chose. */
export interface ConversationsTable {
  id: string
  user_id: string
  title: string
  /** `default` until auto-titled (`auto`) or renamed by the owner (`user`). */
  title_state: TitleState
  folder: string | null
  model_id: string | null
  system_prompt: string | null
  temperature: number | null
  top_p: number | null
  max_tokens: number | null
  selected_leaf_id: string | null
  pinned_at: string | null
  archived_at: string | null
  created_at: string
  updated_at: string
}

export interface ConversationTagsTable {
  conversation_id: string
  tag: string
}

export type MessageRole = 'user' | 'assistant'
export type MessageState = 'complete' | 'streaming' | 'stopped' | 'error' | 'interrupted'

/** One node of a conversation's message tree; siblings are edits or regenerations. */
export interface MessagesTable {
  id: string
  conversation_id: string
  parent_id: string | null
  /** Number of ancestors (0 for a root). */
  depth: number
  role: MessageRole
  content: string
  state: MessageState
  error: string | null
  model_id: string | null
  model_name: string | null
  /** The latest generation that wrote this message. */
  generation_id: string | null
  input_tokens: number | null
  output_tokens: number | null
  ttft_ms: number | null
  duration_ms: number | null
  cost: number | null
  /** Older messages left out of the context of this reply to fit the model. */
  context_trimmed: Generated<number>
  feedback_rating: 'up' | 'down' | null
  feedback_comment: string | null
  created_at: string
  updated_at: string
}

/** A reply job: writes one assistant message (a `continue` adds a second job to the same message). */
export interface GenerationsTable {
  id: string
  message_id: string
  user_id: string
  state: MessageState
  /** The id of the last stream event, once finished. */
  seq: Generated<number>
  error: string | null
  created_at: string
  finished_at: string | null
}

export interface ChatPresetsTable {
  id: string
  user_id: string
  name: string
  model_id: string | null
  system_prompt: string | null
  temperature: number | null
  top_p: number | null
  max_tokens: number | null
  created_at: string
  updated_at: string
}

/** Gateway limits of one user (`user:<id>`) or one API key (`key:<id>`); null = no limit. */
export interface GatewayLimitsTable {
  subject: string
  user_id: string
  api_key_id: string | null
  requests_per_minute: number | null
  tokens_per_minute: number | null
  tokens_per_day: number | null
  tokens_per_month: number | null
  budget_per_day: number | null
  budget_per_month: number | null
  allowed_models: string | null // JSON array of model ids
  updated_at: string
}

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  refresh_tokens: RefreshTokensTable
  api_keys: ApiKeysTable
  audit_events: AuditEventsTable
  settings: SettingsTable
  providers: ProvidersTable
  models: ModelsTable
  model_hosts: ModelHostsTable
  pulls: PullsTable
  usage_events: UsageEventsTable
  conversations: ConversationsTable
  conversation_tags: ConversationTagsTable
  messages: MessagesTable
  generations: GenerationsTable
  chat_presets: ChatPresetsTable
  gateway_limits: GatewayLimitsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type AuditEvent = Selectable<AuditEventsTable>
export type Provider = Selectable<ProvidersTable>
export type Model = Selectable<ModelsTable>
export type ModelHost = Selectable<ModelHostsTable>
export type Pull = Selectable<PullsTable>
export type UsageEvent = Selectable<UsageEventsTable>
export type Conversation = Selectable<ConversationsTable>
export type Message = Selectable<MessagesTable>
export type NewMessage = Insertable<MessagesTable>
export type Generation = Selectable<GenerationsTable>
export type ChatPreset = Selectable<ChatPresetsTable>
export type GatewayLimitRow = Selectable<GatewayLimitsTable>
