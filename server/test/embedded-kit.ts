// Shared set-up for the embedded engine's API tests: an app whose embedded engine runs the tiny
// GGUF with 2 threads and a small context, an admin and a user, and polling helpers.
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { ConfigInput } from '../src/config.js'
import { type DbKind, type SignedIn, signUp, startTestApp, type TestApp } from './helpers.js'

export interface HostView {
  providerId: string
  status: string
  sizeBytes: number | null
  vramBytes: number | null
  error: string | null
}
export interface ModelView {
  id: string
  name: string
  kind: string
  family: string | null
  parameterSize: string | null
  quantization: string | null
  contextLength: number | null
  status: string
  hosts: HostView[]
}
export interface PullView {
  id: string
  model: string
  status: string
  detail: string | null
  completedBytes: number
  totalBytes: number | null
  percent: number | null
  error: string | null
}

export const embeddedConfig: ConfigInput = {
  embeddedThreads: '2',
  embeddedContextSize: '256',
  embeddedGpu: 'off',
}

export async function waitFor<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface EmbeddedWorld {
  t: TestApp
  admin: SignedIn
  user: SignedIn
  providerId: string
  modelsDir: string
  as(who: SignedIn, options: InjectOptions): Promise<LightMyRequestResponse>
  models(): Promise<ModelView[]>
  model(name: string): Promise<ModelView | undefined>
  pullToEnd(payload: Record<string, unknown>): Promise<PullView>
  hostStatus(name: string, status: string): Promise<ModelView>
  close(): Promise<void>
}

export async function startEmbedded(kind: DbKind, overrides: ConfigInput = {}): Promise<EmbeddedWorld> {
  const t = await startTestApp(kind, { ...embeddedConfig, ...overrides })
  await t.app.ready()
  const admin = await signUp(t.app, 'admin')
  const user = await signUp(t.app, 'user')
  const as = (who: SignedIn, options: InjectOptions) =>
    t.app.inject({ ...options, headers: { ...options.headers, ...who.auth } })
  const providers = (await as(admin, { url: '/api/v1/providers' })).json<{
    items: Array<{ id: string; kind: string }>
  }>()
  const provider = providers.items.find((p) => p.kind === 'embedded')
  if (!provider) throw new Error(`no embedded provider: ${JSON.stringify(providers)}`)
  const models = async () => {
    const response = await as(admin, { url: '/api/v1/models?refresh=true' })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ items: ModelView[] }>().items.filter((m) => m.kind === 'embedded')
  }
  const model = async (name: string) => (await models()).find((m) => m.name === name)
  return {
    t,
    admin,
    user,
    providerId: provider.id,
    modelsDir: t.app.config.embeddedModelsDir,
    as,
    models,
    model,
    pullToEnd: async (payload) => {
      const started = await as(admin, {
        method: 'POST',
        url: `/api/v1/providers/${provider.id}/pulls`,
        payload,
      })
      expect(started.statusCode, started.body).toBe(202)
      const id = started.json<PullView>().id
      return waitFor(
        async () => (await as(admin, { url: `/api/v1/pulls/${id}` })).json<PullView>(),
        (p) => p.status !== 'running',
        'the pull to end',
      )
    },
    hostStatus: (name, status) =>
      waitFor(
        async () => (await model(name)) as ModelView,
        (m) => m?.hosts[0]?.status === status,
        `${name} to be ${status}`,
      ),
    close: () => t.close(),
  }
}
