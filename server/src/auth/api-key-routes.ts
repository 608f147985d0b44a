// The caller's API keys. Managing keys needs a signed-in session: a key cannot mint keys.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { errorResponses, idParams } from '../http/schemas.js'
import { forbidden } from '../lib/problem.js'
import { apiKeyScopeSchema } from './api-keys.js'
import { caller } from './guard.js'

const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  last4: z.string(),
  scopes: z.array(apiKeyScopeSchema),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys } = app.services
  const access = { sessionOnly: true }

  app.get(
    '/api-keys',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: 'Your API keys (never the secret part)',
        response: { 200: z.object({ items: z.array(apiKeySchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await apiKeys.list(caller(request).user.id) }),
  )

  app.post(
    '/api-keys',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the key is returned only in this response',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(apiKeyScopeSchema).min(1).max(4),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 201: z.object({ key: z.string(), apiKey: apiKeySchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = caller(request)
      if (request.body.scopes.includes('admin') && user.role !== 'admin') {
        throw forbidden("Only admins can create keys with the 'admin' scope")
      }
      reply.header('cache-control', 'no-store')
      return reply.code(201).send(await apiKeys.create(user.id, request.body, request.ip))
    },
  )

  app.delete(
    '/api-keys/:id',
    {
      config: { access },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke one of your API keys',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await apiKeys.revoke(caller(request).user.id, request.params.id, request.ip)
      return reply.code(204).send(null)
    },
  )
}
