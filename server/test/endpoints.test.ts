// The endpoint matrix: every /api/v1 route with its success, validation, unauthenticated,
// wrong-role and other-user cases, as one data table (test/matrix/*-routes.ts). A route missing
// from the table, or a guarded route whose guard cases are marked not applicable, fails here.
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createApiKey,
  dbKinds,
  expectProblem,
  login,
  register,
  signUp,
  startTestApp,
  type TestApp,
  userWithRole,
} from './helpers.js'
import { accountEndpoints } from './matrix/account-routes.js'
import { adminEndpoints } from './matrix/admin-routes.js'
import { authEndpoints } from './matrix/auth-routes.js'
import { chatEndpoints } from './matrix/chat-routes.js'
import { embeddedEndpoints } from './matrix/embedded-routes.js'
import { gatewayEndpoints } from './matrix/gateway-routes.js'
import { type Ctx, type Endpoint, isNa } from './matrix/kit.js'
import { connectModels, modelEndpoints } from './matrix/models-routes.js'

const endpoints: Endpoint[] = [
  ...authEndpoints,
  ...accountEndpoints,
  ...adminEndpoints,
  ...modelEndpoints,
  ...embeddedEndpoints,
  ...chatEndpoints,
  ...gatewayEndpoints,
]

describe.each(dbKinds)('every /api/v1 endpoint on %s', (kind) => {
  let t: TestApp
  let c: Ctx

  beforeAll(async () => {
    t = await startTestApp(kind)
    const admin = await signUp(t.app, 'admin')
    const user = await signUp(t.app, 'user')
    c = {
      app: t.app,
      admin,
      developer: await userWithRole(t.app, admin, 'developer'),
      user,
      other: await signUp(t.app, 'other'),
      target: await login(t.app, (await register(t.app)).email),
      userKey: (await createApiKey(t.app, user, ['read', 'write'])).auth,
      models: await connectModels(t.app, admin),
    }
  })
  afterAll(async () => {
    await t.close()
    await c?.models.fake.close()
  })

  const rows = (column: keyof Endpoint) => endpoints.filter((e) => typeof e[column] === 'function')
  const run = (
    row: Endpoint,
    column: 'success' | 'invalid' | 'unauthenticated' | 'wrongRole' | 'otherUser',
  ) => {
    const check = row[column]
    if (isNa(check)) throw new Error('not applicable')
    return check(c)
  }

  it.each(rows('success'))('$method $path succeeds', (row) => run(row, 'success'))
  it.each(rows('invalid'))('$method $path refuses invalid input naming the field', (row) =>
    run(row, 'invalid'),
  )
  it.each(rows('unauthenticated'))('$method $path needs credentials', (row) => run(row, 'unauthenticated'))
  it.each(rows('wrongRole'))('$method $path refuses users and developers', (row) => run(row, 'wrongRole'))
  it.each(rows('otherUser'))('$method $path hides other users’ resources', (row) => run(row, 'otherUser'))
  it.each(endpoints.filter((e) => e.sessionOnly))('$method $path refuses API keys', async (row) => {
    const url = row.path.replace('{id}', 'some-id')
    const options: InjectOptions = row.method === 'GET' ? { url } : { method: row.method, url, payload: {} }
    const response = await c.app.inject({ ...options, headers: c.userKey })
    expect(expectProblem(response, 403).detail).toMatch(/API keys cannot/)
  })

  it('has a row for every /api/v1 route in the OpenAPI document and the router', async () => {
    const doc = (await c.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown[] }>>
    }>()
    const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`
    const table = new Map(endpoints.map((e) => [key(e.method, e.path), e]))
    expect(table.size).toBe(endpoints.length)

    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/api/v1/'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, operation]) => ({ id: key(method, path), operation })),
      )
    const routed = routerRoutes(c.app).map((r) => key(r.method, r.path))
    expect(documented.length).toBeGreaterThan(15)
    const missing = 'routes without a row: add them to test/matrix/*-routes.ts'
    expect(
      documented.map((d) => d.id).filter((id) => !table.has(id)),
      missing,
    ).toEqual([])
    expect(
      routed.filter((id) => !table.has(id)),
      missing,
    ).toEqual([])
    expect([...table.keys()].filter((id) => !routed.includes(id))).toEqual([])

    for (const { id, operation } of documented) {
      const row = table.get(id) as Endpoint
      // A route the document says needs credentials must prove it with a case.
      if (operation.security === undefined || operation.security.length > 0) {
        expect(isNa(row.unauthenticated), `${id} needs an unauthenticated case`).toBe(false)
      }
      if (id.includes('/api/v1/admin/'))
        expect(isNa(row.wrongRole), `${id} needs a wrong-role case`).toBe(false)
      // Admin-only routes (their wrong-role case proves it) hold no resources of one user.
      if (id.includes('{id}') && !id.includes('/admin/') && isNa(row.wrongRole)) {
        expect(isNa(row.otherUser), `${id} needs an other-user case`).toBe(false)
      }
    }
  })
})

/** Every method and path the router knows under /api/v1, read from its printed tree. */
function routerRoutes(app: FastifyInstance): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!match) continue
    stack.length = (match[1] ?? '').length / 4
    stack.push(match[2] ?? '')
    const path = stack.join('').replace(/:(\w+)/g, '{$1}')
    for (const method of match[3]?.split(', ') ?? []) {
      if (method !== 'HEAD' && path.startsWith('/api/v1/')) routes.push({ method, path })
    }
  }
  return routes
}
