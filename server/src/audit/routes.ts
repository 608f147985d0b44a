// The audit trail over the API: admins page and filter it and verify the chain; nobody edits it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { errorResponses } from '../http/schemas.js'

const auditEventSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorIp: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  details: z.record(z.string(), z.unknown()),
})

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const { audit } = app.services
  const access = { roles: ['admin' as const] }

  app.get(
    '/admin/audit',
    {
      config: { access },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.coerce.number().int().min(1).optional(),
          action: z.string().max(100).optional(),
          actorId: z.string().max(64).optional(),
          targetId: z.string().max(64).optional(),
          outcome: z.enum(['success', 'failure']).optional(),
        }),
        response: {
          200: z.object({ items: z.array(auditEventSchema), nextBefore: z.number().int().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { items, nextBefore } = await audit.list(request.query)
      return {
        nextBefore,
        items: items.map((e) => ({
          seq: e.seq,
          id: e.id,
          at: e.at,
          actorId: e.actor_id,
          actorIp: e.actor_ip,
          action: e.action,
          targetType: e.target_type,
          targetId: e.target_id,
          outcome: e.outcome,
          details: JSON.parse(e.details) as Record<string, unknown>,
        })),
      }
    },
  )

  app.get(
    '/admin/audit/verify',
    {
      config: { access },
      schema: {
        tags: ['audit'],
        summary: 'Check the hash chain for edited, inserted or deleted events',
        response: {
          200: z.object({
            ok: z.boolean(),
            checked: z.number().int(),
            firstBrokenSeq: z.number().int().optional(),
            reason: z.string().optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async () => audit.verify(),
  )
}
