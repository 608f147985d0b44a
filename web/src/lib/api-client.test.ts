import { describe, expect, it, vi } from 'vitest'
import type { User } from '@/types/api'
import { ApiClient, ApiError } from './api-client'

const user: User = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'admin',
  createdAt: '2026-01-01T00:00:00.000Z',
  disabled: false,
}

function json(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
}

function tokens(accessToken: string) {
  return json(200, { accessToken, tokenType: 'Bearer', expiresIn: 900, user })
}

const unauthorized = () =>
  json(401, { type: 'x', title: 'Unauthorized', status: 401 }, 'application/problem+json')

interface Call {
  url: string
  method: string
  authorization: string | null
  body: string | undefined
  credentials: RequestCredentials | undefined
}

/** A fake server: routes by "METHOD path", records every call. */
function fakeServer(routes: Record<string, (call: Call) => Response | Promise<Response>>) {
  const calls: Call[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers)
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      authorization: headers.get('authorization'),
      body: typeof init?.body === 'string' ? init.body : undefined,
      credentials: init?.credentials,
    }
    calls.push(call)
    const route = routes[`${call.method} ${call.url.split('?')[0]}`]
    if (!route) throw new Error(`unexpected ${call.method} ${call.url}`)
    return route(call)
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls }
}

async function signedInClient(
  routes: Record<string, (call: Call) => Response | Promise<Response>>,
  onSessionExpired = vi.fn(),
) {
  const server = fakeServer({ 'POST /api/v1/auth/login': () => tokens('token-1'), ...routes })
  const client = new ApiClient({ fetch: server.fetch, onSessionExpired })
  await client.login({ email: user.email, password: 'correct horse battery' })
  server.calls.length = 0
  return { client, calls: server.calls, onSessionExpired }
}

describe('ApiClient', () => {
  it('signs requests with the access token from login, in memory only', async () => {
    const { client, calls } = await signedInClient({ 'GET /api/v1/me': () => json(200, user) })

    await expect(client.get('/me')).resolves.toEqual(user)
    expect(calls[0]?.authorization).toBe('Bearer token-1')
    expect(calls[0]?.credentials).toBe('same-origin')
    expect(client.getSession()).toEqual({ status: 'signed-in', user })
    expect(window.localStorage.length).toBe(0)
  })

  it('shares one refresh among concurrent 401s and retries each request with the new token', async () => {
    let releaseRefresh: () => void = () => undefined
    const refreshGate = new Promise<void>((resolve) => {
      releaseRefresh = resolve
    })
    const { client, calls } = await signedInClient({
      'GET /api/v1/me': (call) =>
        call.authorization === 'Bearer token-2' ? json(200, user) : unauthorized(),
      'GET /api/v1/api-keys': (call) =>
        call.authorization === 'Bearer token-2' ? json(200, { items: [] }) : unauthorized(),
      'GET /api/v1/me/sessions': (call) =>
        call.authorization === 'Bearer token-2' ? json(200, { items: [] }) : unauthorized(),
      'POST /api/v1/auth/refresh': async () => {
        await refreshGate
        return tokens('token-2')
      },
    })

    const results = Promise.all([client.get('/me'), client.get('/api-keys'), client.get('/me/sessions')])
    await vi.waitFor(() => expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1))
    releaseRefresh()

    await expect(results).resolves.toEqual([user, { items: [] }, { items: [] }])
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1)
    const retried = calls.filter(
      (c) => !c.url.endsWith('/auth/refresh') && c.authorization === 'Bearer token-2',
    )
    expect(retried.map((c) => c.url).sort()).toEqual([
      '/api/v1/api-keys',
      '/api/v1/me',
      '/api/v1/me/sessions',
    ])
  })

  it('does not refresh again when the token was already renewed by another request', async () => {
    const { client, calls } = await signedInClient({
      'GET /api/v1/me': (call) =>
        call.authorization === 'Bearer token-2' ? json(200, user) : unauthorized(),
      'POST /api/v1/auth/refresh': () => tokens('token-2'),
    })
    await client.get('/me')
    await client.get('/me')
    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1)
    expect(calls.at(-1)?.authorization).toBe('Bearer token-2')
  })

  it('signs out and reports the expiry when the refresh is refused', async () => {
    const { client, calls, onSessionExpired } = await signedInClient({
      'GET /api/v1/me': () => unauthorized(),
      'POST /api/v1/auth/refresh': () => unauthorized(),
    })
    const seen: string[] = []
    client.subscribe(() => seen.push(client.getSession().status))

    const error = await client.get('/me').catch((e: unknown) => e)

    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).status).toBe(401)
    expect(client.getSession()).toEqual({ status: 'signed-out', user: null, reason: 'expired' })
    expect(seen).toEqual(['signed-out'])
    expect(onSessionExpired).toHaveBeenCalledTimes(1)
    // The original request is not retried without a token.
    expect(calls.filter((c) => c.url === '/api/v1/me')).toHaveLength(1)
    expect(await client.freshAccessToken()).toBeNull()
  })

  it('parses problem+json into an ApiError with detail and field errors', async () => {
    const { client } = await signedInClient({
      'POST /api/v1/api-keys': () =>
        json(
          400,
          {
            type: 'https://webplus.dev/problems/validation-failed',
            title: 'Bad Request',
            status: 400,
            detail: 'The body is invalid',
            errors: [
              { field: 'name', message: 'Too short' },
              { field: 'name', message: 'second message is ignored' },
              { field: 'scopes', message: 'Pick at least one scope' },
            ],
          },
          'application/problem+json; charset=utf-8',
        ),
    })

    const error = (await client.post('/api-keys', { name: '' }).catch((e: unknown) => e)) as ApiError

    expect(error).toBeInstanceOf(ApiError)
    expect(error.status).toBe(400)
    expect(error.title).toBe('Bad Request')
    expect(error.detail).toBe('The body is invalid')
    expect(error.message).toBe('The body is invalid')
    expect(error.type).toBe('https://webplus.dev/problems/validation-failed')
    expect(error.fieldErrors).toEqual({ name: 'Too short', scopes: 'Pick at least one scope' })
  })

  it('turns a non-JSON failure and a network failure into ApiErrors', async () => {
    const { client } = await signedInClient({
      'GET /api/v1/me': () =>
        new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
      'GET /api/v1/me/sessions': () => {
        throw new TypeError('Failed to fetch')
      },
    })
    const badGateway = (await client.get('/me').catch((e: unknown) => e)) as ApiError
    expect(badGateway.status).toBe(502)
    expect(badGateway.title).toBe('Bad Gateway')

    const offline = (await client.get('/me/sessions').catch((e: unknown) => e)) as ApiError
    expect(offline).toBeInstanceOf(ApiError)
    expect(offline.status).toBe(0)
    expect(offline.detail).toMatch(/could not reach the server/i)
  })

  it('restores a session from the refresh cookie on start, or starts signed out', async () => {
    const ok = fakeServer({ 'POST /api/v1/auth/refresh': () => tokens('restored') })
    const restored = new ApiClient({ fetch: ok.fetch })
    expect(restored.getSession().status).toBe('restoring')
    await restored.restoreSession()
    expect(restored.getSession()).toEqual({ status: 'signed-in', user })
    expect(ok.calls[0]?.body).toBeUndefined()

    const onSessionExpired = vi.fn()
    const refused = new ApiClient({
      fetch: fakeServer({ 'POST /api/v1/auth/refresh': () => unauthorized() }).fetch,
      onSessionExpired,
    })
    await refused.restoreSession()
    expect(refused.getSession().status).toBe('signed-out')
    // Nobody was signed in, so there is nothing to "expire" and no redirect to trigger.
    expect(onSessionExpired).not.toHaveBeenCalled()
  })

  it('tells who waits for the session once it is restored, or known to be signed out', async () => {
    const restored = new ApiClient({
      fetch: fakeServer({ 'POST /api/v1/auth/refresh': () => tokens('restored') }).fetch,
    })
    const waiting = restored.whenRestored()
    void restored.restoreSession()
    await expect(waiting).resolves.toEqual({ status: 'signed-in', user })
    await expect(restored.whenRestored()).resolves.toEqual({ status: 'signed-in', user })

    const refused = new ApiClient({
      fetch: fakeServer({ 'POST /api/v1/auth/refresh': () => unauthorized() }).fetch,
    })
    const waitingRefused = refused.whenRestored()
    await refused.restoreSession()
    await expect(waitingRefused).resolves.toMatchObject({ status: 'signed-out' })
  })

  it('does not try to refresh when public auth calls fail', async () => {
    const server = fakeServer({
      'POST /api/v1/auth/login': () =>
        json(401, { type: 'x', title: 'Unauthorized', status: 401, detail: 'Wrong email or password' }),
    })
    const client = new ApiClient({ fetch: server.fetch })
    const error = (await client
      .login({ email: 'a@b.co', password: 'nope-nope' })
      .catch((e: unknown) => e)) as ApiError
    expect(error.detail).toBe('Wrong email or password')
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/auth/login'])
  })

  it('sends the token on logout and signs out locally even when the server fails', async () => {
    const { client, calls } = await signedInClient({
      'POST /api/v1/auth/logout': () => json(500, { type: 'x', title: 'Internal', status: 500 }),
    })
    await expect(client.logout()).rejects.toBeInstanceOf(ApiError)
    expect(calls[0]?.authorization).toBe('Bearer token-1')
    expect(client.getSession()).toEqual({ status: 'signed-out', user: null, reason: 'signed-out' })
  })

  it('builds query strings without empty values', async () => {
    const { client, calls } = await signedInClient({
      'GET /api/v1/admin/audit': () => json(200, { items: [], nextBefore: null }),
    })
    await client.get('/admin/audit', { limit: 50, before: undefined, action: '', outcome: 'failure' })
    expect(calls[0]?.url).toBe('/api/v1/admin/audit?limit=50&outcome=failure')
  })

  it('hands over a raw response (an event stream) after refreshing an expired token', async () => {
    const { client, calls } = await signedInClient({
      'GET /api/v1/generations/g1/events': (call) =>
        call.authorization === 'Bearer token-2'
          ? new Response('id: 1\nevent: delta\ndata: {}\n\n', {
              headers: { 'content-type': 'text/event-stream' },
            })
          : unauthorized(),
      'POST /api/v1/auth/refresh': () => tokens('token-2'),
    })
    const response = await client.raw('/generations/g1/events', {
      headers: { 'last-event-id': '7' },
      accept: 'text/event-stream',
    })
    await expect(response.text()).resolves.toContain('event: delta')
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/generations/g1/events',
      '/api/v1/auth/refresh',
      '/api/v1/generations/g1/events',
    ])
  })

  it('reads Retry-After from a 429 into the error', async () => {
    const { client } = await signedInClient({
      'POST /api/v1/conversations/c1/messages': () =>
        new Response(
          JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'Wait' }),
          {
            status: 429,
            headers: { 'content-type': 'application/problem+json', 'retry-after': '12' },
          },
        ),
    })
    await expect(client.post('/conversations/c1/messages', { content: 'hi' })).rejects.toMatchObject({
      status: 429,
      detail: 'Wait',
      retryAfterSeconds: 12,
    })
  })

  it('hands a prefetched GET to the first get of the same URL, once', async () => {
    let served = 0
    const { client, calls } = await signedInClient({
      'GET /api/v1/conversations/c1': () => json(200, { served: ++served }),
    })
    client.prefetch('/conversations/c1', { limit: 50 })
    client.prefetch('/conversations/c1', { limit: 50 }) // already under way: not sent twice
    expect(calls).toHaveLength(1)
    expect(calls[0]?.authorization).toBe('Bearer token-1')
    await expect(client.get('/conversations/c1', { limit: 50 })).resolves.toEqual({ served: 1 })
    expect(calls).toHaveLength(1)
    // Taken once: the next get asks the server again, and so does another URL.
    await expect(client.get('/conversations/c1', { limit: 50 })).resolves.toEqual({ served: 2 })
    await expect(client.get('/conversations/c1', { limit: 20 })).resolves.toEqual({ served: 3 })
    expect(calls).toHaveLength(3)
  })

  it('hands over a prefetched answer synchronously once it has arrived, and only once', async () => {
    let served = 0
    const { client, calls } = await signedInClient({
      'GET /api/v1/conversations/c1': () => json(200, { served: ++served }),
    })
    client.prefetch('/conversations/c1')
    expect(client.takeArrived('/conversations/c1')).toBeUndefined() // still on its way
    await vi.waitFor(() => expect(client.takeArrived('/conversations/c1')).toEqual({ served: 1 }))
    expect(client.takeArrived('/conversations/c1')).toBeUndefined()
    await expect(client.get('/conversations/c1')).resolves.toEqual({ served: 2 })
    expect(calls).toHaveLength(2)
  })

  it("gives a prefetched GET's error to the get that takes it", async () => {
    const { client } = await signedInClient({
      'GET /api/v1/conversations/gone': () =>
        json(404, { type: 'x', title: 'Not Found', status: 404, detail: 'Conversation not found' }),
    })
    client.prefetch('/conversations/gone')
    await expect(client.get('/conversations/gone')).rejects.toMatchObject({
      status: 404,
      detail: 'Conversation not found',
    })
  })

  it('drops prefetched answers when the session ends, and ones nobody takes in time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    try {
      let served = 0
      const { client, calls } = await signedInClient({
        'GET /api/v1/me': () => json(200, { served: ++served }),
        'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }),
        'POST /api/v1/auth/login': () => tokens('token-2'),
      })
      client.prefetch('/me', undefined, 1_000)
      vi.advanceTimersByTime(1_001)
      await expect(client.get('/me')).resolves.toEqual({ served: 2 })

      client.prefetch('/me')
      await client.logout()
      await client.login({ email: user.email, password: 'correct horse battery' })
      await expect(client.get('/me')).resolves.toEqual({ served: 4 })
      expect(calls.filter((c) => c.url === '/api/v1/me').at(-1)?.authorization).toBe('Bearer token-2')
    } finally {
      vi.useRealTimers()
    }
  })
})
