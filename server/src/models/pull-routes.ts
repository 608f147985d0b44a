// Pulls (admin): start one on a provider, follow it, cancel it; and delete a model from a host.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams, problemSchema } from '../http/schemas.js'
import { pullSchema } from './schemas.js'

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

export const pullRoutes: FastifyPluginAsyncZod = async (app) => {
  const { control, pulls } = app.services
  const admin = { roles: ['admin' as const] }
  const tags = ['llm-manager']

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
}
