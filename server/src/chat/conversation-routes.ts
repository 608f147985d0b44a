// Conversation routes: create, list, open, change, delete, export, and search.
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams } from '../http/schemas.js'
import type { Caller } from './messages.js'
import {
  conversationDetailSchema,
  conversationPageSchema,
  conversationSchema,
  createConversationBody,
  detailQuery,
  exportedConversationSchema,
  exportQuery,
  listConversationsQuery,
  searchQuery,
  searchResultSchema,
  tags,
  updateConversationBody,
} from './schemas.js'

export function chatCaller(request: FastifyRequest): Caller {
  const auth = caller(request)
  return { userId: auth.user.id, role: auth.user.role, apiKeyId: auth.apiKey?.id ?? null, ip: request.ip }
}

/** A file name for Content-Disposition: the title reduced to safe characters. */
function fileName(title: string, extension: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\w -]+/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60)
  return `${base || 'conversation'}.${extension}`
}

export const conversationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { conversations, exporter } = app.services.chat

  app.post(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Start a conversation (optionally from a preset)',
        body: createConversationBody,
        response: { 201: conversationSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await conversations.create(chatCaller(request), request.body)),
  )

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: 'Your conversations, most recently active first',
        querystring: listConversationsQuery,
        response: { 200: conversationPageSchema, ...errorResponses },
      },
    },
    async (request) => conversations.list(caller(request).user.id, request.query),
  )

  app.get(
    '/conversations/export',
    {
      schema: {
        tags,
        summary: 'Export all your conversations as JSON',
        response: {
          200: z.object({ exportedAt: z.string(), conversations: z.array(exportedConversationSchema) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      reply.header('content-disposition', 'attachment; filename="conversations.json"')
      return {
        exportedAt: new Date().toISOString(),
        conversations: await exporter.all(caller(request).user.id),
      }
    },
  )

  app.get(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'A conversation with its selected branch, newest page first (older pages with `before`)',
        params: idParams,
        querystring: detailQuery,
        response: { 200: conversationDetailSchema, ...errorResponses },
      },
    },
    async (request) => conversations.detail(caller(request).user.id, request.params.id, request.query),
  )

  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Rename, file, tag, pin, archive, change settings or switch branch',
        params: idParams,
        body: updateConversationBody,
        response: { 200: conversationSchema, ...errorResponses },
      },
    },
    async (request) => conversations.update(chatCaller(request), request.params.id, request.body),
  )

  app.delete(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Delete a conversation and all its messages',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await conversations.remove(chatCaller(request), request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/conversations/:id/export',
    {
      schema: {
        tags,
        summary: 'Export a conversation: Markdown (the selected branch) or JSON (the whole tree)',
        params: idParams,
        querystring: exportQuery,
        response: { 200: z.union([exportedConversationSchema, z.string()]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const userId = caller(request).user.id
      if (request.query.format === 'json') {
        const exported = await exporter.json(userId, request.params.id)
        reply.header(
          'content-disposition',
          `attachment; filename="${fileName(exported.conversation.title, 'json')}"`,
        )
        return exported
      }
      const { title, text } = await exporter.markdown(userId, request.params.id)
      reply.header('content-disposition', `attachment; filename="${fileName(title, 'md')}"`)
      return reply.type('text/markdown; charset=utf-8').send(text)
    },
  )

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search your conversation titles and messages',
        querystring: searchQuery,
        response: { 200: searchResultSchema, ...errorResponses },
      },
    },
    async (request) => ({
      items: await app.services.chat.search(caller(request).user.id, request.query.q, request.query.limit),
    }),
  )
}
