import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  dbKinds,
  expectProblem,
  login,
  PASSWORD,
  register,
  type SignedIn,
  signUp,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './helpers.js'

describe.each(dbKinds)('auth on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
  })
  afterAll(() => t.close())

  it('makes the first account admin and later ones users', async () => {
    const me = await t.app.inject({ url: '/api/v1/me', headers: admin.auth })
    expect(me.json()).toMatchObject({ role: 'admin', disabled: false })
    const second = await register(t.app)
    expect(second.role).toBe('user')
  })

  it('refuses bad registration input with per-field errors', async () => {
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: 'password1', name: 'X' },
    })
    expect(expectProblem(weak, 400).errors).toEqual([
      { field: 'password', message: expect.stringMatching(/common/) },
    ])
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: 'short', name: 'X' },
    })
    expect(expectProblem(short, 400).detail).toMatch(/at least 8/)
    const badEmail = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: 'not-an-email', password: PASSWORD, name: 'X', role: 'admin' },
    })
    const body = expectProblem(badEmail, 400)
    const fields = (body.errors as Array<{ field: string }>).map((e) => e.field)
    expect(fields).toContain('email')
    expect(fields.some((f) => f.includes('role') || f === '(body)')).toBe(true)
  })

  it('refuses a duplicate e-mail, case-insensitively', async () => {
    const email = uniqueEmail()
    await register(t.app, email)
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: email.toUpperCase(), password: PASSWORD, name: 'Again' },
    })
    expectProblem(again, 409)
  })

  it('answers unknown e-mail and wrong password identically', async () => {
    const user = await register(t.app)
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'not the password at all' },
    })
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: uniqueEmail('nobody'), password: 'not the password at all' },
    })
    expect(wrong.statusCode).toBe(401)
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined })
    expect(strip(wrong.json())).toEqual(strip(unknown.json()))
  })

  it('issues a short-lived access token and a strict httpOnly refresh cookie', async () => {
    const user = await register(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: PASSWORD },
    })
    expect(response.statusCode).toBe(200)
    expect(response.json().expiresIn).toBeLessThanOrEqual(900)
    const cookie = response.cookies.find((c) => c.name === 'wp_refresh')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/auth' })
    const [, payload] = String(response.json().accessToken).split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    expect(claims).toMatchObject({ typ: 'access', iss: 'webplus', aud: 'webplus-api' })
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(900)
  })

  it('sets a site-wide page cookie that only renders pages: the API refuses it, sign-out ends it', async () => {
    const user = await register(t.app)
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: PASSWORD },
    })
    const cookie = response.cookies.find((c) => c.name === 'wp_page')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    const page = cookie?.value ?? ''
    const [, payload] = page.split('.')
    expect(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())).toMatchObject({
      typ: 'page',
      aud: 'webplus-pages',
      sub: user.id,
    })
    expect((await t.app.services.auth.authenticatePageToken(page))?.user.id).toBe(user.id)
    // Neither as a bearer token nor as a cookie does it open the API.
    expectProblem(
      await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${page}` } }),
      401,
    )
    expectProblem(await t.app.inject({ url: '/api/v1/me', cookies: { wp_page: page } }), 401)
    // And an access token is no page token.
    expect(await t.app.services.auth.authenticatePageToken(response.json().accessToken)).toBeNull()

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { authorization: `Bearer ${response.json().accessToken}` },
    })
    expect(out.statusCode).toBe(204)
    expect(out.cookies.find((c) => c.name === 'wp_page')).toMatchObject({ value: '', path: '/' })
    expect(await t.app.services.auth.authenticatePageToken(page)).toBeNull()
  })

  it('rejects tampered, alg=none and wrongly typed tokens', async () => {
    const [header, payload, signature] = admin.token.split('.')
    const forged = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    forged.sub = 'someone-else'
    const tampered = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`
    for (const token of [tampered, none, 'garbage', `${admin.token}x`]) {
      const response = await t.app.inject({
        url: '/api/v1/me',
        headers: { authorization: `Bearer ${token}` },
      })
      expectProblem(response, 401)
    }
    expectProblem(await t.app.inject({ url: '/api/v1/me' }), 401)
    expectProblem(await t.app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } }), 401)
  })

  it('rotates refresh tokens and revokes the family when one is replayed', async () => {
    const user = await signUp(t.app)
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { wp_refresh: user.refreshCookie },
    })
    expect(first.statusCode).toBe(200)
    const rotated = first.cookies.find((c) => c.name === 'wp_refresh')?.value
    expect(rotated).toBeTruthy()
    expect(rotated).not.toBe(user.refreshCookie)
    const newAccess = { authorization: `Bearer ${first.json().accessToken}` }
    expect((await t.app.inject({ url: '/api/v1/me', headers: newAccess })).statusCode).toBe(200)

    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { wp_refresh: user.refreshCookie },
    })
    expectProblem(replay, 401)
    // The whole family is gone: the rotated token and the access tokens of that session.
    const afterReplay = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      cookies: { wp_refresh: rotated ?? '' },
    })
    expectProblem(afterReplay, 401)
    expectProblem(await t.app.inject({ url: '/api/v1/me', headers: newAccess }), 401)
    const audit = await t.app.inject({
      url: '/api/v1/admin/audit?action=auth.refresh_reuse',
      headers: admin.auth,
    })
    expect(audit.json().items.some((e: { actorId: string }) => e.actorId === user.id)).toBe(true)
  })

  it('refresh without a cookie is 401', async () => {
    expectProblem(await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh' }), 401)
  })

  it('logout revokes the session and its refresh token', async () => {
    const user = await signUp(t.app)
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: user.auth,
      cookies: { wp_refresh: user.refreshCookie },
    })
    expect(out.statusCode).toBe(204)
    expectProblem(await t.app.inject({ url: '/api/v1/me', headers: user.auth }), 401)
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        cookies: { wp_refresh: user.refreshCookie },
      }),
      401,
    )
  })

  it('makes exactly one admin when 20 first registrations race', async () => {
    const fresh = await startTestApp(kind)
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          fresh.app.inject({
            method: 'POST',
            url: '/api/v1/auth/register',
            payload: { email: `racer${i}@example.com`, password: PASSWORD, name: `Racer ${i}` },
          }),
        ),
      )
      expect(results.every((r) => r.statusCode === 201)).toBe(true)
      const roles = results.map((r) => r.json().user.role)
      expect(roles.filter((r) => r === 'admin')).toHaveLength(1)
      expect(roles.filter((r) => r === 'user')).toHaveLength(19)
    } finally {
      await fresh.close()
    }
  })

  it('closes registration when an admin says so, and only an admin can', async () => {
    const user = await signUp(t.app)
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/admin/settings',
        headers: user.auth,
        payload: { registrationOpen: false },
      }),
      403,
    )
    const closed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      headers: admin.auth,
      payload: { registrationOpen: false },
    })
    expect(closed.json()).toEqual({ registrationOpen: false, chatTokensPerDayPerUser: null })
    expect((await t.app.inject({ url: '/api/v1/auth/status' })).json()).toEqual({
      registrationOpen: false,
      hasUsers: true,
    })
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email: uniqueEmail(), password: PASSWORD, name: 'Late' },
    })
    expectProblem(refused, 403)
    await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      headers: admin.auth,
      payload: { registrationOpen: true },
    })
    expect((await login(t.app, user.email)).token).toBeTruthy()
  })
})
