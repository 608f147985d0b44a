// What admins do to accounts: list, change role, disable/enable, reset password.
// Disabling ends the user's sessions, API keys and live connections at once.
import { type SqlBool, sql } from 'kysely'
import type { AuditService } from '../audit/service.js'
import type { ApiKeyService } from '../auth/api-keys.js'
import { type AuthService, type PublicUser, toPublicUser } from '../auth/service.js'
import type { Db } from '../db/index.js'
import type { Role, User } from '../db/schema.js'
import { nowIso } from '../lib/ids.js'
import { conflict, notFound } from '../lib/problem.js'
import type { EventBus } from '../realtime/bus.js'

export interface Actor {
  id: string
  ip: string
}

export class UserAdminService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeyService,
    private readonly bus: EventBus,
  ) {}

  async list(query: { limit: number; cursor?: string; q?: string }) {
    let select = this.db.selectFrom('users').selectAll().orderBy('id', 'asc')
    if (query.cursor) select = select.where('id', '>', query.cursor)
    if (query.q) {
      // `%` and `_` in the search text are literal characters, not wildcards.
      const like = `%${query.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`
      select = select.where((eb) =>
        eb.or([
          sql<SqlBool>`${eb.ref('email')} like ${like} escape '\\'`,
          sql<SqlBool>`lower(${eb.ref('name')}) like ${like} escape '\\'`,
        ]),
      )
    }
    const rows = await select.limit(query.limit + 1).execute()
    const items = rows.slice(0, query.limit).map(toPublicUser)
    return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null }
  }

  async update(
    actor: Actor,
    userId: string,
    patch: { role?: Role; disabled?: boolean },
  ): Promise<PublicUser> {
    const user = await this.find(userId)
    const losesAdmin = user.role === 'admin' && ((patch.role && patch.role !== 'admin') || patch.disabled)
    if (losesAdmin && (await this.activeAdminCount()) <= 1) {
      throw conflict('This is the last active admin; make another admin first')
    }
    const now = nowIso()
    const changes: Partial<User> = { updated_at: now }
    if (patch.role) changes.role = patch.role
    if (patch.disabled !== undefined) changes.disabled_at = patch.disabled ? (user.disabled_at ?? now) : null
    const updated = await this.db
      .updateTable('users')
      .set(changes)
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow()
    if (patch.disabled && !user.disabled_at) {
      await this.auth.revokeSessions({ userId }, 'user-disabled')
      await this.apiKeys.revokeAllOf(userId)
      await this.bus.publishControl({ type: 'user.disabled', userId })
    } else if (patch.role && patch.role !== user.role) {
      await this.apiKeys.userChanged(userId)
    }
    await this.audit.record({
      action:
        patch.disabled === undefined
          ? 'admin.user_update'
          : patch.disabled
            ? 'admin.user_disable'
            : 'admin.user_enable',
      actorId: actor.id,
      actorIp: actor.ip,
      targetType: 'user',
      targetId: userId,
      details: { before: { role: user.role, disabled: user.disabled_at !== null }, patch },
    })
    return toPublicUser(updated)
  }

  async resetPassword(actor: Actor, userId: string, newPassword: string): Promise<void> {
    await this.find(userId)
    await this.auth.setPassword(userId, newPassword, 'newPassword')
    await this.auth.revokeSessions({ userId }, 'password-reset-by-admin')
    await this.audit.record({
      action: 'admin.user_password_reset',
      actorId: actor.id,
      actorIp: actor.ip,
      targetType: 'user',
      targetId: userId,
    })
  }

  async find(userId: string): Promise<User> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
    if (!user) throw notFound('User')
    return user
  }

  private async activeAdminCount(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }
}
