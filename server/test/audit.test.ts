// The audit trail: what gets recorded, paging and filters, and that the hash chain catches an
// edited or deleted row (over the API and with `webplus audit verify`), even under concurrency.
import SqliteDatabase from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sqlitePath } from '../src/db/index.js'
import {
  type AuditItem,
  auditEvents,
  buildTestApp,
  createApiKey,
  createTestDatabase,
  dbKinds,
  expectProblem,
  login,
  PASSWORD,
  runCli,
  type SignedIn,
  sessionIdOf,
  signUp,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './helpers.js'

async function verify(t: TestApp, admin: SignedIn) {
  const response = await t.app.inject({ url: '/api/v1/admin/audit/verify', headers: admin.auth })
  expect(response.statusCode).toBe(200)
  return response.json<{ ok: boolean; checked: number; firstBrokenSeq?: number; reason?: string }>()
}

/** A fresh app with an admin and ten more events, for tampering. */
async function chainOf(kind: 'sqlite' | 'postgres') {
  const t = await startTestApp(kind)
  const admin = await signUp(t.app, 'admin')
  for (let i = 0; i < 10; i += 1) await t.app.services.audit.record({ action: 'test.event', details: { i } })
  const last = (await auditEvents(t.app, admin, { limit: '1' }))[0]?.seq ?? 0
  return { t, admin, last }
}

describe.each(dbKinds)('audit trail on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
  })
  afterAll(() => t.close())

  const since = async (seq: number, query: Record<string, string> = {}) =>
    (await auditEvents(t.app, admin, query)).filter((e) => e.seq > seq).reverse()
  const head = async () => (await auditEvents(t.app, admin, { limit: '1' }))[0]?.seq ?? 0

  it('records every auth event', async () => {
    const start = await head()
    const email = uniqueEmail('audited')
    const register = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: PASSWORD, name: 'Audited' },
    })
    const userId = register.json().user.id
    const wrong = {
      method: 'POST' as const,
      url: '/api/v1/auth/login',
      payload: { email, password: 'wrong password!' },
    }
    expect((await t.app.inject(wrong)).statusCode).toBe(401)
    const session = await login(t.app, email)
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { wp_refresh: session.refreshCookie },
    })
    expect(refreshed.statusCode).toBe(200)
    const replay = {
      method: 'POST' as const,
      url: '/api/v1/auth/refresh',
      cookies: { wp_refresh: session.refreshCookie },
    }
    expect((await t.app.inject(replay)).statusCode).toBe(401)
    const second = await login(t.app, email)
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: second.auth })
    expect(out.statusCode).toBe(204)

    const events = await since(start)
    const row = (e: AuditItem) => [e.action, e.outcome, e.actorId]
    expect(events.map(row)).toEqual([
      ['user.register', 'success', userId],
      ['auth.login', 'failure', userId],
      ['auth.login', 'success', userId],
      ['auth.refresh_reuse', 'failure', userId],
      ['auth.login', 'success', userId],
      ['auth.logout', 'success', userId],
    ])
    expect(events[1]?.details).toMatchObject({ email, reason: 'wrong-password' })
    expect(events[3]).toMatchObject({ targetType: 'session', targetId: sessionIdOf(session.token) })
    expect(events[5]).toMatchObject({ targetType: 'session', targetId: sessionIdOf(second.token) })
    for (const event of events) expect(event.actorIp).toBe('127.0.0.1')
    expect(JSON.stringify(events)).not.toMatch(/wrong password!|a long passphrase/)
  })

  it('records create, update and delete of user data', async () => {
    const user = await signUp(t.app, 'data')
    const start = await head()
    const name = { method: 'PATCH' as const, url: '/api/v1/me', payload: { name: 'Changed' } }
    expect((await t.app.inject({ ...name, headers: user.auth })).statusCode).toBe(200)
    const key = await createApiKey(t.app, user)
    const revoke = { method: 'DELETE' as const, url: `/api/v1/api-keys/${key.id}`, headers: user.auth }
    expect((await t.app.inject(revoke)).statusCode).toBe(204)
    const other = await login(t.app, user.email)
    const end = { method: 'DELETE' as const, url: `/api/v1/me/sessions/${sessionIdOf(other.token)}` }
    expect((await t.app.inject({ ...end, headers: user.auth })).statusCode).toBe(204)
    const password = {
      method: 'POST' as const,
      url: '/api/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'a newer long passphrase' },
    }
    expect((await t.app.inject({ ...password, headers: user.auth })).statusCode).toBe(204)

    const events = (await since(start, { actorId: user.id })).filter((e) => e.action !== 'auth.login')
    expect(events.map((e) => [e.action, e.targetType, e.targetId])).toEqual([
      ['user.update', 'user', user.id],
      ['api_key.create', 'api_key', key.id],
      ['api_key.revoke', 'api_key', key.id],
      ['session.revoke', 'session', sessionIdOf(other.token)],
      ['user.password_change', 'user', user.id],
    ])
    expect(JSON.stringify(events)).not.toContain(key.key.slice(3))
  })

  it('pages newest first with `before` and filters by action, outcome and actor', async () => {
    const user = await signUp(t.app, 'filtered')
    for (let i = 0; i < 3; i += 1) {
      const fail = {
        method: 'POST' as const,
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: 'nope nope' },
      }
      expect((await t.app.inject(fail)).statusCode).toBe(401)
    }
    const all = await auditEvents(t.app, admin)
    expect(all.length).toBeGreaterThan(8)
    const seen: number[] = []
    let before: number | null = null
    do {
      const query: Record<string, string> = { limit: '4', ...(before ? { before: String(before) } : {}) }
      const page = await t.app.inject({ url: '/api/v1/admin/audit', query, headers: admin.auth })
      const body = page.json<{ items: AuditItem[]; nextBefore: number | null }>()
      expect(body.items.length).toBeLessThanOrEqual(4)
      seen.push(...body.items.map((e) => e.seq))
      before = body.nextBefore
    } while (before)
    expect(seen).toEqual(all.map((e) => e.seq))
    expect(seen).toEqual([...seen].sort((a, b) => b - a))

    const failures = await auditEvents(t.app, admin, {
      action: 'auth.login',
      outcome: 'failure',
      actorId: user.id,
    })
    expect(failures).toHaveLength(3)
    expect(failures.every((e) => e.action === 'auth.login' && e.outcome === 'failure')).toBe(true)
    const mine = await auditEvents(t.app, admin, { actorId: user.id })
    expect(mine.map((e) => e.action).sort()).toEqual([
      'auth.login',
      'auth.login',
      'auth.login',
      'auth.login',
      'user.register',
    ])
    const successes = await auditEvents(t.app, admin, { outcome: 'success' })
    expect(successes.length).toBeGreaterThan(0)
    expect(successes.some((e) => e.outcome !== 'success')).toBe(false)
    expect(await auditEvents(t.app, admin, { action: 'no.such.action' })).toEqual([])
  })

  it('cannot be edited or deleted over the API', async () => {
    for (const method of ['DELETE', 'PATCH', 'PUT', 'POST'] as const) {
      expectProblem(
        await t.app.inject({ method, url: '/api/v1/admin/audit', headers: admin.auth, payload: {} }),
        404,
      )
    }
  })

  it('verifies an untouched chain, and keeps it intact under 30 concurrent failed logins', async () => {
    expect(await verify(t, admin)).toMatchObject({ ok: true })
    const start = await head()
    const email = uniqueEmail('racer')
    const attempts = Array.from({ length: 30 }, () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'not it at all' },
      }),
    )
    expect((await Promise.all(attempts)).every((r) => r.statusCode === 401)).toBe(true)
    const events = await since(start)
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => start + i + 1))
    const result = await verify(t, admin)
    expect(result).toEqual({ ok: true, checked: start + 30 })
  })

  it('detects an edited row', async () => {
    const { t: fresh, admin: freshAdmin, last } = await chainOf(kind)
    try {
      expect(await verify(fresh, freshAdmin)).toEqual({ ok: true, checked: last })
      const edited = last - 4
      await fresh.app.services.db
        .updateTable('audit_events')
        .set({ details: JSON.stringify({ i: 999 }) })
        .where('seq', '=', edited)
        .execute()
      expect(await verify(fresh, freshAdmin)).toMatchObject({ ok: false, firstBrokenSeq: edited })
    } finally {
      await fresh.close()
    }
  })

  it('detects a deleted middle row', async () => {
    const { t: fresh, admin: freshAdmin, last } = await chainOf(kind)
    try {
      const removed = last - 5
      await fresh.app.services.db.deleteFrom('audit_events').where('seq', '=', removed).execute()
      expect(await verify(fresh, freshAdmin)).toMatchObject({ ok: false, firstBrokenSeq: removed })
    } finally {
      await fresh.close()
    }
  })

  it('detects a deleted last row', async () => {
    const { t: fresh, admin: freshAdmin, last } = await chainOf(kind)
    try {
      await fresh.app.services.db.deleteFrom('audit_events').where('seq', '=', last).execute()
      expect(await verify(fresh, freshAdmin)).toMatchObject({ ok: false, firstBrokenSeq: last })
    } finally {
      await fresh.close()
    }
  })
})

describe.runIf(dbKinds.includes('postgres'))('audit trail on two servers sharing PostgreSQL', () => {
  it('keeps one chain when two servers append at once', async () => {
    const db = await createTestDatabase('postgres')
    const a = await buildTestApp(db)
    const b = await buildTestApp(db)
    try {
      await Promise.all(
        [a, b].flatMap((app, n) =>
          Array.from({ length: 15 }, (_, i) =>
            app.services.audit.record({ action: 'test.race', details: { n, i } }),
          ),
        ),
      )
      expect(await b.services.audit.verify()).toEqual({ ok: true, checked: 30 })
    } finally {
      await a.close()
      await b.close()
      await db.cleanup()
    }
  })
})

describe('webplus audit verify', () => {
  it('exits 0 on an intact SQLite chain and 1 once a row is edited', async () => {
    const db = await createTestDatabase('sqlite')
    try {
      const app = await buildTestApp(db)
      await signUp(app, 'admin')
      for (let i = 0; i < 5; i += 1) await app.services.audit.record({ action: 'test.event', details: { i } })
      await app.close()

      const intact = await runCli(['audit', 'verify', '--data-dir', db.dataDir])
      expect(intact.code, intact.stderr).toBe(0)
      // Sign-up and sign-in, the five events, and the embedded engine registered at first start.
      expect(intact.stdout).toMatch(/intact: 8 events/)

      const sqlite = new SqliteDatabase(sqlitePath(db.dataDir))
      sqlite.prepare("update audit_events set actor_ip = '10.6.6.6' where seq = 4").run()
      sqlite.close()
      const broken = await runCli(['audit', 'verify', '--data-dir', db.dataDir])
      expect(broken.code).toBe(1)
      expect(broken.stderr).toMatch(/BROKEN at event 4/)
    } finally {
      await db.cleanup()
    }
  })
})
