// Chat preset routes: a user's reusable model and settings.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams } from '../http/schemas.js'
import { chatCaller } from './conversation-routes.js'
import { presetBody, presetSchema, tags } from './schemas.js'

export const presetRoutes: FastifyPluginAsyncZod = async (app) => {
  const { presets } = app.services.chat

  app.get(
    '/chat-presets',
    {
      schema: {
        tags,
        summary: 'Your chat presets',
        response: { 200: z.object({ items: z.array(presetSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ items: await presets.list(caller(request).user.id) }),
  )

  app.post(
    '/chat-presets',
    {
      schema: {
        tags,
        summary: 'Save a preset',
        body: presetBody,
        response: { 201: presetSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await presets.create(chatCaller(request), request.body)),
  )

  app.get(
    '/chat-presets/:id',
    {
      schema: {
        tags,
        summary: 'A preset',
        params: idParams,
        response: { 200: presetSchema, ...errorResponses },
      },
    },
    async (request) => presets.get(caller(request).user.id, request.params.id),
  )

  app.patch(
    '/chat-presets/:id',
    {
      schema: {
        tags,
        summary: 'Change a preset',
        params: idParams,
        body: presetBody.partial(),
        response: { 200: presetSchema, ...errorResponses },
      },
    },
    async (request) => presets.update(chatCaller(request), request.params.id, request.body),
  )

  app.delete(
    '/chat-presets/:id',
    {
      schema: {
        tags,
        summary: 'Delete a preset',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await presets.remove(caller(request).user.id, request.params.id)
      return reply.code(204).send(null)
    },
  )
}
