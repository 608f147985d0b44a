// Gateway settings under /api/v1: an API key's limits (its owner, within the owner's own
// limits), a user's limits (admins), and the caller's own usage per model and per key.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams } from '../http/schemas.js'
import { badRequest, notFound } from '../lib/problem.js'
import type { ModelDirectory } from './directory.js'
import { keySubject, type LimitValues, noLimits, numericLimitFields, userSubject } from './limits.js'
import { usageReport, usageWindows } from './usage-queries.js'

const int = (max: number) => z.number().int().min(0).max(max).nullable().optional()
const amount = z.number().min(0).max(1e12).nullable().optional()
const limitsInput = z.strictObject({
  requestsPerMinute: int(1_000_000),
  tokensPerMinute: int(2_000_000_000),
  tokensPerDay: int(1e15),
  tokensPerMonth: int(1e15),
  budgetPerDay: amount,
  budgetPerMonth: amount,
  allowedModels: z.array(z.string().min(1).max(256)).max(1000).nullable().optional(),
})
type LimitsInput = z.infer<typeof limitsInput>

const limitsSchema = z.object({
  requestsPerMinute: z.number().nullable(),
  tokensPerMinute: z.number().nullable(),
  tokensPerDay: z.number().nullable(),
  tokensPerMonth: z.number().nullable(),
  budgetPerDay: z.number().nullable(),
  budgetPerMonth: z.number().nullable(),
  /** Gateway model ids. */
  allowedModels: z.array(z.string()).nullable(),
})
const keyLimitsSchema = z.object({ limits: limitsSchema, userLimits: limitsSchema })

const totals = {
  requests: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cost: z.number(),
}
const usageSchema = z.object({
  window: z.enum(['24h', '7d', '30d']),
  since: z.string(),
  totals: z.object(totals),
  byModel: z.array(z.object({ modelId: z.string().nullable(), model: z.string(), ...totals })),
  byKey: z.array(z.object({ apiKeyId: z.string().nullable(), name: z.string().nullable(), ...totals })),
})

/** Allowed models as clients know them (gateway ids), for display. */
async function view(directory: ModelDirectory, limits: LimitValues) {
  if (limits.allowedModels === null) return limits
  const ids = await Promise.all(
    limits.allowedModels.map(async (id) => (await directory.byModelId(id))?.id ?? id),
  )
  return { ...limits, allowedModels: ids }
}

/** Applies a patch; named models (gateway or Web+ ids) are stored as Web+ model ids. */
async function merge(
  directory: ModelDirectory,
  current: LimitValues,
  patch: LimitsInput,
): Promise<LimitValues> {
  const next: LimitValues = { ...current }
  for (const field of numericLimitFields) {
    const value = patch[field]
    if (value !== undefined) next[field] = value
  }
  if (patch.allowedModels !== undefined) {
    if (patch.allowedModels === null) next.allowedModels = null
    else {
      const ids: string[] = []
      for (const requested of patch.allowedModels) {
        const entry = await directory.resolve(requested)
        if (!entry) {
          throw badRequest(`Unknown model '${requested}'`, [
            { field: 'allowedModels', message: `has unknown model '${requested}'` },
          ])
        }
        ids.push(entry.model.id)
      }
      next.allowedModels = [...new Set(ids)]
    }
  }
  return next
}

const limitWords: Record<(typeof numericLimitFields)[number], string> = {
  requestsPerMinute: 'requests per minute',
  tokensPerMinute: 'tokens per minute',
  tokensPerDay: 'tokens per day',
  tokensPerMonth: 'tokens per month',
  budgetPerDay: 'spend per day',
  budgetPerMonth: 'spend per month',
}

/** A key's limits may only narrow its owner's. */
function checkWithin(key: LimitValues, user: LimitValues): void {
  for (const field of numericLimitFields) {
    const own = user[field]
    const value = key[field]
    if (own !== null && value !== null && value > own) {
      throw badRequest(`The key's ${limitWords[field]} cannot exceed your account's limit of ${own}`, [
        { field, message: `exceeds your account's limit of ${own}` },
      ])
    }
  }
  if (user.allowedModels && key.allowedModels?.some((id) => !user.allowedModels?.includes(id))) {
    throw badRequest('allowedModels may only list models your account may use', [
      { field: 'allowedModels', message: 'lists a model your account may not use' },
    ])
  }
}

export const gatewayApiRoutes: FastifyPluginAsyncZod = async (app) => {
  const { apiKeys, users, audit } = app.services
  const { limits, directory } = app.services.gateway
  const tags = ['gateway']

  const ownKey = async (userId: string, keyId: string) => {
    const key = (await apiKeys.list(userId)).find((k) => k.id === keyId)
    if (!key) throw notFound('API key')
    return key
  }
  const keyLimits = async (userId: string, keyId: string) => ({
    limits: await view(directory, await limits.get(keySubject(keyId))),
    userLimits: await view(directory, await limits.get(userSubject(userId))),
  })

  app.get(
    '/api-keys/:id/limits',
    {
      config: { access: { sessionOnly: true } },
      schema: {
        tags,
        summary: "An API key's gateway limits, and your account's",
        params: idParams,
        response: { 200: keyLimitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = caller(request)
      await ownKey(user.id, request.params.id)
      return keyLimits(user.id, request.params.id)
    },
  )

  app.patch(
    '/api-keys/:id/limits',
    {
      config: { access: { sessionOnly: true } },
      schema: {
        tags,
        summary: "Narrow an API key's gateway limits (within your account's); null removes a limit",
        params: idParams,
        body: limitsInput,
        response: { 200: keyLimitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = caller(request)
      const key = await ownKey(user.id, request.params.id)
      const next = await merge(directory, await limits.get(keySubject(key.id)), request.body)
      checkWithin(next, await limits.get(userSubject(user.id)))
      await limits.set({ userId: user.id, apiKeyId: key.id }, next)
      await audit.record({
        action: 'api_key.limits',
        actorId: user.id,
        actorIp: request.ip,
        targetType: 'api_key',
        targetId: key.id,
        details: { fields: Object.keys(request.body) },
      })
      return keyLimits(user.id, key.id)
    },
  )

  app.get(
    '/admin/users/:id/limits',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: "A user's gateway limits",
        params: idParams,
        response: { 200: limitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      await users.find(request.params.id)
      return view(directory, await limits.get(userSubject(request.params.id)))
    },
  )

  app.put(
    '/admin/users/:id/limits',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags,
        summary: "Set a user's gateway limits (omitted or null: no limit)",
        params: idParams,
        body: limitsInput,
        response: { 200: limitsSchema, ...errorResponses },
      },
    },
    async (request) => {
      const target = await users.find(request.params.id)
      const next = await merge(directory, noLimits, request.body)
      const saved = await limits.set({ userId: target.id, apiKeyId: null }, next)
      await audit.record({
        action: 'user.gateway_limits',
        actorId: caller(request).user.id,
        actorIp: request.ip,
        targetType: 'user',
        targetId: target.id,
        details: { limits: next },
      })
      return view(directory, saved)
    },
  )

  app.get(
    '/me/usage',
    {
      schema: {
        tags,
        summary: 'Your model usage (chat, gateway…) per model and per API key',
        querystring: z.strictObject({
          window: z.enum(Object.keys(usageWindows) as ['24h', '7d', '30d']).default('24h'),
        }),
        response: { 200: usageSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { user } = caller(request)
      const [report, keys] = await Promise.all([
        usageReport(app.services.db, user.id, request.query.window),
        apiKeys.list(user.id),
      ])
      const names = new Map(keys.map((k) => [k.id, k.name]))
      return {
        ...report,
        byKey: report.byKey.map((row) => ({
          ...row,
          name: row.apiKeyId ? (names.get(row.apiKeyId) ?? null) : null,
        })),
      }
    },
  )
}
