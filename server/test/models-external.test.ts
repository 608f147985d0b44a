// LLM Manager with external APIs, model details, pull faults and live status over the WebSocket.
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { FakeOllama } from './fakes/fake-ollama.js'
import { FakeOpenAI } from './fakes/fake-openai.js'
import { dbKinds, expectProblem, type SignedIn, signUp, startTestApp, type TestApp } from './helpers.js'

interface ModelView {
  id: string
  name: string
  status: string
  enabled: boolean
  capabilities: string[]
}

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe.each(dbKinds)('LLM Manager with external providers on %s', (kind) => {
  let t: TestApp
  let admin: SignedIn
  let user: SignedIn
  const closers: Array<() => Promise<void>> = []

  beforeAll(async () => {
    t = await startTestApp(kind)
    admin = await signUp(t.app, 'admin')
    user = await signUp(t.app, 'user')
  })
  afterEach(async () => {
    for (const close of closers.splice(0)) await close()
    for (const p of await t.app.services.connections.list()) {
      await t.app.services.connections.remove(p.id, { id: null, ip: null })
    }
  })
  afterAll(() => t.close())

  const provider = async (payload: Record<string, unknown>) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: admin.auth,
      payload,
    })
    expect(response.statusCode).toBe(201)
    return response.json<{ id: string }>()
  }
  const list = async (who: SignedIn) =>
    (await t.app.inject({ url: '/api/v1/models?refresh=true', headers: who.auth })).json<{
      items: ModelView[]
    }>().items

  it('lists an OpenAI-compatible server and treats start/stop as enable/disable for users', async () => {
    const fake = await FakeOpenAI.start({ apiKey: 'sk-compat-1234' })
    closers.push(() => fake.close())
    const created = await provider({
      name: 'vllm',
      kind: 'openai-compatible',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-compat-1234',
    })
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${created.id}/test`,
      headers: admin.auth,
    })
    expect(test.json()).toMatchObject({ ok: true })
    const mini = (await list(admin)).find((m) => m.name === 'gpt-4o-mini')
    expect(mini).toMatchObject({ enabled: true, status: 'available' })
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer sk-compat-1234')).toBe(true)

    const stop = await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/${mini?.id}/stop`,
      headers: admin.auth,
      payload: {},
    })
    expect(stop.json()).toMatchObject({ enabled: false, status: 'disabled' })
    expect((await list(user)).some((m) => m.id === mini?.id)).toBe(false)
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/models/${mini?.id}/start`,
      headers: admin.auth,
      payload: {},
    })
    expect((await list(user)).some((m) => m.id === mini?.id)).toBe(true)
  })

  it('shows a wrong key as a failed connection test with the provider error text', async () => {
    const fake = await FakeOpenAI.start({ apiKey: 'sk-right' })
    closers.push(() => fake.close())
    const created = await provider({
      name: 'bad-key',
      kind: 'openai-compatible',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-wrong',
    })
    const test = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${created.id}/test`,
      headers: admin.auth,
    })
    expect(test.json()).toMatchObject({ ok: false, error: expect.stringMatching(/key|auth/i) })
    const row = await t.app.inject({ url: `/api/v1/providers/${created.id}`, headers: admin.auth })
    expect(row.json()).toMatchObject({ status: 'unreachable', apiKey: { set: true, last4: 'rong' } })
  })

  it('shows model details from the host', async () => {
    const fake = await FakeOllama.start()
    closers.push(() => fake.close())
    await provider({ name: 'host-a', kind: 'ollama', baseUrl: fake.url })
    const llama = (await list(admin)).find((m) => m.name === 'llama3.2:1b')
    const details = await t.app.inject({ url: `/api/v1/models/${llama?.id}/details`, headers: admin.auth })
    expect(details.statusCode).toBe(200)
    expect(details.json()).toMatchObject({
      license: expect.stringContaining('LLAMA'),
      template: '{{ .Prompt }}',
    })
    expectProblem(await t.app.inject({ url: `/api/v1/models/${llama?.id}/details`, headers: user.auth }), 403)
  })

  it('marks a pull failed with the reason when the host drops mid-pull, and a retry succeeds', async () => {
    const fake = await FakeOllama.start()
    closers.push(() => fake.close())
    const host = await provider({ name: 'host-a', kind: 'ollama', baseUrl: fake.url })
    fake.setPullMode('disconnect')
    const pull = async () => {
      const started = await t.app.inject({
        method: 'POST',
        url: `/api/v1/providers/${host.id}/pulls`,
        headers: admin.auth,
        payload: { model: 'tinyllama' },
      })
      expect(started.statusCode).toBe(202)
      return until(
        async () =>
          (await t.app.inject({ url: `/api/v1/pulls/${started.json().id}`, headers: admin.auth })).json(),
        (p) => p.status !== 'running',
        'pull to settle',
      )
    }
    const failed = await pull()
    expect(failed.status).toBe('failed')
    expect(failed.error).toBeTruthy()
    fake.setPullMode('normal')
    expect((await pull()).status).toBe('succeeded')
  })

  it('pushes status changes to connected users over the WebSocket', async () => {
    const fake = await FakeOllama.start()
    closers.push(() => fake.close())
    await provider({ name: 'host-a', kind: 'ollama', baseUrl: fake.url })
    const llama = (await list(admin)).find((m) => m.name === 'llama3.2:1b')
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const port = (t.app.server.address() as AddressInfo).port
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/v1/ws`)
    closers.push(async () => socket.close())
    const statuses: string[] = []
    const loaded = new Promise<void>((resolve) => {
      socket.on('message', (raw) => {
        const event = JSON.parse(raw.toString())
        if (event.type === 'ready') {
          void t.app.inject({
            method: 'POST',
            url: `/api/v1/models/${llama?.id}/start`,
            headers: admin.auth,
            payload: {},
          })
        }
        if (event.type === 'model.status' && event.model.id === llama?.id) {
          statuses.push(event.model.status)
          if (event.model.status === 'loaded') resolve()
        }
      })
    })
    socket.on('open', () => socket.send(JSON.stringify({ type: 'auth', token: user.token })))
    await loaded
    expect(statuses[0]).toBe('loading')
    expect(statuses.at(-1)).toBe('loaded')

    // Disabled: the user is told only the id, so their list drops it; admins get the full model.
    const hidden = new Promise<unknown>((resolve) => {
      socket.on('message', (raw) => {
        const event = JSON.parse(raw.toString())
        if (event.type === 'model.hidden' || (event.type === 'model.status' && !event.model.enabled))
          resolve(event)
      })
    })
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${llama?.id}`,
      headers: admin.auth,
      payload: { enabled: false },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(await hidden).toEqual({ type: 'model.hidden', modelId: llama?.id })
  })
})
