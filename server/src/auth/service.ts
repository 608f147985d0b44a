// Accounts and sessions: registration (first account becomes the one admin), sign-in, refresh
// token rotation with reuse detection, sign-out, password changes, and request authentication.

import type { SettingsService } from '../admin/settings.js'
import type { AuditService } from '../audit/service.js'
import type { Db } from '../db/index.js'
import type { Role, User } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { conflict, forbidden, HttpProblem, unauthorized } from '../lib/problem.js'
import type { EventBus } from '../realtime/bus.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import { type AccessClaims, type AccessTokens, randomToken, sha256 } from './tokens.js'

export interface PublicUser {
  id: string
  email: string
  name: string
  role: Role
  createdAt: string
  disabled: boolean
}

export interface ClientInfo {
  ip: string
  userAgent: string | null
}

export interface IssuedTokens {
  accessToken: string
  expiresIn: number
  refreshToken: string
  refreshExpiresAt: string
  /** For the page cookie: lets the server render the app's pages for this session. */
  pageToken: string
  user: PublicUser
}

export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: user.created_at,
    disabled: user.disabled_at !== null,
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

const ADMIN_CLAIM_KEY = 'accounts.first-admin'

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    private readonly bus: EventBus,
    readonly tokens: AccessTokens,
    private readonly refreshTtlDays: number,
  ) {}

  async checkedPasswordHash(password: string, field = 'password'): Promise<string> {
    const problem = passwordProblem(password)
    if (problem) {
      throw new HttpProblem(400, 'weak-password', `The ${field} ${problem}`, {
        errors: [{ field, message: problem }],
      })
    }
    return hashPassword(password)
  }

  /** Creates an account. The first account ever created is the admin: whoever inserts the
   * claim row wins, which holds across racing requests and processes on both databases. */
  async register(
    input: { email: string; password: string; name: string },
    client: ClientInfo | null,
    options: { forceRole?: Role } = {},
  ): Promise<PublicUser> {
    const email = normalizeEmail(input.email)
    const passwordHash = await this.checkedPasswordHash(input.password)
    const now = nowIso()
    const id = newId()
    const user = await this.db.transaction().execute(async (trx) => {
      const claim = await trx
        .insertInto('settings')
        .values({ key: ADMIN_CLAIM_KEY, value: JSON.stringify(id), updated_at: now })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst()
      const isFirst = Number(claim.numInsertedOrUpdatedRows ?? 0n) === 1
      if (!isFirst && !options.forceRole && !(await this.settings.registrationOpen(trx))) {
        throw forbidden('Registration is closed; ask an administrator for an account')
      }
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst()
      if (existing) throw conflict('An account with this e-mail already exists')
      const role: Role = isFirst ? 'admin' : (options.forceRole ?? 'user')
      return trx
        .insertInto('users')
        .values({
          id,
          email,
          name: input.name.trim(),
          role,
          password_hash: passwordHash,
          created_at: now,
          updated_at: now,
          disabled_at: null,
          password_changed_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
    })
    await this.audit.record({
      action: 'user.register',
      actorId: user.id,
      actorIp: client?.ip,
      targetType: 'user',
      targetId: user.id,
      details: { role: user.role },
    })
    return toPublicUser(user)
  }

  async login(input: { email: string; password: string }, client: ClientInfo): Promise<IssuedTokens> {
    const email = normalizeEmail(input.email)
    const user = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst()
    const ok = await verifyPassword(user?.password_hash ?? null, input.password)
    if (!user || !ok || user.disabled_at) {
      await this.audit.record({
        action: 'auth.login',
        outcome: 'failure',
        actorId: user?.id ?? null,
        actorIp: client.ip,
        details: { email, reason: !user ? 'unknown-account' : !ok ? 'wrong-password' : 'disabled' },
      })
      throw new HttpProblem(401, 'invalid-credentials', 'E-mail or password is incorrect')
    }
    const sessionId = newId()
    const now = new Date()
    const expiresAt = new Date(now.getTime() + this.refreshTtlDays * 86_400_000).toISOString()
    await this.db
      .insertInto('sessions')
      .values({
        id: sessionId,
        user_id: user.id,
        created_at: now.toISOString(),
        last_used_at: now.toISOString(),
        expires_at: expiresAt,
        revoked_at: null,
        revoked_reason: null,
        user_agent: client.userAgent?.slice(0, 300) ?? null,
        ip: client.ip,
      })
      .execute()
    const refreshToken = await this.issueRefreshToken(sessionId)
    await this.audit.record({
      action: 'auth.login',
      actorId: user.id,
      actorIp: client.ip,
      targetType: 'session',
      targetId: sessionId,
    })
    return this.issue(user, sessionId, refreshToken, expiresAt)
  }

  /** Rotates a refresh token. A token used twice means it leaked: the whole family (session)
   * is revoked, and both the thief and the owner must sign in again. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const row = await this.db
      .selectFrom('refresh_tokens as t')
      .innerJoin('sessions as s', 's.id', 't.session_id')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select([
        't.id as tokenId',
        't.used_at',
        's.id as sessionId',
        's.revoked_at',
        's.expires_at',
        'u.id as userId',
      ])
      .where('t.token_hash', '=', sha256(refreshToken))
      .executeTakeFirst()
    if (!row) throw unauthorized('Sign in again')
    const now = nowIso()
    const claimed = await this.db
      .updateTable('refresh_tokens')
      .set({ used_at: now })
      .where('id', '=', row.tokenId)
      .where('used_at', 'is', null)
      .executeTakeFirst()
    if (Number(claimed.numUpdatedRows) !== 1) {
      await this.revokeSessions({ sessionId: row.sessionId }, 'refresh-token-reuse')
      await this.audit.record({
        action: 'auth.refresh_reuse',
        outcome: 'failure',
        actorId: row.userId,
        actorIp: client.ip,
        targetType: 'session',
        targetId: row.sessionId,
      })
      throw unauthorized('This sign-in was ended because its refresh token was used twice; sign in again')
    }
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', row.userId)
      .executeTakeFirstOrThrow()
    if (row.revoked_at || row.expires_at <= now || user.disabled_at) throw unauthorized('Sign in again')
    await this.db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', row.sessionId).execute()
    const next = await this.issueRefreshToken(row.sessionId)
    return this.issue(user, row.sessionId, next, row.expires_at)
  }

  async logout(refreshToken: string | undefined, sessionId: string | undefined, client: ClientInfo) {
    let target = sessionId
    if (!target && refreshToken) {
      const row = await this.db
        .selectFrom('refresh_tokens')
        .select('session_id')
        .where('token_hash', '=', sha256(refreshToken))
        .executeTakeFirst()
      target = row?.session_id
    }
    if (!target) return
    const session = await this.db
      .selectFrom('sessions')
      .select('user_id')
      .where('id', '=', target)
      .executeTakeFirst()
    await this.revokeSessions({ sessionId: target }, 'logout')
    await this.audit.record({
      action: 'auth.logout',
      actorId: session?.user_id ?? null,
      actorIp: client.ip,
      targetType: 'session',
      targetId: target,
    })
  }

  /** Revokes sessions by id or by user (optionally keeping one) and closes their live sockets. */
  async revokeSessions(
    which: { sessionId: string } | { userId: string; exceptSessionId?: string },
    reason: string,
  ): Promise<number> {
    let query = this.db
      .updateTable('sessions')
      .set({ revoked_at: nowIso(), revoked_reason: reason })
      .where('revoked_at', 'is', null)
    if ('sessionId' in which) query = query.where('id', '=', which.sessionId)
    else {
      query = query.where('user_id', '=', which.userId)
      if (which.exceptSessionId) query = query.where('id', '!=', which.exceptSessionId)
    }
    const result = await query.returning('id').execute()
    for (const { id } of result) await this.bus.publishControl({ type: 'session.revoked', sessionId: id })
    return result.length
  }

  async listSessions(userId: string) {
    return this.db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_used_at', 'expires_at', 'user_agent', 'ip'])
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', nowIso())
      .orderBy('last_used_at', 'desc')
      .execute()
  }

  async changePassword(
    userId: string,
    currentSessionId: string | undefined,
    input: { currentPassword: string; newPassword: string },
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
      await this.audit.record({
        action: 'user.password_change',
        outcome: 'failure',
        actorId: userId,
        actorIp: client.ip,
      })
      throw new HttpProblem(400, 'wrong-password', 'The current password is incorrect', {
        errors: [{ field: 'currentPassword', message: 'is incorrect' }],
      })
    }
    await this.setPassword(userId, input.newPassword, 'newPassword')
    await this.revokeSessions({ userId, exceptSessionId: currentSessionId }, 'password-changed')
    await this.audit.record({
      action: 'user.password_change',
      actorId: userId,
      actorIp: client.ip,
      targetType: 'user',
      targetId: userId,
    })
  }

  async setPassword(userId: string, password: string, field = 'password'): Promise<void> {
    const passwordHash = await this.checkedPasswordHash(password, field)
    const now = nowIso()
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, password_changed_at: now, updated_at: now })
      .where('id', '=', userId)
      .execute()
  }

  /** Resolves an access token to its user and session, rejecting revoked sessions and
   * disabled users at once rather than when the token expires. */
  async authenticateAccessToken(token: string): Promise<{ user: User; sessionId: string } | null> {
    return this.activeSession(await this.tokens.verify(token))
  }

  /** Resolves a page token (the cookie that lets the server render pages) the same way. */
  async authenticatePageToken(token: string): Promise<{ user: User; sessionId: string } | null> {
    return this.activeSession(await this.tokens.verifyPage(token))
  }

  /** An access token for a session already authenticated (to render a page on its behalf). */
  async accessTokenFor(user: User, sessionId: string) {
    return {
      accessToken: await this.tokens.sign({ userId: user.id, sessionId }),
      expiresIn: this.tokens.ttlSeconds,
      user: toPublicUser(user),
    }
  }

  private async activeSession(
    claims: AccessClaims | null,
  ): Promise<{ user: User; sessionId: string } | null> {
    if (!claims) return null
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .selectAll('u')
      .select(['s.revoked_at as session_revoked_at', 's.expires_at as session_expires_at'])
      .where('s.id', '=', claims.sessionId)
      .where('u.id', '=', claims.userId)
      .executeTakeFirst()
    if (!row || row.session_revoked_at || row.disabled_at || row.session_expires_at <= nowIso()) return null
    const { session_revoked_at: _r, session_expires_at: _e, ...user } = row
    return { user, sessionId: claims.sessionId }
  }

  private async issueRefreshToken(sessionId: string): Promise<string> {
    const token = randomToken(32)
    await this.db
      .insertInto('refresh_tokens')
      .values({
        id: newId(),
        session_id: sessionId,
        token_hash: sha256(token),
        created_at: nowIso(),
        used_at: null,
      })
      .execute()
    return token
  }

  private async issue(user: User, sessionId: string, refreshToken: string, refreshExpiresAt: string) {
    const accessToken = await this.tokens.sign({ userId: user.id, sessionId })
    const pageToken = await this.tokens.signPage({ userId: user.id, sessionId }, new Date(refreshExpiresAt))
    return {
      accessToken,
      expiresIn: this.tokens.ttlSeconds,
      refreshToken,
      refreshExpiresAt,
      pageToken,
      user: toPublicUser(user),
    }
  }
}
