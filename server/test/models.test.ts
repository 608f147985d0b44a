// LLM Manager over real HTTP and a real database, against fake Ollama hosts that speak its API.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama, fakeOllamaModel } from './fakes/fake-ollama.js'
import { dbKinds, expectProblem, type SignedIn, signUp, startTestApp, type TestApp } from './helpers.js'

interface HostView {
  providerId: string
  status: string
  vramBytes: number | null
  error: string | null
}
interface ModelView {
  id: string
  name: string
  status: string
  enabled: boolean
  capabilities: string[]
  hosts: HostView[]
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe.each(dbKinds)('LLM Manager on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn
  let user: SignedIn
  const fakes: FakeOllama[] = []

  async function addOllama(name: string, fake?: FakeOllama) {
    const host = fake ?? (await FakeOllama.start())
    fakes.push(host)
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: admin.auth,
      payload: { name, kind: 'ollama', baseUrl: host.url },
    })
    expect(response.statusCode).toBe(201)
    return { fake: host, provider: response.json<{ id: string }>() }
  }

  const models = async (who: SignedIn = admin) => {
    const response = await t.app.inject({ url: '/api/v1/models?refresh=true', headers: who.auth })
    expect(response.statusCode).toBe(200)
    return response.json<{ items: ModelView[] }>().items
  }
  const model = async (id: string) =>
    (await t.app.inject({ url: `/api/v1/models/${id}`, headers: admin.auth })).json<ModelView>()
  const byName = async (name: string) => {
    const found = (await models()).find((m) => m.name === name)
    if (!found) throw new Error(`${name} not in catalog`)
    return found
  }

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
    user = await signUp(t.app, 'user')
  })
  afterEach(async () => {
    for (const fake of fakes.splice(0)) await fake.close()
    for (const p of await t.app.services.connections.list()) {
      await t.app.services.connections.remove(p.id, { id: null, ip: null })
    }
  })
  afterAll(() => t.close())

  it('syncs the catalog with capabilities, sizes and per-host status', async () => {
    await addOllama('host-a')
    const items = await models()
    expect(items.map((m) => m.name).sort()).toEqual(['llama3.2:1b', 'llava:7b', 'nomic-embed-text:latest'])
    const llava = items.find((m) => m.name === 'llava:7b')
    expect(llava?.capabilities).toContain('vision')
    expect(items.find((m) => m.name === 'nomic-embed-text:latest')?.capabilities).toContain('embeddings')
    expect(llava?.hosts).toEqual([expect.objectContaining({ status: 'available', vramBytes: null })])
  })

  it('starts and stops a model, confirmed by /api/ps', async () => {
    const { fake, provider } = await addOllama('host-a')
    const llama = await byName('llama3.2:1b')
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/${llama.id}/start`,
      headers: admin.auth,
      payload: { keepAlive: '10m' },
    })
    expect(started.statusCode).toBe(202)
    const loaded = await waitFor(
      () => model(llama.id),
      (m) => m.status === 'loaded',
      'loaded',
    )
    expect(loaded.hosts[0]).toMatchObject({
      providerId: provider.id,
      status: 'loaded',
      vramBytes: 1_200_000_000,
    })
    expect(fake.loaded.has('llama3.2:1b')).toBe(true)

    const stopped = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/${llama.id}/stop`,
      headers: admin.auth,
    })
    expect(stopped.statusCode).toBe(202)
    await waitFor(
      () => model(llama.id),
      (m) => m.status === 'available',
      'unloaded',
    )
    expect(fake.loaded.size).toBe(0)
    const unload = fake.requests.find(
      (r) => r.path === '/api/generate' && (r.body as { keep_alive?: unknown }).keep_alive === 0,
    )
    expect(unload).toBeDefined()
  })

  it('reconciles models loaded or unloaded outside Web+, and marks a dead host unreachable', async () => {
    const { fake } = await addOllama('host-a')
    const llama = await byName('llama3.2:1b')
    fake.loadExternally('llama3.2:1b')
    await t.app.services.control.reconcileNow()
    expect((await model(llama.id)).status).toBe('loaded')
    fake.loaded.clear()
    await t.app.services.control.reconcileNow()
    expect((await model(llama.id)).status).toBe('available')
    await fake.close()
    await t.app.services.control.reconcileNow()
    expect((await model(llama.id)).hosts[0]?.status).toBe('unreachable')
  })

  it('answers a refresh with what the hosts have now, even while an older cycle is under way', async () => {
    const { fake: slow } = await addOllama('host-a')
    await models()
    slow.stallMs = 300
    const cycle = t.app.services.control.reconcileNow() // reads the providers before host-b exists
    const late = await FakeOllama.start({ models: [fakeOllamaModel('qwen3:0.6b')] })
    late.stallMs = 900 // its own first sync ends after the cycle above
    await addOllama('host-b', late)
    const names = (await models()).map((m) => m.name)
    expect(names).toContain('qwen3:0.6b')
    await cycle
  })

  it('shows one entry for a model on two hosts and routes to the host where it is loaded', async () => {
    const a = await addOllama('host-a')
    const b = await addOllama('host-b')
    b.fake.loadExternally('llama3.2:1b')
    const llama = await byName('llama3.2:1b')
    expect(llama.hosts.map((h) => h.providerId).sort()).toEqual([a.provider.id, b.provider.id].sort())
    const order = await t.app.services.invoker.candidates(llama.id)
    expect(order[0]?.id).toBe(b.provider.id)
  })

  it('fails over to another host when the first fails before any token, and records usage', async () => {
    const a = await addOllama('host-a')
    await addOllama('host-b')
    a.fake.loadExternally('llama3.2:1b')
    const llama = await byName('llama3.2:1b')
    await a.fake.close()
    const events = []
    for await (const event of t.app.services.invoker.chat({
      modelId: llama.id,
      request: { messages: [{ role: 'user', content: 'hi' }] },
      caller: { userId: user.id, role: 'user' },
      source: 'test',
      signal: new AbortController().signal,
    })) {
      events.push(event)
    }
    const text = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('')
    expect(text).toContain('fake Ollama')
    expect(events.find((e) => e.type === 'host')).toMatchObject({ providerName: 'host-b' })
    const metrics = await t.app.inject({
      url: `/api/v1/models/${llama.id}/metrics?window=1h`,
      headers: admin.auth,
    })
    expect(metrics.json()).toMatchObject({ requests: 1, errorRate: 0 })
    expect(metrics.json().outputTokens).toBeGreaterThan(0)
    const prom = await t.app.inject({ url: '/metrics' })
    expect(prom.body).toMatch(
      /webplus_model_requests_total\{model="llama3.2:1b",outcome="success",source="test"\} 1/,
    )
  })

  it('pulls with server-side progress, reports a rejected name, and can cancel', async () => {
    const { fake, provider } = await addOllama('host-a')
    const pull = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${provider.id}/pulls`,
      headers: admin.auth,
      payload: { model: 'tinyllama' },
    })
    expect(pull.statusCode).toBe(202)
    const done = await waitFor(
      async () =>
        (await t.app.inject({ url: `/api/v1/pulls/${pull.json().id}`, headers: admin.auth })).json(),
      (p) => p.status !== 'running',
      'pull to finish',
    )
    expect(done).toMatchObject({ status: 'succeeded', percent: 100, model: 'tinyllama:latest' })
    const after = await models()
    expect(after.find((m) => m.name === 'tinyllama:latest')?.status).toBe('available')
    expect(after.some((m) => m.name === 'tinyllama')).toBe(false)

    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${provider.id}/pulls`,
      headers: admin.auth,
      payload: { model: 'no-such-model' },
    })
    const failed = await waitFor(
      async () => (await t.app.inject({ url: `/api/v1/pulls/${bad.json().id}`, headers: admin.auth })).json(),
      (p) => p.status !== 'running',
      'bad pull to fail',
    )
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/file does not exist/)

    fake.setPullMode('slow')
    fake.library.push(fakeOllamaModel('qwen3:0.6b'))
    const slow = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${provider.id}/pulls`,
      headers: admin.auth,
      payload: { model: 'qwen3:0.6b' },
    })
    const cancel = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/pulls/${slow.json().id}`,
      headers: admin.auth,
    })
    expect(cancel.statusCode).toBe(200)
    const cancelled = await waitFor(
      async () =>
        (await t.app.inject({ url: `/api/v1/pulls/${slow.json().id}`, headers: admin.auth })).json(),
      (p) => p.status !== 'running',
      'cancel',
    )
    expect(cancelled.status).toBe('cancelled')
  })

  it('deletes a model from a host', async () => {
    const { fake, provider } = await addOllama('host-a')
    await models()
    const response = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/providers/${provider.id}/models/llava:7b`,
      headers: admin.auth,
    })
    expect(response.statusCode).toBe(204)
    expect(fake.models.some((m) => m.name === 'llava:7b')).toBe(false)
    // The catalog keeps the entry (its usage history stays); admins see it with no host.
    const deleted = (await models()).find((m) => m.name === 'llava:7b')
    expect(deleted?.hosts).toEqual([])
    expect(deleted?.status).toBe('no-host')
  })

  it('lets only admins manage, and shows users only what their role may use', async () => {
    const { provider } = await addOllama('host-a')
    const llama = await byName('llama3.2:1b')
    for (const [method, url] of [
      ['POST', `/api/v1/models/${llama.id}/start`],
      ['POST', `/api/v1/models/${llama.id}/stop`],
      ['POST', `/api/v1/providers/${provider.id}/pulls`],
      ['DELETE', `/api/v1/providers/${provider.id}/models/llama3.2:1b`],
      ['GET', '/api/v1/providers'],
    ] as const) {
      const payload = url.endsWith('pulls') ? { model: 'x' } : method === 'POST' ? {} : undefined
      expectProblem(await t.app.inject({ method, url, headers: user.auth, payload }), 403)
    }
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${llama.id}`,
      headers: admin.auth,
      payload: { allowedRoles: ['admin', 'developer'], pricing: { inputPerMTok: 1, outputPerMTok: 2 } },
    })
    expect(patch.json()).toMatchObject({ pricing: { inputPerMTok: 1, outputPerMTok: 2 } })
    expect((await models(user)).some((m) => m.id === llama.id)).toBe(false)
    expectProblem(await t.app.inject({ url: `/api/v1/models/${llama.id}`, headers: user.auth }), 404)
    expectProblem(await t.app.inject({ url: '/api/v1/models/01NOPE', headers: admin.auth }), 404)
  })

  it('keeps provider keys sealed, and asks for the key again when the base URL changes', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: admin.auth,
      payload: {
        name: 'compat',
        kind: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:9/v1',
        apiKey: 'sk-secret-abcd1234',
      },
    })
    expect(created.statusCode).toBe(201)
    expect(created.body).not.toContain('sk-secret')
    expect(created.json().apiKey).toEqual({ set: true, last4: '1234' })
    const row = await t.app.services.db
      .selectFrom('providers')
      .selectAll()
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow()
    expect(row.api_key_sealed).not.toContain('sk-secret')
    const moved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/providers/${created.json().id}`,
      headers: admin.auth,
      payload: { baseUrl: 'http://127.0.0.1:10/v1' },
    })
    expect(expectProblem(moved, 400).errors).toEqual([expect.objectContaining({ field: 'apiKey' })])
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${created.json().id}/test`,
      headers: admin.auth,
    })
    expect(test.json()).toMatchObject({ ok: false, error: expect.any(String) })
  })
})
