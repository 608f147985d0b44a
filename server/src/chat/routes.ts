// The chat API under /api/v1: conversations, presets, messages, generations, search and export.
// Every route is private (the guard's default) and scoped to the caller's own conversations.
import type { FastifyPluginAsync } from 'fastify'
import { conversationRoutes } from './conversation-routes.js'
import { generationRoutes } from './generation-routes.js'
import { messageRoutes } from './message-routes.js'
import { presetRoutes } from './preset-routes.js'

export const chatRoutes: FastifyPluginAsync = async (app) => {
  await app.register(conversationRoutes)
  await app.register(presetRoutes)
  await app.register(messageRoutes)
  await app.register(generationRoutes)
}
