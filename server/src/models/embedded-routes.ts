// LLM Manager API for what only the embedded engine does: import a GGUF file already in its
// models folder, and report its memory budget and loaded models.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams } from '../http/schemas.js'
import { badRequest } from '../lib/problem.js'
import { modelSchema } from './schemas.js'

const engineSchema = z.object({
  modelsDir: z.string(),
  threads: z.number(),
  contextSize: z.number(),
  budgetBytes: z.number(),
  usedBytes: z.number(),
  onBudget: z.enum(['evict-lru', 'refuse']),
  loaded: z.array(
    z.object({
      name: z.string(),
      memoryBytes: z.number(),
      contextSize: z.number(),
      threads: z.number(),
      loadedAt: z.string(),
      lastUsedAt: z.string(),
      generating: z.number(),
      tokensPerSecond: z.number().nullable(),
    }),
  ),
})
export const embeddedRoutes: FastifyPluginAsyncZod = async (app) => {
  const { connections, catalog, pulls } = app.services
  const admin = { roles: ['admin' as const] }
  const tags = ['llm-manager']

  app.post(
    '/providers/:id/imports',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Embedded engine: add a GGUF file that is already inside its models folder',
        params: idParams,
        body: z.strictObject({ path: z.string().trim().min(1).max(1000) }),
        response: { 201: modelSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const modelId = await pulls.importModel(request.params.id, request.body.path)
      await app.services.audit.record({
        action: 'model.import',
        actorId: caller(request).user.id,
        actorIp: request.ip,
        targetType: 'provider',
        targetId: request.params.id,
        details: { path: request.body.path },
      })
      return reply.code(201).send(await catalog.getFor('admin', modelId))
    },
  )

  app.get(
    '/providers/:id/engine',
    {
      config: { access: admin },
      schema: {
        tags,
        summary:
          'Embedded engine: memory budget, threads, and each loaded model with its memory and tokens/s',
        params: idParams,
        response: { 200: engineSchema, ...errorResponses },
      },
    },
    async (request) => {
      const provider = await connections.get(request.params.id)
      if (provider.kind !== 'embedded') throw badRequest('Only the embedded engine reports engine status')
      return connections.embeddedEngine().status()
    },
  )
}
