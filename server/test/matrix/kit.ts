// Building blocks of the endpoint matrix (endpoints.test.ts): who sends what, and the checks
// each column of the table runs.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'
import type { WebSocket } from 'ws'
import type { FakeOllama } from '../fakes/fake-ollama.js'
import { createApiKey, expectProblem, fieldsOf, type SignedIn } from '../helpers.js'

export interface Ctx {
  app: FastifyInstance
  admin: SignedIn
  developer: SignedIn
  user: SignedIn
  other: SignedIn
  /** An account admin routes act on. */
  target: SignedIn
  /** A full-scope (read, write) API key of `user`. */
  userKey: { authorization: string }
  /** The LLM Manager's provider and models (models-routes.ts). */
  models: ModelsFixture
}

/** A fake Ollama host connected as a provider, and two of its models in the catalog. */
export interface ModelsFixture {
  fake: FakeOllama
  providerId: string
  /** `llama3.2:1b`, open to every role. */
  modelId: string
  /** `nomic-embed-text:latest`, restricted to admins. */
  restrictedId: string
}
export type Who = 'anonymous' | 'user' | 'developer' | 'admin'
export type Build = (c: Ctx) => InjectOptions | Promise<InjectOptions>
export type Check = (c: Ctx) => Promise<void>
export type NotApplicable = { na: string }
export type Column = Check | NotApplicable

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** As in the OpenAPI document. */
  path: string
  success: Check
  invalid: Column
  unauthenticated: Column
  wrongRole: Column
  otherUser: Column
  /** Session-only routes refuse API keys. */
  sessionOnly?: boolean
}

export const na = (reason: string): NotApplicable => ({ na: reason })
export const isNa = (column: Column): column is NotApplicable => typeof column !== 'function'

export function send(c: Ctx, who: Who, options: InjectOptions): Promise<LightMyRequestResponse> {
  const auth = who === 'anonymous' ? {} : c[who].auth
  return c.app.inject({ ...options, headers: { ...options.headers, ...auth } })
}

/** Sends the request as `who` and checks the status (and body, when `check` is given). */
export function ok(
  who: Who,
  status: number,
  build: Build,
  check?: (response: LightMyRequestResponse, c: Ctx) => void | Promise<void>,
): Check {
  return async (c) => {
    const response = await send(c, who, await build(c))
    expect(response.statusCode, response.body).toBe(status)
    await check?.(response, c)
  }
}

/** A malformed request is a 400 problem whose `errors` name the field. */
export function invalid(who: Who, build: Build, field: string): Check {
  return async (c) => {
    const response = await send(c, who, await build(c))
    expect(fieldsOf(expectProblem(response, 400))).toContain(field)
  }
}

export function needsSignIn(build: Build): Check {
  return async (c) => {
    expectProblem(await send(c, 'anonymous', await build(c)), 401)
  }
}

export function adminOnly(build: Build): Check {
  return async (c) => {
    for (const who of ['user', 'developer'] as const) expectProblem(await send(c, who, await build(c)), 403)
  }
}

export async function expectSignedOut(c: Ctx, token: string) {
  expectProblem(await c.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } }), 401)
}

export async function expectSignedIn(c: Ctx, authorization: string) {
  expect((await c.app.inject({ url: '/api/v1/me', headers: { authorization } })).statusCode).toBe(200)
}

export async function keyOf(c: Ctx, owner: SignedIn) {
  return createApiKey(c.app, owner, ['read'])
}

export function wsMessage(socket: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))))
}

export function wsClose(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)))
}

export const own = na('acts only on the caller’s own account; there is no id to point elsewhere')
export const openToAll = na('open to every role')
export const noInput = na('takes no input')
export const publicRoute = na('public')
export const admins = na('admins may act on any account')
