// Message routes: send, regenerate, continue, delete a branch, feedback. Replies are generated
// in the background: these answer 202 with the ids to follow on /generations/:id/events.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { errorResponses, idParams, problemSchema } from '../http/schemas.js'
import { chatCaller } from './conversation-routes.js'
import { feedbackBody, messageSchema, replyBody, sendMessageBody, startedSchema, tags } from './schemas.js'

const started = { 202: startedSchema, 409: problemSchema, ...errorResponses }

export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const { messages } = app.services.chat

  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message (or edit one: same parentId as the edited message); the reply streams on',
        params: idParams,
        body: sendMessageBody,
        response: started,
      },
    },
    async (request, reply) =>
      reply.code(202).send(await messages.send(chatCaller(request), request.params.id, request.body)),
  )

  app.post(
    '/messages/:id/regenerate',
    {
      schema: {
        tags,
        summary: 'Generate another reply beside this one (a new sibling)',
        params: idParams,
        body: replyBody.nullish(),
        response: started,
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await messages.regenerate(chatCaller(request), request.params.id, request.body ?? {})),
  )

  app.post(
    '/messages/:id/continue',
    {
      schema: {
        tags,
        summary: 'Continue a stopped, interrupted or cut-off reply',
        params: idParams,
        body: replyBody.nullish(),
        response: started,
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await messages.continueReply(chatCaller(request), request.params.id, request.body ?? {})),
  )

  app.delete(
    '/messages/:id',
    {
      schema: {
        tags,
        summary: 'Delete a message and everything below it',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await messages.remove(chatCaller(request), request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/messages/:id/feedback',
    {
      schema: {
        tags,
        summary: 'Rate a reply (thumbs up or down, with an optional comment)',
        params: idParams,
        body: feedbackBody,
        response: { 200: messageSchema, ...errorResponses },
      },
    },
    async (request) => messages.feedback(chatCaller(request), request.params.id, request.body),
  )
}
