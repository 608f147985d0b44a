// Shared set-up for the gateway tests: an app listening on 127.0.0.1 (for the official
// `openai` client and raw HTTP), providers backed by fakes, gateway API keys, usage rows.
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import OpenAI from 'openai'
import { expect } from 'vitest'
import type { UsageEvent } from '../src/db/schema.js'
import { createApiKey, type DbKind, type SignedIn, signUp, startTestApp, type TestApp } from './helpers.js'

export interface GatewayEnv {
  t: TestApp
  app: FastifyInstance
  admin: SignedIn
  user: SignedIn
  /** `http://127.0.0.1:<port>/v1` */
  baseURL: string
  close(): Promise<void>
}

export async function startGateway(kind: DbKind): Promise<GatewayEnv> {
  const t = await startTestApp(kind)
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = t.app.server.address() as AddressInfo
  const admin = await signUp(t.app, 'admin')
  const user = await signUp(t.app, 'user')
  return { t, app: t.app, admin, user, baseURL: `http://127.0.0.1:${port}/v1`, close: () => t.close() }
}

export interface ModelView {
  id: string
  name: string
  capabilities: string[]
  hosts: Array<{ providerId: string; providerName: string }>
}

/** Connects a provider and waits until the catalog lists its models. */
export async function addProvider(
  env: GatewayEnv,
  body: { name: string; kind: string; baseUrl: string; apiKey?: string },
): Promise<{ providerId: string; models: ModelView[] }> {
  const created = await env.app.inject({
    method: 'POST',
    url: '/api/v1/providers',
    headers: env.admin.auth,
    payload: body,
  })
  expect(created.statusCode, created.body).toBe(201)
  const providerId = created.json<{ id: string }>().id
  const listed = await env.app.inject({ url: '/api/v1/models?refresh=true', headers: env.admin.auth })
  expect(listed.statusCode, listed.body).toBe(200)
  const models = listed
    .json<{ items: ModelView[] }>()
    .items.filter((m) => m.hosts.some((h) => h.providerId === providerId))
  expect(models.length, `${body.name} synced no models`).toBeGreaterThan(0)
  return { providerId, models }
}

export async function removeProviders(env: GatewayEnv): Promise<void> {
  for (const p of await env.app.services.connections.list()) {
    await env.app.services.connections.remove(p.id, { id: null, ip: null })
  }
  env.app.services.gateway.directory.invalidate()
}

export async function gatewayKey(env: GatewayEnv, owner: SignedIn, scopes: string[] = ['gateway']) {
  return createApiKey(env.app, owner, scopes)
}

export function openai(env: GatewayEnv, key: string): OpenAI {
  return new OpenAI({ apiKey: key, baseURL: env.baseURL, maxRetries: 0, timeout: 10_000 })
}

/** Raw HTTP to the listening server (what a non-SDK client sends). */
export async function post(
  env: GatewayEnv,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return fetch(`${env.baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export interface OpenAIError {
  error: { message: string; type: string; param: string | null; code: string | null }
}

/** Checks the status and OpenAI's error shape; returns the error object. */
export function expectOpenAIError(status: number, actual: number, body: unknown): OpenAIError['error'] {
  expect(actual, JSON.stringify(body)).toBe(status)
  const error = (body as OpenAIError).error
  expect(error).toEqual({
    message: expect.any(String),
    type: expect.any(String),
    param: error?.param === null ? null : expect.any(String),
    code: error?.code === null ? null : expect.any(String),
  })
  return error
}

export function injectedError(response: LightMyRequestResponse, status: number): OpenAIError['error'] {
  expect(String(response.headers['content-type'])).toMatch(/^application\/json/)
  return expectOpenAIError(status, response.statusCode, response.json())
}

export async function usageRows(env: GatewayEnv, apiKeyId?: string): Promise<UsageEvent[]> {
  let query = env.app.services.db.selectFrom('usage_events').selectAll().orderBy('id')
  if (apiKeyId) query = query.where('api_key_id', '=', apiKeyId)
  return query.execute()
}

/** Usage rows are written when a call ends, which can be just after the client saw its end. */
export async function waitForUsage(env: GatewayEnv, apiKeyId: string, count: number): Promise<UsageEvent[]> {
  const deadline = Date.now() + 5000
  for (;;) {
    const rows = await usageRows(env, apiKeyId)
    if (rows.length >= count || Date.now() > deadline) return rows
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Reads an SSE body into its `data:` payloads. */
export function ssePayloads(text: string): string[] {
  return text
    .split('\n\n')
    .map((frame) => frame.trim())
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => frame.slice('data: '.length))
}

/**
 * Sends a chat request over a fresh connection and hangs up when `hangUp` says so (after some
 * bytes of the answer) or when `signal` fires; resolves with what was received by then.
 */
export function hangUpDuring(
  env: GatewayEnv,
  body: unknown,
  headers: Record<string, string>,
  hangUp: { after?: (received: string) => boolean; signal?: AbortSignal },
): Promise<string> {
  const url = new URL(`${env.baseURL}/chat/completions`)
  return new Promise((resolve, reject) => {
    let received = ''
    const req = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', ...headers },
    })
    const stop = () => {
      req.destroy()
      resolve(received)
    }
    hangUp.signal?.addEventListener('abort', stop)
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        received += chunk.toString()
        if (hangUp.after?.(received)) stop()
      })
      res.on('end', () => reject(new Error(`the answer ended before hanging up: ${received}`)))
    })
    req.on('error', (error) => (req.destroyed ? resolve(received) : reject(error)))
    req.end(JSON.stringify(body))
  })
}
