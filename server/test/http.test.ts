// The HTTP surface: problem+json for every client error, no internals in 5xx, security headers,
// CORS, health/readiness/metrics/docs, request ids and rate limits (with and without a proxy).
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inlineScriptSources } from '../src/http/security.js'
import { builtFile } from '../src/http/web.js'
import {
  dbKinds,
  expectProblem,
  fieldsOf,
  PASSWORD,
  signUp,
  startTestApp,
  type TestApp,
  uniqueEmail,
} from './helpers.js'

const loginAs = (email: string, extra: Partial<InjectOptions> = {}): InjectOptions => ({
  method: 'POST',
  url: '/api/v1/auth/login',
  payload: { email, password: 'not the password' },
  ...extra,
})

const builtIndex = builtFile('/index.html') ?? ''

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name ?? '', values]),
  )
}

describe.each(dbKinds)('HTTP on %s', (kind) => {
  let t: TestApp

  beforeAll(async () => {
    t = await startTestApp(kind, { bodyLimitBytes: '2048' })
    // Routes that fail the way a bug would, registered before the app is ready.
    t.app.get('/test/boom', { schema: { hide: true } }, async () => {
      throw new Error('connect ECONNREFUSED password=hunter2 at /srv/webplus/db.ts:12')
    })
    t.app.get('/test/boom-status', { schema: { hide: true } }, async () => {
      throw Object.assign(new Error('upstream said SECRET-TOKEN-123'), { statusCode: 502 })
    })
    await signUp(t.app, 'admin')
  })
  afterAll(() => t.close())

  const alive = async () => expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })

  it('answers unknown routes with a 404 problem', async () => {
    for (const url of ['/api/v1/no-such-thing', '/nowhere?x=1', '/api/v2/me']) {
      const body = expectProblem(await t.app.inject({ url }), 404)
      expect(body.detail).toBe(`No route for GET ${url.split('?')[0]}`)
    }
    expectProblem(await t.app.inject({ method: 'DELETE', url: '/api/v1/me' }), 404)
  })

  it('answers a malformed percent-encoding in the address with a 400 problem', async () => {
    const admin = await signUp(t.app)
    for (const url of ['/api/v1/conversations/%E0%A4%A', '/api/v1/conversations/%zz/messages']) {
      const body = expectProblem(await t.app.inject({ url, headers: admin.auth }), 400)
      expect(body.detail).toBe('The address is not valid: it has a malformed percent-encoding')
    }
    await alive()
  })

  it('refuses text with a NUL character with a 400 problem (PostgreSQL cannot store one), and takes its escape as text', async () => {
    const user = await signUp(t.app)
    const create = (payload: unknown) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/conversations',
        headers: user.auth,
        payload: payload as object,
      })
    for (const payload of [{ title: 'a\u0000b' }, { title: 'ok', tags: ['x\u0000'] }, { 'k\u0000': 1 }]) {
      const body = expectProblem(await create(payload), 400)
      expect(body.detail).toBe('Text in the request cannot contain the NUL character (U+0000)')
    }
    // The six characters of the escape, written out in a chat about C strings, are plain text.
    const escaped = await create({ title: 'Ends with \\u0000' })
    expect(escaped.statusCode).toBe(201)
    expect(escaped.json().title).toBe('Ends with \\u0000')
    await alive()
  })

  it('refuses malformed bodies with clear 4xx problems and stays up', async () => {
    const json = { 'content-type': 'application/json' }
    const cases: Array<[InjectOptions, number]> = [
      [loginAs('', { payload: '{"email": "a@b.c", "password": ', headers: json }), 400],
      [loginAs('', { payload: '', headers: json }), 400],
      [
        loginAs('', {
          payload: '{"__proto__": {"isAdmin": true}, "email": "a@b.c", "password": "x"}',
          headers: json,
        }),
        400,
      ],
      [loginAs('', { payload: '{"constructor": {"prototype": {"isAdmin": true}}}', headers: json }), 400],
      [
        loginAs('', {
          payload: JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(3000) }),
          headers: json,
        }),
        413,
      ],
      [loginAs('', { payload: '<login/>', headers: { 'content-type': 'application/xml' } }), 415],
      [
        loginAs('', {
          payload: 'email=a%40b.c',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        415,
      ],
    ]
    for (const [request, status] of cases) {
      expectProblem(await t.app.inject(request), status)
      await alive()
    }
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
  })

  it('names the field when a value has the wrong type', async () => {
    const response = await t.app.inject(loginAs('', { payload: { email: 42, password: ['x'] } }))
    expect(fieldsOf(expectProblem(response, 400)).sort()).toEqual(['email', 'password'])
    const query = await t.app.inject({ url: '/api/v1/admin/users?limit=lots' })
    // Authentication comes before validation: an anonymous caller learns nothing about the query.
    expectProblem(query, 401)
    await alive()
  })

  it('never shows internals in a 5xx', async () => {
    for (const url of ['/test/boom', '/test/boom-status']) {
      const response = await t.app.inject({ url })
      const body = expectProblem(response, 500)
      expect(body.detail).toBe(
        `Something went wrong on our side (request ${response.headers['x-request-id']})`,
      )
      expect(response.body).not.toMatch(/hunter2|ECONNREFUSED|\/srv|SECRET-TOKEN|stack|Error:/)
    }
    await alive()
  })

  it('sends security headers', async () => {
    for (const url of ['/api/v1/auth/status', '/api/v1/me', '/healthz']) {
      const { headers } = await t.app.inject({ url })
      const csp = directives(String(headers['content-security-policy']))
      // The app's own inline script (the theme, in the built index.html) by its hash, nothing else.
      expect(csp.get('script-src')).toEqual(["'self'", ...inlineScriptSources(builtIndex)])
      expect(csp.get('default-src')).toEqual(["'self'"])
      expect(csp.get('frame-ancestors')).toEqual(["'none'"])
      expect(csp.get('object-src')).toEqual(["'none'"])
      expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'https:'])
      expect(headers['x-content-type-options']).toBe('nosniff')
      expect(headers['x-frame-options']).toBe('DENY')
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
      expect(headers['x-powered-by']).toBeUndefined()
    }
    const docs = await t.app.inject({ url: '/api/docs' })
    const docsScripts = directives(String(docs.headers['content-security-policy'])).get('script-src') ?? []
    expect(docsScripts).toContain("'self'")
    expect(docsScripts).not.toContain("'unsafe-inline'")
  })

  it('allows inline scripts by the hashes of their exact text only', () => {
    // Hashes from `printf 'alert(1)' | openssl dgst -sha256 -binary | base64` (and the same for the other).
    const html =
      '<script>alert(1)</script><script src="/a.js"></script><script type="module">m()</script><script>\n  x()\n</script>'
    expect(inlineScriptSources(html)).toEqual([
      "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
      "'sha256-U+xbgVKp3q7OBI9O/odm2n7BIVYA/A2BRaUzCPzBKmY='",
    ])
    expect(inlineScriptSources('<p>no scripts</p>')).toEqual([])
  })

  it('sends no CORS headers to a foreign origin by default', async () => {
    const origin = { origin: 'https://evil.example' }
    const simple = await t.app.inject({ url: '/api/v1/auth/status', headers: origin })
    expect(simple.headers['access-control-allow-origin']).toBeUndefined()
    expect(simple.headers['access-control-allow-credentials']).toBeUndefined()
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/login',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    })
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined()
  })

  it('serves /healthz, /readyz, /metrics, the OpenAPI document and the docs page', async () => {
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' })
    await t.app.inject({ url: '/api/v1/me' })
    await t.app.inject({ url: '/no/such/page' })
    const metrics = await t.app.inject({ url: '/metrics' })
    expect(metrics.statusCode).toBe(200)
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/)
    const text = metrics.body
    expect(text).toMatch(
      /^webplus_http_requests_total\{method="GET",route="\/api\/v1\/me",status="401"\} \d+$/m,
    )
    expect(text).toMatch(
      /^webplus_http_requests_total\{method="GET",route="\(unmatched\)",status="404"\} \d+$/m,
    )
    expect(text).not.toContain('/no/such/page')
    expect(text).toMatch(/^webplus_http_request_duration_seconds_bucket\{.*route="\/api\/v1\/me".*\} \d+$/m)
    expect(text).toMatch(/^webplus_process_cpu_user_seconds_total \d/m)
    expect(text).toMatch(/^webplus_process_resident_memory_bytes \d+/m)
    expect(text).toMatch(/^webplus_nodejs_heap_size_used_bytes \d+/m)

    const openapi = await t.app.inject({ url: '/api/openapi.json' })
    const doc = openapi.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>()
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/)
    expect(doc.paths['/api/v1/auth/login']?.post).toBeDefined()
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/v1/'))).toBe(true)

    const docs = await t.app.inject({ url: '/api/docs' })
    expect(docs.statusCode).toBe(200)
    expect(docs.headers['content-type']).toMatch(/^text\/html/)
    expect(docs.body).toMatch(/<html/i)
  })

  it('tags every response with its own x-request-id and ignores a client-sent one', async () => {
    const first = await t.app.inject({ url: '/api/v1/me', headers: { 'x-request-id': 'forged\nline' } })
    const second = await t.app.inject({ url: '/healthz' })
    const id = String(first.headers['x-request-id'])
    expect(id).toMatch(/^[0-9A-Z]{26}$/)
    expect(second.headers['x-request-id']).toMatch(/^[0-9A-Z]{26}$/)
    expect(second.headers['x-request-id']).not.toBe(id)
    expect(expectProblem(first, 401).instance).toBe(id)
  })

  it('reports not ready once the database is gone', async () => {
    const broken = await startTestApp(kind)
    try {
      expect((await broken.app.inject({ url: '/readyz' })).statusCode).toBe(200)
      await broken.app.services.db.destroy()
      expectProblem(await broken.app.inject({ url: '/readyz' }), 503)
      expect((await broken.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    } finally {
      await broken.close()
    }
  })
})

describe('CORS with allowed origins', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp('sqlite', { allowedOrigins: 'https://app.example.com' })
  })
  afterAll(() => t.close())

  it('answers only the configured origin', async () => {
    const allowed = await t.app.inject({
      url: '/api/v1/auth/status',
      headers: { origin: 'https://app.example.com' },
    })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com')
    expect(allowed.headers['access-control-allow-credentials']).toBe('true')
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/auth/login',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    })
    expect(preflight.statusCode).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com')
    const foreign = await t.app.inject({
      url: '/api/v1/auth/status',
      headers: { origin: 'https://evil.example' },
    })
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe.each(dbKinds)('rate limits on %s', (kind) => {
  async function withApp(overrides: Record<string, string>, body: (app: FastifyInstance) => Promise<void>) {
    const t = await startTestApp(kind, { loginAttemptsPerMinute: '3', ...overrides })
    try {
      await body(t.app)
    } finally {
      await t.close()
    }
  }
  const limited = (response: Awaited<ReturnType<FastifyInstance['inject']>>) => {
    expectProblem(response, 429)
    expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(Number(response.headers['retry-after'])).toBeLessThanOrEqual(60)
  }

  it('limits sign-in attempts per account, even with the right password', async () => {
    await withApp({}, async (app) => {
      const admin = await signUp(app, 'admin')
      for (let i = 0; i < 2; i += 1) expect((await app.inject(loginAs(admin.email))).statusCode).toBe(401)
      limited(await app.inject(loginAs(admin.email, { payload: { email: admin.email, password: PASSWORD } })))
      limited(await app.inject(loginAs(admin.email.toUpperCase())))
      // Another account from the same address is not locked out.
      expect((await app.inject(loginAs(uniqueEmail()))).statusCode).toBe(401)
    })
  })

  it('limits sign-in attempts per address; a spoofed X-Forwarded-For does not help', async () => {
    await withApp({}, async (app) => {
      for (let i = 0; i < 9; i += 1) {
        const spoof = { headers: { 'x-forwarded-for': `198.51.100.${i}` } }
        expect((await app.inject(loginAs(uniqueEmail(), spoof))).statusCode).toBe(401)
      }
      limited(await app.inject(loginAs(uniqueEmail(), { headers: { 'x-forwarded-for': '198.51.100.200' } })))
      const elsewhere = await app.inject(loginAs(uniqueEmail(), { remoteAddress: '192.0.2.44' }))
      expect(elsewhere.statusCode).toBe(401)
    })
  })

  it('limits registrations per address', async () => {
    await withApp({}, async (app) => {
      const attempt = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email: uniqueEmail(), password: 'password', name: 'R' },
        })
      for (let i = 0; i < 3; i += 1) expectProblem(await attempt(), 400)
      limited(await attempt())
    })
  })

  it('believes X-Forwarded-For only from a trusted proxy', async () => {
    await withApp({ trustProxy: '127.0.0.1' }, async (app) => {
      const via = (client: string, extra: Partial<InjectOptions> = {}) =>
        app.inject(loginAs(uniqueEmail(), { headers: { 'x-forwarded-for': client }, ...extra }))
      for (let i = 0; i < 9; i += 1) expect((await via('203.0.113.5')).statusCode).toBe(401)
      limited(await via('203.0.113.5'))
      expect((await via('203.0.113.6')).statusCode).toBe(401)
      // From an address that is not the proxy, the header is ignored.
      for (let i = 0; i < 9; i += 1) {
        expect((await via(`203.0.113.${100 + i}`, { remoteAddress: '192.0.2.7' })).statusCode).toBe(401)
      }
      limited(await via('203.0.113.250', { remoteAddress: '192.0.2.7' }))
      const admin = await signUp(app, 'admin')
      const audit = await app.inject({
        url: '/api/v1/admin/audit?action=auth.login&outcome=failure&limit=500',
        headers: admin.auth,
      })
      const ips = new Set(audit.json().items.map((e: { actorIp: string }) => e.actorIp))
      expect([...ips].sort()).toEqual(['192.0.2.7', '203.0.113.5', '203.0.113.6'])
    })
  })

  it('limits API requests per user', async () => {
    await withApp({ rateLimitPerMinute: '5' }, async (app) => {
      const [first, second] = [await signUp(app, 'a'), await signUp(app, 'b')]
      for (let i = 0; i < 5; i += 1) {
        expect((await app.inject({ url: '/api/v1/me', headers: first.auth })).statusCode).toBe(200)
      }
      limited(await app.inject({ url: '/api/v1/me', headers: first.auth }))
      limited(await app.inject({ url: '/api/v1/me/sessions', headers: first.auth }))
      expect((await app.inject({ url: '/api/v1/me', headers: second.auth })).statusCode).toBe(200)
    })
  })
})
