// API keys: `wp_` + 192 random bits, shown once, stored as a SHA-256 hash, scoped, expiring,
// revocable. Revoking or disabling ends their use on the next request: verified keys are kept in
// memory with their owner, expiry is checked against the clock on every use, and the bus's
// control events (revoked key, disabled or changed user) drop entries on every instance.
import { z } from 'zod'
import type { AuditService } from '../audit/service.js'
import type { Db } from '../db/index.js'
import type { ApiKey, User } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, notFound } from '../lib/problem.js'
import type { EventBus } from '../realtime/bus.js'
import { randomToken, sha256 } from './tokens.js'

export const apiKeyScopes = ['read', 'write', 'admin', 'gateway'] as const
export const apiKeyScopeSchema = z.enum(apiKeyScopes)
export type ApiKeyScope = z.infer<typeof apiKeyScopeSchema>

export const KEY_PREFIX = 'wp_'

export interface PublicApiKey {
  id: string
  name: string
  prefix: string
  last4: string
  scopes: ApiKeyScope[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

function toPublic(row: ApiKey): PublicApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    last4: row.last4,
    scopes: z.array(apiKeyScopeSchema).parse(JSON.parse(row.scopes)),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }
}

interface VerifiedKey {
  row: ApiKey
  user: User
  apiKey: PublicApiKey
  /** When it was read from the database; an entry is read again after VERIFIED_TTL_MS. */
  at: number
}

/** A safety net for changes made outside the services (which announce theirs on the bus). */
const VERIFIED_TTL_MS = 60_000
const VERIFIED_MAX = 10_000

export class ApiKeyService {
  /** By key hash. */
  private readonly verified = new Map<string, VerifiedKey>()
  /** Bumped on every invalidation, so that a lookup that raced one is not cached. */
  private generation = 0

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly bus: EventBus,
  ) {
    bus.onControl((event) => {
      if (event.type === 'api-key.revoked') this.forget((entry) => entry.row.id === event.apiKeyId)
      else if (event.type === 'user.disabled' || event.type === 'user.changed')
        this.forget((entry) => entry.user.id === event.userId)
    })
  }

  /** After a user's row changed (role, name): their keys are read again on next use, everywhere. */
  async userChanged(userId: string): Promise<void> {
    this.forget((entry) => entry.user.id === userId)
    await this.bus.publishControl({ type: 'user.changed', userId })
  }

  private forget(matches: (entry: VerifiedKey) => boolean): void {
    this.generation += 1
    for (const [hash, entry] of this.verified) if (matches(entry)) this.verified.delete(hash)
  }

  async create(
    userId: string,
    input: { name: string; scopes: ApiKeyScope[]; expiresAt?: string },
    ip: string,
  ): Promise<{ key: string; apiKey: PublicApiKey }> {
    if (input.expiresAt && input.expiresAt <= nowIso()) {
      throw badRequest('expiresAt must be in the future', [{ field: 'expiresAt', message: 'is in the past' }])
    }
    const key = `${KEY_PREFIX}${randomToken(24)}`
    const row = await this.db
      .insertInto('api_keys')
      .values({
        id: newId(),
        user_id: userId,
        name: input.name.trim(),
        prefix: key.slice(0, 7),
        last4: key.slice(-4),
        key_hash: sha256(key),
        scopes: JSON.stringify([...new Set(input.scopes)]),
        created_at: nowIso(),
        expires_at: input.expiresAt ? new Date(input.expiresAt).toISOString() : null,
        last_used_at: null,
        revoked_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await this.audit.record({
      action: 'api_key.create',
      actorId: userId,
      actorIp: ip,
      targetType: 'api_key',
      targetId: row.id,
      details: { name: row.name, scopes: input.scopes },
    })
    return { key, apiKey: toPublic(row) }
  }

  async list(userId: string): Promise<PublicApiKey[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toPublic)
  }

  /** Revokes one of the caller's own keys; another user's key is reported as not found. */
  async revoke(userId: string, keyId: string, ip: string): Promise<void> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso() })
      .where('id', '=', keyId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.db
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', keyId)
        .where('user_id', '=', userId)
        .executeTakeFirst()
      if (!exists) throw notFound('API key')
      return
    }
    this.forget((entry) => entry.row.id === keyId)
    await this.bus.publishControl({ type: 'api-key.revoked', apiKeyId: keyId })
    await this.audit.record({
      action: 'api_key.revoke',
      actorId: userId,
      actorIp: ip,
      targetType: 'api_key',
      targetId: keyId,
    })
  }

  async revokeAllOf(userId: string): Promise<void> {
    const rows = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: nowIso() })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute()
    this.forget((entry) => entry.user.id === userId)
    for (const { id } of rows) await this.bus.publishControl({ type: 'api-key.revoked', apiKeyId: id })
  }

  /** Resolves a presented key to its owner; null for unknown, revoked, expired or disabled. */
  async authenticate(key: string): Promise<{ user: User; apiKey: PublicApiKey } | null> {
    if (!key.startsWith(KEY_PREFIX)) return null
    const hash = sha256(key)
    const cached = this.verified.get(hash)
    const entry = cached && Date.now() - cached.at < VERIFIED_TTL_MS ? cached : await this.load(hash)
    if (!entry) return null
    const now = nowIso()
    const { row } = entry
    if (row.revoked_at || (row.expires_at && row.expires_at <= now) || entry.user.disabled_at) {
      this.verified.delete(hash)
      return null
    }
    // Last use is kept to the minute so that a busy key does not write on every request.
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
      row.last_used_at = now
      entry.apiKey.lastUsedAt = now
      await this.db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute()
    }
    return { user: entry.user, apiKey: entry.apiKey }
  }

  /** Reads a key and its owner; a usable pair is kept for the next requests. */
  private async load(hash: string): Promise<VerifiedKey | null> {
    const generation = this.generation
    const row = await this.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_hash', '=', hash)
      .executeTakeFirst()
    if (!row) return null
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', row.user_id)
      .executeTakeFirst()
    if (!user) return null
    const entry: VerifiedKey = { row, user, apiKey: toPublic(row), at: Date.now() }
    const usable = !row.revoked_at && !user.disabled_at
    if (usable && generation === this.generation) {
      if (this.verified.size >= VERIFIED_MAX) this.verified.clear()
      this.verified.set(hash, entry)
    }
    return entry
  }
}
