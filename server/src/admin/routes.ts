// Admin endpoints: users and instance settings. Every route requires the admin role.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import {
  errorResponses,
  idParams,
  passwordSchema,
  problemSchema,
  roleSchema,
  userSchema,
} from '../http/schemas.js'
import { instanceSettingsSchema } from './settings.js'

export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { users, settings, audit } = app.services
  const access = { roles: ['admin' as const] }
  const tags = ['admin']

  app.get(
    '/admin/users',
    {
      config: { access },
      schema: {
        tags,
        summary: 'List accounts',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().max(64).optional(),
          q: z.string().trim().max(100).optional(),
        }),
        response: {
          200: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => users.list(request.query),
  )

  app.patch(
    '/admin/users/:id',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Change a role, or disable/enable an account',
        params: idParams,
        body: z
          .strictObject({ role: roleSchema.optional(), disabled: z.boolean().optional() })
          .refine((b) => b.role !== undefined || b.disabled !== undefined, 'give role or disabled'),
        response: { 200: userSchema, 409: problemSchema, ...errorResponses },
      },
    },
    async (request) => {
      const me = caller(request)
      return users.update({ id: me.user.id, ip: request.ip }, request.params.id, request.body)
    },
  )

  app.post(
    '/admin/users/:id/password',
    {
      config: { access },
      schema: {
        tags,
        summary: "Set a user's password (ends all their sessions)",
        params: idParams,
        body: z.strictObject({ newPassword: passwordSchema }),
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = caller(request)
      await users.resetPassword(
        { id: me.user.id, ip: request.ip },
        request.params.id,
        request.body.newPassword,
      )
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/admin/settings',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Instance settings',
        response: { 200: instanceSettingsSchema, ...errorResponses },
      },
    },
    async () => settings.get(),
  )

  app.patch(
    '/admin/settings',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Change instance settings',
        body: instanceSettingsSchema.partial().strict(),
        response: { 200: instanceSettingsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const next = await settings.update(request.body)
      await audit.record({
        action: 'admin.settings_update',
        actorId: caller(request).user.id,
        actorIp: request.ip,
        targetType: 'settings',
        targetId: 'instance',
        details: { patch: request.body },
      })
      return next
    },
  )
}
