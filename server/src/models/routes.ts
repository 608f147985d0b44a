// LLM Manager API: provider connections (admin), the model catalog, start/stop, pulls, metrics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams, problemSchema, roleSchema } from '../http/schemas.js'
import { toPublicProvider as toPublic } from './connections.js'
import { metricWindows } from './usage.js'

const providerKind = z.enum(['ollama', 'openai', 'anthropic', 'openai-compatible'])
const providerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['ollama', 'openai', 'anthropic', 'openai-compatible', 'embedded']),
  baseUrl: z.string(),
  apiKey: z.object({ set: z.boolean(), last4: z.string().nullable() }),
  enabled: z.boolean(),
  status: z.enum(['unknown', 'ok', 'unreachable']),
  lastError: z.string().nullable(),
  latencyMs: z.number().nullable(),
  checkedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
const hostSchema = z.object({
  providerId: z.string(),
  providerName: z.string(),
  status: z.enum(['available', 'loading', 'loaded', 'unloading', 'pulling', 'error', 'unreachable']),
  sizeBytes: z.number().nullable(),
  vramBytes: z.number().nullable(),
  expiresAt: z.string().nullable(),
  error: z.string().nullable(),
})
export const modelSchema = z.object({
  id: z.string(),
  name: z.string(),
  displayName: z.string(),
  kind: providerSchema.shape.kind,
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().nullable(),
  capabilities: z.array(z.string()),
  sizeBytes: z.number().nullable(),
  enabled: z.boolean(),
  allowedRoles: z.array(roleSchema),
  pricing: z.object({ inputPerMTok: z.number(), outputPerMTok: z.number() }),
  status: z.union([hostSchema.shape.status, z.literal('disabled')]),
  hosts: z.array(hostSchema),
})
const pullSchema = z.object({
  id: z.string(),
  providerId: z.string(),
  model: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  detail: z.string().nullable(),
  completedBytes: z.number(),
  totalBytes: z.number().nullable(),
  percent: z.number().nullable(),
  bytesPerSecond: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
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
const modelNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[\w.:/@+-]+$/, 'may contain letters, digits and . : / @ + - _')
const hostBody = z.strictObject({
  hostId: z.string().max(64).optional(),
  keepAlive: z
    .string()
    .regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/, 'is a duration such as 30s, 10m, 1h, or -1 for forever')
    .optional(),
})

export const modelRoutes: FastifyPluginAsyncZod = async (app) => {
  const { connections, catalog, control, pulls, usage } = app.services
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
      const provider = await connections.update(request.params.id, request.body, actor(request))
      await control.syncProvider(provider)
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
      await connections.remove(request.params.id, actor(request))
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

  app.post(
    '/providers/:id/pulls',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Pull a model onto a host; progress via GET /pulls/:id or the WebSocket',
        params: idParams,
        body: z.strictObject({ model: modelNameSchema }),
        response: { 202: pullSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await pulls.start(request.params.id, request.body.model, caller(request).user.id)),
  )

  app.delete(
    '/providers/:id/models/:name',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: "Delete a model's files from a host",
        params: z.object({ id: z.string().max(64), name: modelNameSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await control.remove(request.params.id, request.params.name)
      await app.services.audit.record({
        action: 'model.delete',
        actorId: caller(request).user.id,
        actorIp: request.ip,
        targetType: 'provider',
        targetId: request.params.id,
        details: { model: request.params.name },
      })
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/pulls',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Recent pulls',
        response: { 200: z.object({ items: z.array(pullSchema) }), ...errorResponses },
      },
    },
    async () => ({ items: await pulls.list() }),
  )

  app.get(
    '/pulls/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'A pull and its progress',
        params: idParams,
        response: { 200: pullSchema, ...errorResponses },
      },
    },
    async (request) => pulls.get(request.params.id),
  )

  app.delete(
    '/pulls/:id',
    {
      config: { access: admin },
      schema: {
        tags,
        summary: 'Cancel a pull',
        params: idParams,
        response: { 200: pullSchema, ...errorResponses },
      },
    },
    async (request) => pulls.cancel(request.params.id),
  )

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
      if (request.query.refresh === 'true' && user.role === 'admin') await control.reconcileNow()
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
