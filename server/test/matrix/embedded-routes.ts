// Endpoint matrix rows for the embedded engine's own routes (import a GGUF file, engine status),
// against the embedded provider every server has from its first start.
import path from 'node:path'
import { expect } from 'vitest'
import { writeTinyGguf } from '../fixtures/make-tiny-gguf.js'
import { adminOnly, type Ctx, type Endpoint, invalid, na, needsSignIn, noInput, ok, send } from './kit.js'

const instanceWide = na('admin-only: the embedded engine belongs to the instance, not to a user')

async function embeddedId(c: Ctx): Promise<string> {
  const response = await send(c, 'admin', { url: '/api/v1/providers' })
  const found = response
    .json<{ items: Array<{ id: string; kind: string }> }>()
    .items.find((p) => p.kind === 'embedded')
  if (!found) throw new Error('no embedded provider')
  return found.id
}

const importsUrl = async (c: Ctx) => `/api/v1/providers/${await embeddedId(c)}/imports`
const engineUrl = async (c: Ctx) => `/api/v1/providers/${await embeddedId(c)}/engine`

export const embeddedEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: '/api/v1/providers/{id}/imports',
    success: async (c) => {
      writeTinyGguf(path.join(c.app.config.embeddedModelsDir, 'incoming', 'matrix-tiny.gguf'))
      const response = await send(c, 'admin', {
        method: 'POST',
        url: await importsUrl(c),
        payload: { path: 'incoming/matrix-tiny.gguf' },
      })
      expect(response.statusCode, response.body).toBe(201)
      expect(response.json()).toMatchObject({ name: 'matrix-tiny', kind: 'embedded', family: 'llama' })
    },
    invalid: invalid(
      'admin',
      async (c) => ({ method: 'POST', url: await importsUrl(c), payload: { path: '' } }),
      'path',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'POST',
      url: await importsUrl(c),
      payload: { path: 'x.gguf' },
    })),
    wrongRole: adminOnly(async (c) => ({
      method: 'POST',
      url: await importsUrl(c),
      payload: { path: 'x.gguf' },
    })),
    otherUser: instanceWide,
  },
  {
    method: 'GET',
    path: '/api/v1/providers/{id}/engine',
    success: ok(
      'admin',
      200,
      async (c) => ({ url: await engineUrl(c) }),
      (r, c) =>
        expect(r.json()).toMatchObject({
          modelsDir: c.app.config.embeddedModelsDir,
          onBudget: 'evict-lru',
          loaded: [],
          usedBytes: 0,
        }),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(async (c) => ({ url: await engineUrl(c) })),
    wrongRole: adminOnly(async (c) => ({ url: await engineUrl(c) })),
    otherUser: instanceWide,
  },
]
