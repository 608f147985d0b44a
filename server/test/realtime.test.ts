// The WebSocket hub over a real port: authentication, Origin check, per-user delivery, and
// sockets closed at once when their session, key or user is revoked — also across two servers
// that share PostgreSQL and Redis.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  buildTestApp,
  createApiKey,
  createTestDatabase,
  dbKinds,
  login,
  redisUrl,
  type SignedIn,
  sessionIdOf,
  signUp,
  startTestApp,
  type TestApp,
  type TestDatabase,
} from './helpers.js'

type Message = Record<string, unknown>

/** Fails a wait that never ends with a clear message instead of the test timeout. */
function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

class Client {
  private readonly queue: Message[] = []
  private readonly waiters: Array<(m: Message) => void> = []
  readonly closed: Promise<{ code: number; reason: string }>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message
      const waiter = this.waiters.shift()
      if (waiter) waiter(message)
      else this.queue.push(message)
    })
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    )
  }

  static async open(url: string, options: WebSocket.ClientOptions = {}): Promise<Client> {
    const socket = new WebSocket(url, options)
    const client = new Client(socket)
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve())
        socket.once('error', reject)
      }),
      'the socket to open',
    )
    return client
  }

  /** Opens a socket and authenticates it with its first message. */
  static async signedIn(url: string, token: string): Promise<Client> {
    const client = await Client.open(url)
    client.send({ type: 'auth', token })
    expect(await client.next()).toMatchObject({ type: 'ready' })
    return client
  }

  send(message: Message): void {
    this.socket.send(JSON.stringify(message))
  }

  next(): Promise<Message> {
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(queued)
    return within(new Promise((resolve) => this.waiters.push(resolve)), 'a message')
  }

  closeCode(): Promise<number> {
    return within(this.closed, 'the server to close the socket').then((c) => c.code)
  }

  end(): void {
    this.socket.terminate()
  }
}

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/v1/ws`
}

/** Sends a marker to a user and waits for it: whatever arrives before it was sent earlier. */
async function nextAfterMarker(app: FastifyInstance, client: Client, userId: string): Promise<Message> {
  const marker = { type: 'test.marker', at: Math.random() }
  await app.services.bus.publish(userId, marker)
  return client.next()
}

describe.each(dbKinds)('realtime on %s', (kind) => {
  let t: TestApp
  let url: string
  let admin: SignedIn
  let user: SignedIn

  beforeAll(async () => {
    t = await startTestApp(kind, { wsAuthTimeoutMs: '300' })
    url = await listen(t.app)
    admin = await signUp(t.app, 'admin')
    user = await signUp(t.app, 'user')
  })
  afterAll(() => t.close())

  it('closes a socket that does not authenticate in time', async () => {
    const client = await Client.open(url)
    expect(await within(client.closed, 'the auth timeout')).toEqual({
      code: 4401,
      reason: 'authentication timeout',
    })
  })

  it('closes a socket that presents an invalid token', async () => {
    const client = await Client.open(url)
    client.send({ type: 'auth', token: `${user.token}x` })
    expect(await client.closeCode()).toBe(4401)
  })

  it('gets ready with an access token, in a message or in the Authorization header', async () => {
    const viaMessage = await Client.open(url)
    viaMessage.send({ type: 'ping' })
    expect(await viaMessage.next()).toEqual({ type: 'pong' })
    viaMessage.send({ type: 'auth', token: user.token })
    expect(await viaMessage.next()).toEqual({ type: 'ready', userId: user.id })
    const viaHeader = await Client.open(url, { headers: user.auth })
    expect(await viaHeader.next()).toEqual({ type: 'ready', userId: user.id })
    viaMessage.end()
    viaHeader.end()
  })

  it('refuses a foreign Origin and accepts its own', async () => {
    const refused = new WebSocket(url, { origin: 'https://evil.example' })
    const status = await within(
      new Promise<number>((resolve) =>
        refused.on('unexpected-response', (request, response) => {
          request.destroy()
          resolve(response.statusCode ?? 0)
        }),
      ),
      'the upgrade to be refused',
    )
    expect(status).toBe(403)
    const own = await Client.open(url, { origin: url.replace('ws://', 'http://').replace('/api/v1/ws', '') })
    own.send({ type: 'auth', token: user.token })
    expect(await own.next()).toMatchObject({ type: 'ready' })
    own.end()
  })

  it("delivers a user's events to all of that user's sockets and nobody else's", async () => {
    const other = await signUp(t.app, 'other')
    const [first, second] = [await Client.signedIn(url, user.token), await Client.signedIn(url, user.token)]
    const bystander = await Client.signedIn(url, other.token)
    await t.app.services.bus.publish(user.id, { type: 'model.status', model: 'tiny', status: 'loaded' })
    for (const client of [first, second]) {
      expect(await client.next()).toEqual({ type: 'model.status', model: 'tiny', status: 'loaded' })
    }
    expect(await nextAfterMarker(t.app, bystander, other.id)).toMatchObject({ type: 'test.marker' })
    for (const client of [first, second, bystander]) client.end()
  })

  it('closes the socket of a session ended from another session, and on logout', async () => {
    const doomed = await login(t.app, user.email)
    const survivor = await login(t.app, user.email)
    const [doomedSocket, survivorSocket] = [
      await Client.signedIn(url, doomed.token),
      await Client.signedIn(url, survivor.token),
    ]
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/sessions/${sessionIdOf(doomed.token)}`,
      headers: survivor.auth,
    })
    expect(revoke.statusCode).toBe(204)
    expect(await doomedSocket.closeCode()).toBe(4401)
    expect(await nextAfterMarker(t.app, survivorSocket, user.id)).toMatchObject({ type: 'test.marker' })

    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: survivor.auth })
    expect(out.statusCode).toBe(204)
    expect(await survivorSocket.closeCode()).toBe(4401)
  })

  it("closes an API key's socket when the key is revoked, and keeps the rest", async () => {
    const key = await createApiKey(t.app, user, ['read'])
    const keySocket = await Client.signedIn(url, key.key)
    const sessionSocket = await Client.signedIn(url, user.token)
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-keys/${key.id}`,
      headers: user.auth,
    })
    expect(revoke.statusCode).toBe(204)
    expect(await keySocket.closeCode()).toBe(4401)
    expect(await nextAfterMarker(t.app, sessionSocket, user.id)).toMatchObject({ type: 'test.marker' })
    sessionSocket.end()
  })

  it('closes every socket of a disabled user, session and key alike', async () => {
    const victim = await signUp(t.app, 'victim')
    const key = await createApiKey(t.app, victim, ['read'])
    const sockets = [await Client.signedIn(url, victim.token), await Client.signedIn(url, key.key)]
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/users/${victim.id}`,
      headers: admin.auth,
      payload: { disabled: true },
    })
    expect(disable.statusCode).toBe(200)
    for (const socket of sockets) expect(await socket.closeCode()).toBe(4401)
    // Nor can the disabled user come back with the same credentials.
    for (const token of [victim.token, key.key]) {
      const again = await Client.open(url)
      again.send({ type: 'auth', token })
      expect(await again.closeCode()).toBe(4401)
    }
  })
})

describe.runIf(redisUrl && dbKinds.includes('postgres'))(
  'realtime across two servers (PostgreSQL + Redis)',
  () => {
    let db: TestDatabase
    let a: FastifyInstance
    let b: FastifyInstance
    let urlB: string
    let admin: SignedIn

    beforeAll(async () => {
      db = await createTestDatabase('postgres')
      a = await buildTestApp(db, { redisUrl })
      b = await buildTestApp(db, { redisUrl })
      await listen(a)
      urlB = await listen(b)
      admin = await signUp(a, 'admin')
    })
    afterAll(async () => {
      await a.close()
      await b.close()
      await db.cleanup()
    })

    it('delivers an event published on one server to a socket on the other', async () => {
      const user = await signUp(a, 'user')
      const socket = await Client.signedIn(urlB, user.token)
      await a.services.bus.publish(user.id, { type: 'run.step', step: 2 })
      expect(await socket.next()).toEqual({ type: 'run.step', step: 2 })
      socket.end()
    })

    it('closes sockets on the other server when a session ends or a user is disabled', async () => {
      const user = await signUp(a, 'user')
      const extra = await login(a, user.email)
      const [sessionSocket, userSocket] = [
        await Client.signedIn(urlB, extra.token),
        await Client.signedIn(urlB, user.token),
      ]
      const revoke = await a.inject({
        method: 'DELETE',
        url: `/api/v1/me/sessions/${sessionIdOf(extra.token)}`,
        headers: user.auth,
      })
      expect(revoke.statusCode).toBe(204)
      expect(await sessionSocket.closeCode()).toBe(4401)

      const disable = await a.inject({
        method: 'PATCH',
        url: `/api/v1/admin/users/${user.id}`,
        headers: admin.auth,
        payload: { disabled: true },
      })
      expect(disable.statusCode).toBe(200)
      expect(await userSocket.closeCode()).toBe(4401)
    })
  },
)
