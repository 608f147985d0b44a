// Gateway limits across two servers that share PostgreSQL and Redis: one key's requests per
// minute are counted once, whichever server answers, and a limit set on one is enforced by both;
// a model an admin disables on one stops being served by both.
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { FakeOllama } from './fakes/fake-ollama.js'
import { injectedError } from './gateway-kit.js'
import {
  buildTestApp,
  createApiKey,
  createTestDatabase,
  dbKinds,
  redisUrl,
  type SignedIn,
  signUp,
  type TestDatabase,
} from './helpers.js'

describe.runIf(redisUrl && dbKinds.includes('postgres'))('gateway limits across two servers', () => {
  let db: TestDatabase
  let a: FastifyInstance
  let b: FastifyInstance
  let fake: FakeOllama
  let admin: SignedIn

  beforeAll(async () => {
    db = await createTestDatabase('postgres')
    a = await buildTestApp(db, { redisUrl })
    b = await buildTestApp(db, { redisUrl })
    admin = await signUp(a, 'admin')
    fake = await FakeOllama.start()
    const created = await a.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: admin.auth,
      payload: { name: 'shared', kind: 'ollama', baseUrl: fake.url },
    })
    expect(created.statusCode).toBe(201)
    for (const app of [a, b]) {
      expect((await app.inject({ url: '/api/v1/models?refresh=true', headers: admin.auth })).statusCode).toBe(
        200,
      )
    }
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await fake?.close()
    await db?.cleanup()
  })

  it('counts a key’s requests per minute once across both servers', async () => {
    const owner = await signUp(a, 'owner')
    const key = await createApiKey(a, owner, ['gateway'])
    const set = await a.inject({
      method: 'PATCH',
      url: `/api/v1/api-keys/${key.id}/limits`,
      headers: owner.auth,
      payload: { requestsPerMinute: 3 },
    })
    expect(set.statusCode, set.body).toBe(200)
    const ask = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: key.auth,
        payload: { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] },
      })
    // b has not read the limit yet; it reads it from the shared database.
    expect((await ask(a)).statusCode).toBe(200)
    expect((await ask(b)).statusCode).toBe(200)
    expect((await ask(a)).statusCode).toBe(200)
    for (const app of [b, a]) {
      const refused = await ask(app)
      expect(injectedError(refused, 429).type).toBe('requests')
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    }
  })

  it('stops serving a model an admin disabled: at once where it was done, then on the other server', async () => {
    const owner = await signUp(a, 'model-user')
    const key = await createApiKey(a, owner, ['gateway'])
    const chat = (app: FastifyInstance) =>
      app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: key.auth,
        payload: { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] },
      })
    // Both servers have the model, its hosts and the key in memory now; they keep such rows up to
    // 5 s unless told of a change, so the other server must hear of it well within that.
    for (const app of [a, b]) expect((await chat(app)).statusCode).toBe(200)
    const listed = await a.inject({ url: '/api/v1/models', headers: admin.auth })
    const model = listed
      .json<{ items: Array<{ id: string; name: string }> }>()
      .items.find((m) => m.name === 'llama3.2:1b')
    const setEnabled = (enabled: boolean) =>
      a.inject({
        method: 'PATCH',
        url: `/api/v1/models/${model?.id}`,
        headers: admin.auth,
        payload: { enabled },
      })
    expect((await setEnabled(false)).statusCode).toBe(200)
    expect(injectedError(await chat(a), 404).code).toBe('model_not_found')
    await vi.waitFor(async () => expect((await chat(b)).statusCode).toBe(404), { timeout: 3000 })
    expect((await setEnabled(true)).statusCode).toBe(200)
    expect((await chat(a)).statusCode).toBe(200)
    await vi.waitFor(async () => expect((await chat(b)).statusCode).toBe(200), { timeout: 3000 })
  })
})
