// Endpoint matrix rows for the LLM Manager routes (/api/v1/providers, /pulls, /models), run
// against a fake Ollama host connected as a provider once per database (connectModels).

import type { FastifyInstance, InjectOptions } from 'fastify'
import { expect } from 'vitest'
import { FakeOllama, fakeOllamaModel } from '../fakes/fake-ollama.js'
import { expectProblem, type SignedIn } from '../helpers.js'
import {
  adminOnly,
  type Ctx,
  type Endpoint,
  invalid,
  type ModelsFixture,
  na,
  needsSignIn,
  noInput,
  ok,
  openToAll,
  send,
  type Who,
} from './kit.js'

interface ModelView {
  id: string
  name: string
  status: string
  hosts: Array<{ providerId: string; status: string }>
}
interface PullView {
  id: string
  status: string
  percent: number | null
}

const instanceWide = na(
  'admin-only: providers, pulls and the catalog belong to the instance, not to a user; admins may act on any',
)
const restrictedToOthers = (c: Ctx) => c.models.restrictedId
const longId = 'x'.repeat(65)

/** Connects a fresh fake Ollama host as a provider and restricts one of its models to admins. */
export async function connectModels(app: FastifyInstance, admin: SignedIn): Promise<ModelsFixture> {
  const fake = await FakeOllama.start({
    library: [fakeOllamaModel('tinyllama', { sizeBytes: 637_700_000 }), fakeOllamaModel('qwen3:0.6b')],
  })
  try {
    const asAdmin = (options: InjectOptions) => app.inject({ ...options, headers: admin.auth })
    const created = await asAdmin({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'matrix-host', kind: 'ollama', baseUrl: fake.url },
    })
    expect(created.statusCode, created.body).toBe(201)
    const items = (await asAdmin({ url: '/api/v1/models?refresh=true' })).json<{ items: ModelView[] }>().items
    const idOf = (name: string) => {
      const found = items.find((m) => m.name === name)
      if (!found) throw new Error(`${name} not in the catalog: ${JSON.stringify(items)}`)
      return found.id
    }
    const restrictedId = idOf('nomic-embed-text:latest')
    const restricted = await asAdmin({
      method: 'PATCH',
      url: `/api/v1/models/${restrictedId}`,
      payload: { allowedRoles: ['admin'] },
    })
    expect(restricted.statusCode, restricted.body).toBe(200)
    return { fake, providerId: created.json().id, modelId: idOf('llama3.2:1b'), restrictedId }
  } catch (error) {
    await fake.close()
    throw error
  }
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const getJson = async <T>(c: Ctx, who: Who, url: string): Promise<T> => {
  const response = await send(c, who, { url })
  expect(response.statusCode, response.body).toBe(200)
  return response.json<T>()
}
const modelAs = (c: Ctx, id: string, who: Who = 'admin') => getJson<ModelView>(c, who, `/api/v1/models/${id}`)
const catalogAs = async (c: Ctx, who: Who) =>
  (await getJson<{ items: ModelView[] }>(c, who, '/api/v1/models')).items

/** Starts a pull on the fixture host (202) and waits until it is no longer running. */
async function pullToEnd(c: Ctx, model: string): Promise<PullView> {
  const started = await send(c, 'admin', {
    method: 'POST',
    url: `/api/v1/providers/${c.models.providerId}/pulls`,
    payload: { model },
  })
  expect(started.statusCode, started.body).toBe(202)
  // Ollama names `x` and `x:latest` the same model; the pull records the tagged name.
  const tagged = model.includes(':') ? model : `${model}:latest`
  expect(started.json()).toMatchObject({ providerId: c.models.providerId, model: tagged, status: 'running' })
  const id = started.json<PullView>().id
  return waitFor(
    () => getJson<PullView>(c, 'admin', `/api/v1/pulls/${id}`),
    (p) => p.status !== 'running',
    `pull of ${model}`,
  )
}

/** Connects a second fake host through the API and waits for its first sync. */
async function connectSecondHost(c: Ctx, name: string, fake: FakeOllama) {
  const response = await send(c, 'admin', {
    method: 'POST',
    url: '/api/v1/providers',
    payload: { name, kind: 'ollama', baseUrl: fake.url },
  })
  expect(response.statusCode, response.body).toBe(201)
  const id = response.json<{ id: string }>().id
  await waitFor(
    () => getJson<{ status: string }>(c, 'admin', `/api/v1/providers/${id}`),
    (p) => p.status === 'ok',
    `${name} to sync`,
  )
  // The host is marked healthy before its models are written: wait for those too.
  await waitFor(
    () => catalogAs(c, 'admin'),
    (models) => models.some((m) => m.hosts.some((h) => h.providerId === id)),
    `${name}'s models in the catalog`,
  )
  return response
}

const providerUrl = (c: Ctx) => `/api/v1/providers/${c.models.providerId}`
const modelUrl = (c: Ctx) => `/api/v1/models/${c.models.modelId}`

export const modelEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/v1/providers',
    success: ok(
      'admin',
      200,
      () => ({ url: '/api/v1/providers' }),
      (r, c) =>
        expect(r.json().items).toContainEqual(
          expect.objectContaining({
            id: c.models.providerId,
            kind: 'ollama',
            baseUrl: c.models.fake.url,
            apiKey: { set: false, last4: null },
          }),
        ),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/providers' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/providers' })),
    otherUser: instanceWide,
  },
  {
    method: 'POST',
    path: '/api/v1/providers',
    success: async (c) => {
      const fake = await FakeOllama.start({ models: [fakeOllamaModel('phi3:mini')] })
      try {
        const created = await connectSecondHost(c, 'matrix-second-host', fake)
        expect(created.json()).toMatchObject({ name: 'matrix-second-host', kind: 'ollama', enabled: true })
        const phi = (await catalogAs(c, 'admin')).find((m) => m.name === 'phi3:mini')
        expect(phi?.hosts.map((h) => h.providerId)).toEqual([created.json().id])
        await send(c, 'admin', { method: 'DELETE', url: `/api/v1/providers/${created.json().id}` })
      } finally {
        await fake.close()
      }
    },
    invalid: invalid(
      'admin',
      () => ({ method: 'POST', url: '/api/v1/providers', payload: { name: 'bad', kind: 'nope' } }),
      'kind',
    ),
    unauthenticated: needsSignIn(() => ({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'sneaky', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' },
    })),
    wrongRole: adminOnly(() => ({
      method: 'POST',
      url: '/api/v1/providers',
      payload: { name: 'sneaky', kind: 'ollama', baseUrl: 'http://127.0.0.1:9' },
    })),
    otherUser: na('creates an instance-wide connection; no existing resource is named'),
  },
  {
    method: 'GET',
    path: '/api/v1/providers/{id}',
    success: ok(
      'admin',
      200,
      (c) => ({ url: providerUrl(c) }),
      (r, c) => expect(r.json()).toMatchObject({ id: c.models.providerId, status: 'ok', lastError: null }),
    ),
    invalid: invalid('admin', () => ({ url: `/api/v1/providers/${longId}` }), 'id'),
    unauthenticated: needsSignIn((c) => ({ url: providerUrl(c) })),
    wrongRole: adminOnly((c) => ({ url: providerUrl(c) })),
    otherUser: instanceWide,
  },
  {
    method: 'PATCH',
    path: '/api/v1/providers/{id}',
    success: ok(
      'admin',
      200,
      (c) => ({ method: 'PATCH', url: providerUrl(c), payload: { name: 'matrix-host renamed' } }),
      (r, c) => expect(r.json()).toMatchObject({ id: c.models.providerId, name: 'matrix-host renamed' }),
    ),
    invalid: invalid(
      'admin',
      (c) => ({ method: 'PATCH', url: providerUrl(c), payload: { name: '' } }),
      'name',
    ),
    unauthenticated: needsSignIn((c) => ({
      method: 'PATCH',
      url: providerUrl(c),
      payload: { baseUrl: 'http://127.0.0.1:9' },
    })),
    wrongRole: adminOnly((c) => ({
      method: 'PATCH',
      url: providerUrl(c),
      payload: { baseUrl: 'http://127.0.0.1:9' },
    })),
    otherUser: instanceWide,
  },
  {
    method: 'DELETE',
    path: '/api/v1/providers/{id}',
    success: async (c) => {
      const fake = await FakeOllama.start({ models: [fakeOllamaModel('gemma3:1b')] })
      try {
        const id = (await connectSecondHost(c, 'matrix-doomed-host', fake)).json().id
        const removed = await send(c, 'admin', { method: 'DELETE', url: `/api/v1/providers/${id}` })
        expect(removed.statusCode, removed.body).toBe(204)
        expectProblem(await send(c, 'admin', { url: `/api/v1/providers/${id}` }), 404)
        const gemma = (await catalogAs(c, 'admin')).find((m) => m.name === 'gemma3:1b')
        expect(gemma?.hosts).toEqual([])
      } finally {
        await fake.close()
      }
    },
    invalid: invalid('admin', () => ({ method: 'DELETE', url: `/api/v1/providers/${longId}` }), 'id'),
    unauthenticated: needsSignIn((c) => ({ method: 'DELETE', url: providerUrl(c) })),
    wrongRole: adminOnly((c) => ({ method: 'DELETE', url: providerUrl(c) })),
    otherUser: instanceWide,
  },
  {
    method: 'POST',
    path: '/api/v1/providers/{id}/test',
    success: ok(
      'admin',
      200,
      (c) => ({ method: 'POST', url: `${providerUrl(c)}/test` }),
      (r) => {
        expect(r.json()).toMatchObject({ ok: true, latencyMs: expect.any(Number) })
        expect(r.json().error).toBeUndefined()
      },
    ),
    invalid: invalid('admin', () => ({ method: 'POST', url: `/api/v1/providers/${longId}/test` }), 'id'),
    unauthenticated: needsSignIn((c) => ({ method: 'POST', url: `${providerUrl(c)}/test` })),
    wrongRole: adminOnly((c) => ({ method: 'POST', url: `${providerUrl(c)}/test` })),
    otherUser: instanceWide,
  },
  {
    method: 'POST',
    path: '/api/v1/providers/{id}/pulls',
    success: async (c) => {
      expect(await pullToEnd(c, 'tinyllama')).toMatchObject({ status: 'succeeded', percent: 100 })
      const tiny = await waitFor(
        async () => (await catalogAs(c, 'admin')).find((m) => m.name === 'tinyllama:latest'),
        (m) => m?.hosts[0]?.status === 'available',
        'tinyllama in the catalog',
      )
      expect(tiny?.hosts.map((h) => h.providerId)).toEqual([c.models.providerId])
    },
    invalid: invalid(
      'admin',
      (c) => ({ method: 'POST', url: `${providerUrl(c)}/pulls`, payload: { model: 'no spaces; please' } }),
      'model',
    ),
    unauthenticated: needsSignIn((c) => ({
      method: 'POST',
      url: `${providerUrl(c)}/pulls`,
      payload: { model: 'tinyllama' },
    })),
    wrongRole: adminOnly((c) => ({
      method: 'POST',
      url: `${providerUrl(c)}/pulls`,
      payload: { model: 'tinyllama' },
    })),
    otherUser: instanceWide,
  },
  {
    method: 'DELETE',
    path: '/api/v1/providers/{id}/models/{name}',
    success: async (c) => {
      const response = await send(c, 'admin', { method: 'DELETE', url: `${providerUrl(c)}/models/llava:7b` })
      expect(response.statusCode, response.body).toBe(204)
      expect(c.models.fake.models.map((m) => m.name)).not.toContain('llava:7b')
      expect((await catalogAs(c, 'admin')).find((m) => m.name === 'llava:7b')?.hosts).toEqual([])
    },
    invalid: invalid(
      'admin',
      (c) => ({ method: 'DELETE', url: `${providerUrl(c)}/models/bad%20name` }),
      'name',
    ),
    unauthenticated: needsSignIn((c) => ({ method: 'DELETE', url: `${providerUrl(c)}/models/llama3.2:1b` })),
    wrongRole: adminOnly((c) => ({ method: 'DELETE', url: `${providerUrl(c)}/models/llama3.2:1b` })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/pulls',
    success: async (c) => {
      const pull = await pullToEnd(c, 'tinyllama')
      const items = (await getJson<{ items: PullView[] }>(c, 'admin', '/api/v1/pulls')).items
      expect(items[0]).toMatchObject({ id: pull.id, status: 'succeeded' })
    },
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/pulls' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/pulls' })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/pulls/{id}',
    success: async (c) => {
      const pull = await pullToEnd(c, 'tinyllama')
      expect(await getJson<PullView>(c, 'admin', `/api/v1/pulls/${pull.id}`)).toMatchObject({
        id: pull.id,
        providerId: c.models.providerId,
        model: 'tinyllama:latest',
        status: 'succeeded',
        percent: 100,
        error: null,
      })
    },
    invalid: invalid('admin', () => ({ url: `/api/v1/pulls/${longId}` }), 'id'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/pulls/some-pull' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/pulls/some-pull' })),
    otherUser: instanceWide,
  },
  {
    method: 'DELETE',
    path: '/api/v1/pulls/{id}',
    success: async (c) => {
      const { fake } = c.models
      fake.setPullMode('slow')
      try {
        const started = await send(c, 'admin', {
          method: 'POST',
          url: `${providerUrl(c)}/pulls`,
          payload: { model: 'qwen3:0.6b' },
        })
        expect(started.statusCode, started.body).toBe(202)
        const url = `/api/v1/pulls/${started.json().id}`
        const cancel = await send(c, 'admin', { method: 'DELETE', url })
        expect(cancel.statusCode, cancel.body).toBe(200)
        const ended = await waitFor(
          () => getJson<PullView>(c, 'admin', url),
          (p) => p.status !== 'running',
          'the cancelled pull',
        )
        expect(ended.status).toBe('cancelled')
      } finally {
        fake.setPullMode('normal')
      }
      expect(fake.models.map((m) => m.name)).not.toContain('qwen3:0.6b')
    },
    invalid: invalid('admin', () => ({ method: 'DELETE', url: `/api/v1/pulls/${longId}` }), 'id'),
    unauthenticated: needsSignIn(() => ({ method: 'DELETE', url: '/api/v1/pulls/some-pull' })),
    wrongRole: adminOnly(() => ({ method: 'DELETE', url: '/api/v1/pulls/some-pull' })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/models',
    success: ok(
      'user',
      200,
      () => ({ url: '/api/v1/models' }),
      (r, c) =>
        expect(r.json().items).toContainEqual(
          expect.objectContaining({
            id: c.models.modelId,
            name: 'llama3.2:1b',
            hosts: [expect.objectContaining({ providerId: c.models.providerId })],
          }),
        ),
    ),
    invalid: invalid('user', () => ({ url: '/api/v1/models?refresh=maybe' }), 'refresh'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/models' })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      for (const who of ['user', 'developer'] as const) {
        expect((await catalogAs(c, who)).map((m) => m.id)).not.toContain(restrictedToOthers(c))
      }
      expect((await catalogAs(c, 'admin')).map((m) => m.id)).toContain(restrictedToOthers(c))
    },
  },
  {
    method: 'GET',
    path: '/api/v1/models/{id}',
    success: ok(
      'user',
      200,
      (c) => ({ url: modelUrl(c) }),
      (r, c) =>
        expect(r.json()).toMatchObject({
          id: c.models.modelId,
          name: 'llama3.2:1b',
          enabled: true,
          allowedRoles: expect.arrayContaining(['user']),
        }),
    ),
    invalid: invalid('user', () => ({ url: `/api/v1/models/${longId}` }), 'id'),
    unauthenticated: needsSignIn((c) => ({ url: modelUrl(c) })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      for (const who of ['user', 'developer'] as const) {
        expectProblem(await send(c, who, { url: `/api/v1/models/${restrictedToOthers(c)}` }), 404)
      }
      expect((await modelAs(c, restrictedToOthers(c))).id).toBe(restrictedToOthers(c))
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/models/{id}',
    success: ok(
      'admin',
      200,
      (c) => ({
        method: 'PATCH',
        url: modelUrl(c),
        payload: { displayName: 'Llama 1B', pricing: { inputPerMTok: 0.5, outputPerMTok: 1.5 } },
      }),
      (r) =>
        expect(r.json()).toMatchObject({
          displayName: 'Llama 1B',
          pricing: { inputPerMTok: 0.5, outputPerMTok: 1.5 },
        }),
    ),
    invalid: invalid(
      'admin',
      (c) => ({ method: 'PATCH', url: modelUrl(c), payload: { allowedRoles: ['root'] } }),
      'allowedRoles.0',
    ),
    unauthenticated: needsSignIn((c) => ({ method: 'PATCH', url: modelUrl(c), payload: { enabled: false } })),
    wrongRole: adminOnly((c) => ({
      method: 'PATCH',
      url: `/api/v1/models/${restrictedToOthers(c)}`,
      payload: { allowedRoles: ['user'] },
    })),
    otherUser: instanceWide,
  },
  {
    method: 'POST',
    path: '/api/v1/models/{id}/start',
    success: async (c) => {
      const started = await send(c, 'admin', {
        method: 'POST',
        url: `${modelUrl(c)}/start`,
        payload: { keepAlive: '10m' },
      })
      expect(started.statusCode, started.body).toBe(202)
      expect(started.json().id).toBe(c.models.modelId)
      await waitFor(
        () => modelAs(c, c.models.modelId),
        (m) => m.status === 'loaded',
        'the model to load',
      )
      expect(c.models.fake.loaded.has('llama3.2:1b')).toBe(true)
    },
    invalid: invalid(
      'admin',
      (c) => ({ method: 'POST', url: `${modelUrl(c)}/start`, payload: { keepAlive: 'forever' } }),
      'keepAlive',
    ),
    unauthenticated: needsSignIn((c) => ({ method: 'POST', url: `${modelUrl(c)}/start` })),
    wrongRole: adminOnly((c) => ({ method: 'POST', url: `${modelUrl(c)}/start` })),
    otherUser: instanceWide,
  },
  {
    method: 'POST',
    path: '/api/v1/models/{id}/stop',
    success: async (c) => {
      c.models.fake.loadExternally('llama3.2:1b', -1)
      await c.app.services.control.reconcileNow()
      expect((await modelAs(c, c.models.modelId)).status).toBe('loaded')
      const stopped = await send(c, 'admin', {
        method: 'POST',
        url: `${modelUrl(c)}/stop`,
        payload: { hostId: c.models.providerId },
      })
      expect(stopped.statusCode, stopped.body).toBe(202)
      await waitFor(
        () => modelAs(c, c.models.modelId),
        (m) => m.status === 'available',
        'the model to unload',
      )
      expect(c.models.fake.loaded.has('llama3.2:1b')).toBe(false)
    },
    invalid: invalid(
      'admin',
      (c) => ({ method: 'POST', url: `${modelUrl(c)}/stop`, payload: { hostId: longId } }),
      'hostId',
    ),
    unauthenticated: needsSignIn((c) => ({ method: 'POST', url: `${modelUrl(c)}/stop` })),
    wrongRole: adminOnly((c) => ({ method: 'POST', url: `${modelUrl(c)}/stop` })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/models/{id}/details',
    success: ok(
      'admin',
      200,
      (c) => ({ url: `${modelUrl(c)}/details?hostId=${c.models.providerId}` }),
      (r) => {
        expect(r.json()).toMatchObject({
          name: 'llama3.2:1b',
          family: 'llama',
          license: expect.stringContaining('LLAMA 3.2'),
          template: '{{ .Prompt }}',
          contextLength: 131072,
        })
        expect(r.json().modelfile).toMatch(/^FROM /)
        expect(r.json()).not.toHaveProperty('modelInfo')
      },
    ),
    invalid: invalid('admin', (c) => ({ url: `${modelUrl(c)}/details?hostId=${longId}` }), 'hostId'),
    unauthenticated: needsSignIn((c) => ({ url: `${modelUrl(c)}/details` })),
    wrongRole: adminOnly((c) => ({ url: `${modelUrl(c)}/details` })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/models/{id}/metrics',
    success: async (c) => {
      const events = c.app.services.invoker.chat({
        modelId: c.models.modelId,
        request: { messages: [{ role: 'user', content: 'hello' }] },
        caller: { userId: c.user.id, role: 'user' },
        source: 'test',
        signal: new AbortController().signal,
      })
      for await (const _event of events) {
        // drain the reply so its usage row is written
      }
      const metrics = await getJson<Record<string, unknown>>(c, 'user', `${modelUrl(c)}/metrics?window=1h`)
      expect(metrics).toMatchObject({ window: '1h', requests: 1, errorRate: 0, series: expect.any(Array) })
      expect(metrics.outputTokens).toBeGreaterThan(0)
    },
    invalid: invalid('user', (c) => ({ url: `${modelUrl(c)}/metrics?window=1y` }), 'window'),
    unauthenticated: needsSignIn((c) => ({ url: `${modelUrl(c)}/metrics` })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      const url = `/api/v1/models/${restrictedToOthers(c)}/metrics`
      for (const who of ['user', 'developer'] as const) expectProblem(await send(c, who, { url }), 404)
      expect((await getJson<{ window: string }>(c, 'admin', url)).window).toBe('24h')
    },
  },
]
