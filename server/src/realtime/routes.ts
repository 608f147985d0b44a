// GET /api/v1/ws: the live channel. Browsers cannot set headers on a WebSocket, so the client
// authenticates with its first message ({type:'auth', token}); tokens never go in the URL.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { type AuthContext, resolveCredential } from '../auth/guard.js'
import { forbidden } from '../lib/problem.js'

const clientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('ping') }),
])

function originAllowed(request: FastifyRequest, allowed: string[]): boolean {
  const origin = request.headers.origin
  if (!origin) return true // not a browser; a token is still required
  const own = `${request.protocol}://${request.headers.host}`
  return origin === own || allowed.includes(origin)
}

export const realtimeRoutes: FastifyPluginAsync = async (app) => {
  const { hub } = app.services

  app.get(
    '/ws',
    {
      websocket: true,
      config: { access: { public: true } },
      schema: { tags: ['realtime'], summary: 'WebSocket: live events for the signed-in user', hide: true },
      preValidation: async (request) => {
        if (!originAllowed(request, app.config.allowedOrigins)) throw forbidden('Origin not allowed')
      },
    },
    (socket, request) => {
      let authed = false
      const ready = (ctx: AuthContext) => {
        authed = true
        clearTimeout(timer)
        hub.add(socket, ctx)
        socket.send(JSON.stringify({ type: 'ready', userId: ctx.user.id }))
      }
      const timer = setTimeout(() => {
        if (!authed) socket.close(4401, 'authentication timeout')
      }, app.config.wsAuthTimeoutMs)
      socket.on('close', () => clearTimeout(timer))
      if (request.auth) ready(request.auth)

      socket.on('message', async (raw) => {
        let parsed: ReturnType<typeof clientMessage.safeParse>
        try {
          parsed = clientMessage.safeParse(JSON.parse(raw.toString()))
        } catch {
          socket.send(JSON.stringify({ type: 'error', detail: 'messages must be JSON' }))
          return
        }
        if (!parsed.success) {
          socket.send(JSON.stringify({ type: 'error', detail: 'unknown message' }))
          return
        }
        const message = parsed.data
        if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }))
          return
        }
        if (authed) return
        const ctx = await resolveCredential(app, message.token)
        if (!ctx) socket.close(4401, 'invalid token')
        else ready(ctx)
      })
    },
  )
}
