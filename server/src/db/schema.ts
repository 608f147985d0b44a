// Row types for every table, combined into one Database type for Kysely.
// Times are ISO-8601 UTC strings on both dialects; flags are nullable timestamps.
import type { Insertable, Selectable, Updateable } from 'kysely'

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

export interface Database {
  users: UsersTable
  sessions: SessionsTable
  refresh_tokens: RefreshTokensTable
  api_keys: ApiKeysTable
  audit_events: AuditEventsTable
  settings: SettingsTable
}

export type User = Selectable<UsersTable>
export type NewUser = Insertable<UsersTable>
export type UserUpdate = Updateable<UsersTable>
export type Session = Selectable<SessionsTable>
export type ApiKey = Selectable<ApiKeysTable>
export type AuditEvent = Selectable<AuditEventsTable>
