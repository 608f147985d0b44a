// LLM Manager API: provider connections (admin), the model catalog, start/stop, pulls, metrics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams, problemSchema, roleSchema } from '../http/schemas.js'
import { badRequest } from '../lib/problem.js'
import { toPublicProvider as toPublic } from './connections.js'
import { embeddedRoutes } from './embedded-routes.js'
import { modelSchema, providerSchema, pullSchema } from './schemas.js'
import { metricWindows } from './usage.js'

const providerKind = z.enum(['ollama', 'openai', 'anthropic', 'openai-compatible'])
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
const pullBody = z
  .strictObject({
    model: modelNameSchema.optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    sha256: z
      .string()
      .regex(/^[a-fA-F0-9]{64}$/, 'is 64 hexadecimal characters')
      .optional(),
  })
  .refine((b) => (b.model === undefined) !== (b.url === undefined), {
    message: 'send either {model} (Ollama) or {url, sha256?} (embedded engine)',
    path: ['model'],
  })
  .refine((b) => b.sha256 === undefined || b.url !== undefined, {
    message: 'only goes with url',
    path: ['sha256'],
  })
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
  await app.register(embeddedRoutes)

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

  app.post(
    '/providers/:id/pulls',
    {
      config: { access: admin },
      schema: {
        tags,
        summary:
          'Pull a model onto a host ({model} for Ollama, {url, sha256?} of a GGUF file for the embedded engine); progress via GET /pulls/:id or the WebSocket',
        params: idParams,
        body: pullBody,
        response: { 202: pullSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { model, url, sha256 } = request.body
      const source = url === undefined ? { model: model ?? '' } : { url, ...(sha256 ? { sha256 } : {}) }
      return reply.code(202).send(await pulls.start(request.params.id, source, caller(request).user.id))
    },
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
