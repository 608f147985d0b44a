// API keys: shown once, stored hashed, scoped, expiring, revocable, header-only, and dead the
// moment their owner is disabled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  atClockAfter,
  createApiKey,
  dbKinds,
  expectProblem,
  login,
  type SignedIn,
  signUp,
  startTestApp,
  type TestApp,
  userWithRole,
} from './helpers.js'

describe.each(dbKinds)('API keys on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn
  let user: SignedIn

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
    user = await signUp(t.app, 'user')
  })
  afterAll(() => t.close())

  const me = (authorization: string) => t.app.inject({ url: '/api/v1/me', headers: { authorization } })

  it('returns a wp_ key with at least 128 random bits once, and never again', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: user.auth,
      payload: { name: 'laptop', scopes: ['read', 'write'] },
    })
    expect(created.statusCode).toBe(201)
    expect(created.headers['cache-control']).toBe('no-store')
    const { key, apiKey } = created.json<{ key: string; apiKey: Record<string, unknown> }>()
    const random = key.slice(3)
    expect(key.startsWith('wp_')).toBe(true)
    expect(random).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(random.length * 6).toBeGreaterThanOrEqual(128)
    expect(apiKey).toMatchObject({ name: 'laptop', prefix: key.slice(0, 7), last4: key.slice(-4) })
    expect(apiKey).not.toHaveProperty('key')

    const another = await createApiKey(t.app, user)
    expect(another.key).not.toBe(key)
    expect(another.key.length).toBe(key.length)

    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: user.auth })
    expect(listed.body).not.toContain(key.slice(3))
    const row = listed.json().items.find((k: { id: string }) => k.id === apiKey.id)
    expect(row).toMatchObject({ prefix: key.slice(0, 7), last4: key.slice(-4), lastUsedAt: null })
    expect(Object.keys(row).sort()).toEqual(
      ['createdAt', 'expiresAt', 'id', 'last4', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes'].sort(),
    )

    // Stored hashed: no column of the row holds the key or its random part.
    const stored = await t.app.services.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', String(apiKey.id))
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(stored)).not.toContain(random.slice(0, 20))
  })

  it('works as a Bearer token and records when it was last used', async () => {
    const key = await createApiKey(t.app, user, ['read'])
    const response = await me(key.auth.authorization)
    expect(response.statusCode).toBe(200)
    expect(response.json().id).toBe(user.id)
    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: user.auth })
    const row = listed.json().items.find((k: { id: string }) => k.id === key.id)
    expect(Date.parse(row.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('is not accepted in a query string', async () => {
    const key = await createApiKey(t.app, user)
    for (const name of ['api_key', 'token', 'access_token', 'key']) {
      const response = await t.app.inject({ url: `/api/v1/me?${name}=${encodeURIComponent(key.key)}` })
      expectProblem(response, 401)
    }
    // The session's access token is refused the same way.
    expectProblem(await t.app.inject({ url: `/api/v1/me?access_token=${user.token}` }), 401)
  })

  it('follows its scopes: a read-only key cannot write', async () => {
    const readOnly = await createApiKey(t.app, user, ['read'])
    expect((await me(readOnly.auth.authorization)).statusCode).toBe(200)
    const patch = { method: 'PATCH' as const, url: '/api/v1/me', payload: { name: 'Via key' } }
    const refused = await t.app.inject({ ...patch, headers: readOnly.auth })
    expect(expectProblem(refused, 403).detail).toMatch(/'write'/)
    const writer = await createApiKey(t.app, user, ['write'])
    expect((await t.app.inject({ ...patch, headers: writer.auth })).statusCode).toBe(200)
    // A write-only key cannot read.
    expectProblem(await me(writer.auth.authorization), 403)
  })

  it('cannot manage keys, sessions or the password (session only)', async () => {
    const key = await createApiKey(t.app, user, ['read', 'write', 'gateway'])
    const target = await createApiKey(t.app, user)
    const attempts = [
      { method: 'GET' as const, url: '/api/v1/api-keys' },
      { method: 'POST' as const, url: '/api/v1/api-keys', payload: { name: 'minted', scopes: ['read'] } },
      { method: 'DELETE' as const, url: `/api/v1/api-keys/${target.id}` },
      { method: 'GET' as const, url: '/api/v1/me/sessions' },
      {
        method: 'POST' as const,
        url: '/api/v1/me/password',
        payload: { currentPassword: 'whatever', newPassword: 'a brand new passphrase' },
      },
    ]
    for (const attempt of attempts) {
      expectProblem(await t.app.inject({ ...attempt, headers: key.auth }), 403)
    }
    expect((await me(target.auth.authorization)).statusCode).toBe(200)
    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: user.auth })
    expect(listed.json().items.some((k: { name: string }) => k.name === 'minted')).toBe(false)
  })

  it('needs the admin scope for admin routes, even when the owner is an admin', async () => {
    const plain = await createApiKey(t.app, admin, ['read', 'write'])
    expect(
      expectProblem(await t.app.inject({ url: '/api/v1/admin/users', headers: plain.auth }), 403).detail,
    ).toMatch(/'admin'/)
    const scoped = await createApiKey(t.app, admin, ['read', 'admin'])
    expect((await t.app.inject({ url: '/api/v1/admin/users', headers: scoped.auth })).statusCode).toBe(200)
    // The admin scope does not stand in for write.
    const patch = {
      method: 'PATCH' as const,
      url: '/api/v1/admin/settings',
      payload: { registrationOpen: true },
    }
    expectProblem(await t.app.inject({ ...patch, headers: scoped.auth }), 403)
  })

  it('lets only admins create admin-scoped keys', async () => {
    const developer = await userWithRole(t.app, admin, 'developer')
    for (const who of [user, developer]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: who.auth,
        payload: { name: 'sneaky', scopes: ['read', 'admin'] },
      })
      expectProblem(response, 403)
    }
    const mine = await t.app.inject({ url: '/api/v1/api-keys', headers: developer.auth })
    expect(mine.json().items).toEqual([])
  })

  it('an admin key of a user demoted later stops reaching admin routes', async () => {
    const second = await userWithRole(t.app, admin, 'admin')
    const key = await createApiKey(t.app, second, ['read', 'admin'])
    expect((await t.app.inject({ url: '/api/v1/admin/users', headers: key.auth })).statusCode).toBe(200)
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/users/${second.id}`,
      headers: admin.auth,
      payload: { role: 'user' },
    })
    expect(demote.statusCode).toBe(200)
    expectProblem(await t.app.inject({ url: '/api/v1/admin/users', headers: key.auth }), 403)
  })

  it('refuses past expiry dates and rejects a key once it has expired', async () => {
    const past = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: user.auth,
      payload: { name: 'old', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' },
    })
    expect(expectProblem(past, 400).errors).toEqual([{ field: 'expiresAt', message: 'is in the past' }])

    // A key that expires soon works until then (and is kept in memory), then is refused at once.
    const expiresAt = new Date(Date.now() + 30_000).toISOString()
    const key = await createApiKey(t.app, user, ['read'], expiresAt)
    expect((await me(key.auth.authorization)).statusCode).toBe(200)
    expect((await me(key.auth.authorization)).statusCode).toBe(200)
    await atClockAfter(expiresAt, async () => {
      expect(expectProblem(await me(key.auth.authorization), 401).type).toMatch(/invalid-token/)
    })
  })

  it('rejects a revoked key at once', async () => {
    const key = await createApiKey(t.app, user, ['read'])
    expect((await me(key.auth.authorization)).statusCode).toBe(200)
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${key.id}`,
      headers: user.auth,
    })
    expect(revoked.statusCode).toBe(204)
    expectProblem(await me(key.auth.authorization), 401)
    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: user.auth })
    expect(listed.json().items.find((k: { id: string }) => k.id === key.id).revokedAt).toBeTruthy()
    // Revoking again is harmless; a made-up id is not found.
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${key.id}`, headers: user.auth }))
        .statusCode,
    ).toBe(204)
    expectProblem(
      await t.app.inject({ method: 'DELETE', url: '/api/v1/api-keys/nope', headers: user.auth }),
      404,
    )
  })

  it("rejects a disabled user's key and session at once; enabling does not revive them", async () => {
    const victim = await signUp(t.app, 'victim')
    const key = await createApiKey(t.app, victim, ['read', 'write'])
    expect((await me(key.auth.authorization)).statusCode).toBe(200)
    expect((await me(victim.auth.authorization)).statusCode).toBe(200)

    const setDisabled = (disabled: boolean) =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/users/${victim.id}`,
        headers: admin.auth,
        payload: { disabled },
      })
    expect((await setDisabled(true)).json()).toMatchObject({ disabled: true })
    expectProblem(await me(key.auth.authorization), 401)
    expectProblem(await me(victim.auth.authorization), 401)
    const refresh = { method: 'POST' as const, url: '/api/v1/auth/refresh' }
    expectProblem(await t.app.inject({ ...refresh, cookies: { wp_refresh: victim.refreshCookie } }), 401)
    await expect(login(t.app, victim.email)).rejects.toThrow(/401/)

    expect((await setDisabled(false)).json()).toMatchObject({ disabled: false })
    expectProblem(await me(key.auth.authorization), 401)
    expectProblem(await me(victim.auth.authorization), 401)
    const again = await login(t.app, victim.email)
    expect((await me(again.auth.authorization)).statusCode).toBe(200)
    const keys = await t.app.inject({ url: '/api/v1/api-keys', headers: again.auth })
    expect(keys.json().items.find((k: { id: string }) => k.id === key.id).revokedAt).toBeTruthy()
  })

  it('a key answers with its owner as they are now, after a profile change made elsewhere', async () => {
    const key = await createApiKey(t.app, user, ['read', 'write'])
    expect((await me(key.auth.authorization)).json().name).not.toBe('Renamed')
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: user.auth,
      payload: { name: 'Renamed' },
    })
    expect(renamed.statusCode).toBe(200)
    expect((await me(key.auth.authorization)).json().name).toBe('Renamed')
  })

  it('a key acts with its owner’s role as it is now, right after an admin changes it', async () => {
    const dev = await userWithRole(t.app, admin, 'developer')
    const key = await createApiKey(t.app, dev, ['read'])
    expect((await me(key.auth.authorization)).json().role).toBe('developer')
    const demoted = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/users/${dev.id}`,
      headers: admin.auth,
      payload: { role: 'user' },
    })
    expect(demoted.statusCode).toBe(200)
    expect((await me(key.auth.authorization)).json().role).toBe('user')
  })

  it('a key stops working once its owner is disabled on another server process (bus event)', async () => {
    const victim = await signUp(t.app, 'victim-elsewhere')
    const key = await createApiKey(t.app, victim, ['read'])
    expect((await me(key.auth.authorization)).statusCode).toBe(200)
    // Another process disabled the user: the row changes and the control event arrives here.
    await t.app.services.db
      .updateTable('users')
      .set({ disabled_at: new Date().toISOString() })
      .where('id', '=', victim.id)
      .execute()
    await t.app.services.bus.publishControl({ type: 'user.disabled', userId: victim.id })
    expectProblem(await me(key.auth.authorization), 401)
  })
})
