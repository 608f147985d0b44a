// Provider connections (admin): list, add, change, remove, and the connection test.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams, problemSchema } from '../http/schemas.js'
import { badRequest } from '../lib/problem.js'
import { toPublicProvider as toPublic } from './connections.js'
import { providerSchema } from './schemas.js'

const providerKind = z.enum(['ollama', 'openai', 'anthropic', 'openai-compatible'])

export const providerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { connections, catalog, control } = app.services
  const admin = { roles: ['admin' as const] }
  const actor = (request: Parameters<typeof caller>[0]) => ({ id: caller(request).user.id, ip: request.ip })
  const tags = ['llm-manager']

  app.get(
    '/providers',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Provider connections',
        response: { 200: z.object({ items: z.array(providerSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: (await connections.list()).map(toPublic) }),
  )

  app.post(
    '/providers',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Connect a provider (its API key is encrypted and never shown again)',
        body: z.strictObject({
          name: z.string().trim().min(1).max(100),
          kind: providerKind,
          baseUrl: z.string().max(500).default(''),
          apiKey: z.string().min(1).max(500).optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 201: providerSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const provider = await connections.create(request.body, actor(request))
      control
        .syncProvider(provider)
        .catch((error: unknown) => request.log.warn({ err: error }, 'first sync failed'))
      return reply.code(201).send(toPublic(provider))
    },
  )

  app.get(
    '/providers/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'One provider',
        params: idParams,
        response: { 200: providerSchema, ...errorResponses },
      },
    },
    async (request) => toPublic(await connections.get(request.params.id)),
  )

  app.patch(
    '/providers/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Change a provider (a new base URL needs the key again)',
        params: idParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(100).optional(),
          baseUrl: z.string().max(500).optional(),
          apiKey: z.string().max(500).nullable().optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 200: providerSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const before = await catalog.modelIdsOn(request.params.id)
      const provider = await connections.update(request.params.id, request.body, actor(request))
      await control.syncProvider(provider)
      await catalog.announce([...before, ...(await catalog.modelIdsOn(provider.id))])
      return toPublic(await connections.get(provider.id))
    },
  )

  app.delete(
    '/providers/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Remove a provider',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      // It would come back at the next start: the way to turn it off is to disable it.
      const provider = await connections.get(request.params.id)
      if (provider.kind === 'embedded')
        throw badRequest('The embedded engine cannot be removed; disable it instead')
      const affected = await catalog.modelIdsOn(request.params.id)
      await connections.remove(request.params.id, actor(request))
      await catalog.announce(affected)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/providers/:id/test',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Test the connection: latency, or the error text',
        params: idParams,
        response: {
          200: z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() }),
          ...errorResponses,
        },
      },
    },
    async (request) => connections.test(request.params.id),
  )
}
