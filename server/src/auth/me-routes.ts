// The caller's own account: profile, password and sessions.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  clientInfo,
  errorResponses,
  idParams,
  nameSchema,
  passwordSchema,
  userSchema,
} from '../http/schemas.js'
import { nowIso } from '../lib/ids.js'
import { notFound } from '../lib/problem.js'
import { caller } from './guard.js'
import { toPublicUser } from './service.js'

const sessionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  current: z.boolean(),
})

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const { auth, audit, db } = app.services

  app.get(
    '/me',
    {
      schema: {
        tags: ['account'],
        summary: 'The signed-in user',
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => toPublicUser(caller(request).user),
  )

  app.patch(
    '/me',
    {
      schema: {
        tags: ['account'],
        summary: 'Update your profile',
        body: z.strictObject({ name: nameSchema }),
        response: { 200: userSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = caller(request)
      const updated = await db
        .updateTable('users')
        .set({ name: request.body.name, updated_at: nowIso() })
        .where('id', '=', user.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await app.services.apiKeys.userChanged(user.id)
      await audit.record({
        action: 'user.update',
        actorId: user.id,
        actorIp: request.ip,
        targetType: 'user',
        targetId: user.id,
        details: { fields: ['name'] },
      })
      return toPublicUser(updated)
    },
  )

  app.post(
    '/me/password',
    {
      config: { access: { sessionOnly: true } },
      schema: {
        tags: ['account'],
        summary: 'Change your password (ends your other sessions)',
        body: z.strictObject({ currentPassword: passwordSchema, newPassword: passwordSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request)
      await auth.changePassword(me.user.id, me.sessionId, request.body, clientInfo(request))
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/me/sessions',
    {
      config: { access: { sessionOnly: true } },
      schema: {
        tags: ['account'],
        summary: 'Your active sessions',
        response: { 200: z.object({ items: z.array(sessionSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request)
      const sessions = await auth.listSessions(me.user.id)
      return {
        items: sessions.map((s) => ({
          id: s.id,
          createdAt: s.created_at,
          lastUsedAt: s.last_used_at,
          expiresAt: s.expires_at,
          userAgent: s.user_agent,
          ip: s.ip,
          current: s.id === me.sessionId,
        })),
      }
    },
  )

  app.delete(
    '/me/sessions/:id',
    {
      config: { access: { sessionOnly: true } },
      schema: {
        tags: ['account'],
        summary: 'End one of your sessions',
        params: idParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request)
      const session = await db
        .selectFrom('sessions')
        .select('id')
        .where('id', '=', request.params.id)
        .where('user_id', '=', me.user.id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
      if (!session) throw notFound('Session')
      await auth.revokeSessions({ sessionId: session.id }, 'revoked-by-user')
      await audit.record({
        action: 'session.revoke',
        actorId: me.user.id,
        actorIp: request.ip,
        targetType: 'session',
        targetId: session.id,
      })
      return reply.code(204).send(null)
    },
  )
}
