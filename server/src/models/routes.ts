// LLM Manager API: the model catalog, start/stop, details and metrics; provider connections,
// pulls and the embedded engine's routes are registered from their own files.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams, problemSchema, roleSchema } from '../http/schemas.js'
import { embeddedRoutes } from './embedded-routes.js'
import { providerRoutes } from './provider-routes.js'
import { pullRoutes } from './pull-routes.js'
import { modelSchema } from './schemas.js'
import { metricWindows } from './usage.js'

const point = z.object({
  t: z.string(),
  requests: z.number(),
  errors: z.number(),
  latencyP50Ms: z.number().nullable(),
  ttftP50Ms: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number(),
})
const metricsSchema = z.object({
  window: z.enum(['1h', '24h', '7d']),
  requests: z.number(),
  requestsPerMinute: z.number(),
  errorRate: z.number(),
  latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  ttftMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable() }),
  tokensPerSecond: z.number().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number(),
  series: z.array(point),
})
const hostBody = z.strictObject({
  hostId: z.string().max(64).optional(),
  keepAlive: z
    .string()
    .regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/, 'is a duration such as 30s, 10m, 1h, or -1 for forever')
    .optional(),
})

export const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { catalog, control, usage } = app.services
  const admin = { roles: ['admin' as const] }
  const tags = ['llm-manager']
  await app.register(embeddedRoutes)
  await app.register(providerRoutes)
  await app.register(pullRoutes)

  app.get(
    '/models',
    {
      schema: {
        tags,
        summary: 'Models the caller may use, with live status (admins see all)',
        querystring: z.strictObject({ refresh: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(modelSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { user } = caller(request)
      if (request.query.refresh === 'true' && user.role === 'admin') await control.reconcileNow(true)
      return { items: await catalog.list(user.role) }
    },
  )

  app.get(
    '/models/:id',
    {
      schema: {
        tags,
        summary: 'One model',
        params: idParams,
        response: { 200: modelSchema, ...errorResponses },
      },
    },
    async (request) => catalog.getFor(caller(request).user.role, request.params.id),
  )

  app.patch(
    '/models/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Enable/disable, rename, set allowed roles and prices',
        params: idParams,
        body: z.strictObject({
          enabled: z.boolean().optional(),
          displayName: z.string().trim().max(100).nullable().optional(),
          allowedRoles: z.array(roleSchema).max(3).optional(),
          pricing: z
            .strictObject({
              inputPerMTok: z.number().min(0).max(1e6),
              outputPerMTok: z.number().min(0).max(1e6),
            })
            .optional(),
          fallbackModelId: z.string().max(64).nullable().optional(),
        }),
        response: { 200: modelSchema, ...errorResponses },
      },
    },
    async (request) => {
      await catalog.update(request.params.id, request.body)
      await app.services.audit.record({
        action: 'model.update',
        actorId: caller(request).user.id,
        actorIp: request.ip,
        targetType: 'model',
        targetId: request.params.id,
        details: { patch: request.body },
      })
      return catalog.getFor('admin', request.params.id)
    },
  )

  for (const verb of ['start', 'stop'] as const) {
    app.post(
      `/models/:id/${verb}`,
      {
        config: { access: admin },
        schema: {
          tags,
          summary:
            verb === 'start'
              ? 'Load into memory (external: make available)'
              : 'Unload from memory (external: disable)',
          params: idParams,
          body: hostBody.nullish(),
          response: { 202: modelSchema, 409: problemSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { hostId, keepAlive } = request.body ?? {}
        const model =
          verb === 'start'
            ? await control.start(request.params.id, hostId, keepAlive)
            : await control.stop(request.params.id, hostId)
        await app.services.audit.record({
          action: `model.${verb}`,
          actorId: caller(request).user.id,
          actorIp: request.ip,
          targetType: 'model',
          targetId: request.params.id,
          details: { hostId: hostId ?? null },
        })
        return reply.code(202).send(model)
      },
    )
  }

  app.get(
    '/models/:id/details',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Modelfile, parameters, template and license from a host',
        params: idParams,
        querystring: z.strictObject({ hostId: z.string().max(64).optional() }),
        response: {
          200: z.object({
            name: z.string(),
            modelfile: z.string().optional(),
            parameters: z.string().optional(),
            template: z.string().optional(),
            system: z.string().optional(),
            license: z.string().optional(),
            family: z.string().optional(),
            parameterSize: z.string().optional(),
            quantization: z.string().optional(),
            contextLength: z.number().optional(),
            capabilities: z.array(z.string()),
            memory: z
              .object({
                estimatedBytes: z.number(),
                contextSize: z.number(),
                residentBytes: z.number().nullable(),
              })
              .optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { modelInfo: _raw, ...details } = await control.details(request.params.id, request.query.hostId)
      return details
    },
  )

  app.get(
    '/models/:id/metrics',
    {
      schema: {
        tags,
        summary: 'Requests, latency, time to first token, tokens/s, errors and cost over a window',
        params: idParams,
        querystring: z.strictObject({
          window: z.enum(Object.keys(metricWindows) as ['1h', '24h', '7d']).default('24h'),
        }),
        response: { 200: metricsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const model = await catalog.getFor(caller(request).user.role, request.params.id)
      return usage.modelMetrics(model.id, request.query.window)
    },
  )
}
