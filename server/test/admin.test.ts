// Admin: listing accounts, roles, the last-admin rule, password resets, refusing roles and ids
// from non-admins, and an audit record for every admin action.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditEvents,
  dbKinds,
  expectProblem,
  fieldsOf,
  login,
  PASSWORD,
  register,
  type SignedIn,
  signUp,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './helpers.js'

interface ListedUser {
  id: string
  email: string
  name: string
  role: string
}

describe.each(dbKinds)('admin on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn
  let user: SignedIn

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
    user = await signUp(t.app, 'user')
  })
  afterAll(() => t.close())

  const patchUser = (id: string, payload: Record<string, unknown>, as: SignedIn = admin) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${id}`, headers: as.auth, payload })
  const listUsers = (query: Record<string, string>) =>
    t.app.inject({ url: '/api/v1/admin/users', query, headers: admin.auth })

  it('pages through all accounts with a cursor', async () => {
    for (let i = 0; i < 5; i += 1) await register(t.app, uniqueEmail('page'))
    const all = (await listUsers({ limit: '200' })).json<{ items: ListedUser[] }>().items
    expect(all.length).toBeGreaterThanOrEqual(7)

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor ? { cursor } : {}) }
      const page = (await listUsers(query)).json<{ items: ListedUser[]; nextCursor: string | null }>()
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((u) => u.id))
      cursor = page.nextCursor
      pages += 1
    } while (cursor && pages < 50)
    expect(seen).toEqual(all.map((u) => u.id))
    expect(new Set(seen).size).toBe(seen.length)
    expect(pages).toBe(Math.ceil(all.length / 2))
    expect(all[0]).not.toHaveProperty('passwordHash')
    expect(JSON.stringify(all)).not.toMatch(/argon2/)
  })

  it('searches by e-mail and name, case-insensitively', async () => {
    const email = uniqueEmail('Findable')
    await register(t.app, email, 'Zebulon Quartermaine')
    const byEmail = (await listUsers({ q: email.slice(0, 14).toUpperCase() })).json<{ items: ListedUser[] }>()
    expect(byEmail.items.map((u) => u.email)).toEqual([email.toLowerCase()])
    const byName = (await listUsers({ q: 'quarterMAINE' })).json<{ items: ListedUser[] }>()
    expect(byName.items.map((u) => u.name)).toEqual(['Zebulon Quartermaine'])
    expect((await listUsers({ q: 'no-such-person-anywhere' })).json().items).toEqual([])
    // `%` and `_` are searched for literally, not as LIKE wildcards.
    expect((await listUsers({ q: '%' })).json().items).toEqual([])
    await register(t.app, uniqueEmail('snake'), 'Pat_Underscore')
    const literal = (await listUsers({ q: 't_u' })).json<{ items: ListedUser[] }>()
    expect(literal.items.map((u) => u.name)).toEqual(['Pat_Underscore'])
  })

  it('changes a role, and the new role takes effect on the next request', async () => {
    const subject = await signUp(t.app, 'promoted')
    expectProblem(await t.app.inject({ url: '/api/v1/admin/users', headers: subject.auth }), 403)
    const promoted = await patchUser(subject.id, { role: 'admin' })
    expect(promoted.json()).toMatchObject({ id: subject.id, role: 'admin' })
    expect((await t.app.inject({ url: '/api/v1/admin/users', headers: subject.auth })).statusCode).toBe(200)
    expect((await patchUser(subject.id, { role: 'developer' })).json().role).toBe('developer')
    expectProblem(await t.app.inject({ url: '/api/v1/admin/users', headers: subject.auth }), 403)
    expect((await t.app.inject({ url: '/api/v1/me', headers: subject.auth })).json().role).toBe('developer')
    expectProblem(await patchUser('01NOSUCHUSER0000000000000', { role: 'user' }), 404)
    expect(fieldsOf(expectProblem(await patchUser(subject.id, {}), 400))).toEqual(['(body)'])
  })

  it('refuses to demote or disable the last active admin', async () => {
    const fresh = await startTestApp(kind)
    try {
      const only = await signUp(fresh.app, 'only-admin')
      const patch = (id: string, payload: Record<string, unknown>, as = only) =>
        fresh.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${id}`, headers: as.auth, payload })
      expectProblem(await patch(only.id, { role: 'user' }), 409)
      expectProblem(await patch(only.id, { disabled: true }), 409)
      expect((await fresh.app.inject({ url: '/api/v1/me', headers: only.auth })).json()).toMatchObject({
        role: 'admin',
        disabled: false,
      })

      const second = await signUp(fresh.app, 'second-admin')
      expect((await patch(second.id, { role: 'admin' })).statusCode).toBe(200)
      expect((await patch(only.id, { role: 'user' })).json().role).toBe('user')
      // Now `second` is the last one; a disabled admin does not count as active either.
      expectProblem(await patch(second.id, { role: 'developer' }, second), 409)
      expectProblem(await patch(second.id, { disabled: true }, second), 409)
    } finally {
      await fresh.close()
    }
  })

  it('resets a password: all that user’s sessions end, the new password works', async () => {
    const subject = await signUp(t.app, 'reset')
    const otherDevice = await login(t.app, subject.email)
    const newPassword = 'an admin-chosen passphrase'
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${subject.id}/password`,
      headers: admin.auth,
      payload: { newPassword },
    })
    expect(reset.statusCode).toBe(204)
    for (const session of [subject, otherDevice]) {
      expectProblem(await t.app.inject({ url: '/api/v1/me', headers: session.auth }), 401)
      const refresh = { method: 'POST' as const, url: '/api/v1/auth/refresh' }
      expectProblem(await t.app.inject({ ...refresh, cookies: { wp_refresh: session.refreshCookie } }), 401)
    }
    await expect(login(t.app, subject.email, PASSWORD)).rejects.toThrow(/401/)
    const fresh = await login(t.app, subject.email, newPassword)
    expect((await t.app.inject({ url: '/api/v1/me', headers: fresh.auth })).statusCode).toBe(200)
    // The admin's own session is untouched; the policy still applies to admin-set passwords.
    expect((await t.app.inject({ url: '/api/v1/me', headers: admin.auth })).statusCode).toBe(200)
    const weak = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${subject.id}/password`,
      headers: admin.auth,
      payload: { newPassword: 'password' },
    })
    expect(fieldsOf(expectProblem(weak, 400))).toEqual(['newPassword'])
  })

  it('refuses a role or user id sent by a non-admin', async () => {
    const attempts = [
      {
        method: 'POST' as const,
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: PASSWORD, name: 'Sneaky', role: 'admin' },
        field: 'role',
      },
      { method: 'PATCH' as const, url: '/api/v1/me', payload: { name: 'Me', role: 'admin' }, field: 'role' },
      {
        method: 'PATCH' as const,
        url: '/api/v1/me',
        payload: { name: 'Me', userId: admin.id },
        field: 'userId',
      },
      { method: 'PATCH' as const, url: '/api/v1/me', payload: { name: 'Me', id: admin.id }, field: 'id' },
      {
        method: 'POST' as const,
        url: '/api/v1/api-keys',
        payload: { name: 'k', scopes: ['read'], userId: admin.id },
        field: 'userId',
      },
    ]
    for (const { field, ...attempt } of attempts) {
      const response = await t.app.inject({ ...attempt, headers: user.auth })
      expect(fieldsOf(expectProblem(response, 400))).toContain(field)
    }
    expectProblem(await patchUser(user.id, { role: 'admin' }, user), 403)
    const me = (await t.app.inject({ url: '/api/v1/me', headers: user.auth })).json()
    expect(me).toMatchObject({ id: user.id, role: 'user', name: expect.not.stringMatching(/^Me$/) })
    const adminMe = (await t.app.inject({ url: '/api/v1/me', headers: admin.auth })).json()
    expect(adminMe.name).not.toBe('Me')
    expect(await auditEvents(t.app, admin, { action: 'api_key.create', actorId: user.id })).toEqual([])
  })

  it('records every admin action with its actor and target', async () => {
    const subject = await signUp(t.app, 'audited')
    const before = Math.max(...(await auditEvents(t.app, admin, { limit: '1' })).map((e) => e.seq))
    expect((await patchUser(subject.id, { role: 'developer' })).statusCode).toBe(200)
    expect((await patchUser(subject.id, { disabled: true })).statusCode).toBe(200)
    expect((await patchUser(subject.id, { disabled: false })).statusCode).toBe(200)
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${subject.id}/password`,
      headers: admin.auth,
      payload: { newPassword: 'another admin passphrase' },
    })
    expect(reset.statusCode).toBe(204)
    const settings = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      headers: admin.auth,
      payload: { registrationOpen: true },
    })
    expect(settings.statusCode).toBe(200)

    const events = (await auditEvents(t.app, admin, { actorId: admin.id }))
      .filter((e) => e.seq > before)
      .reverse()
    expect(events.map((e) => [e.action, e.targetType, e.targetId])).toEqual([
      ['admin.user_update', 'user', subject.id],
      ['admin.user_disable', 'user', subject.id],
      ['admin.user_enable', 'user', subject.id],
      ['admin.user_password_reset', 'user', subject.id],
      ['admin.settings_update', 'settings', 'instance'],
    ])
    for (const event of events) expect(event).toMatchObject({ actorId: admin.id, outcome: 'success' })
    expect(events[0]?.details).toMatchObject({ before: { role: 'user' }, patch: { role: 'developer' } })
    expect(JSON.stringify(events)).not.toContain('another admin passphrase')
  })
})
