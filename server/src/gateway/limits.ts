// Gateway limits of users and API keys: stored one row per subject (`user:<id>`, `key:<id>`),
// read through a short cache so that checking them costs no query on the hot path. A change
// made here is announced on the bus, so that every process reads it again at once (CACHE_MS
// bounds how long a missed announcement can go unseen).
import type { Db } from '../db/index.js'
import type { GatewayLimitRow } from '../db/schema.js'
import { nowIso } from '../lib/ids.js'
import type { EventBus } from '../realtime/bus.js'

export interface LimitValues {
  requestsPerMinute: number | null
  tokensPerMinute: number | null
  tokensPerDay: number | null
  tokensPerMonth: number | null
  /** In the price table's currency. */
  budgetPerDay: number | null
  budgetPerMonth: number | null
  /** Web+ model ids; null = every model the role may use. */
  allowedModels: string[] | null
}

export type LimitField = keyof LimitValues
export const numericLimitFields = [
  'requestsPerMinute',
  'tokensPerMinute',
  'tokensPerDay',
  'tokensPerMonth',
  'budgetPerDay',
  'budgetPerMonth',
] as const satisfies readonly LimitField[]

export const noLimits: LimitValues = {
  requestsPerMinute: null,
  tokensPerMinute: null,
  tokensPerDay: null,
  tokensPerMonth: null,
  budgetPerDay: null,
  budgetPerMonth: null,
  allowedModels: null,
}

export const userSubject = (userId: string) => `user:${userId}`
export const keySubject = (apiKeyId: string) => `key:${apiKeyId}`

const CACHE_MS = 5_000

function fromRow(row: GatewayLimitRow | undefined): LimitValues {
  if (!row) return noLimits
  const num = (v: number | string | null) => (v === null ? null : Number(v))
  return {
    requestsPerMinute: num(row.requests_per_minute),
    tokensPerMinute: num(row.tokens_per_minute),
    tokensPerDay: num(row.tokens_per_day),
    tokensPerMonth: num(row.tokens_per_month),
    budgetPerDay: num(row.budget_per_day),
    budgetPerMonth: num(row.budget_per_month),
    allowedModels: row.allowed_models === null ? null : (JSON.parse(row.allowed_models) as string[]),
  }
}

export class LimitStore {
  private readonly cache = new Map<string, { values: LimitValues; at: number }>()

  constructor(
    private readonly db: Db,
    private readonly bus?: EventBus,
  ) {
    bus?.onControl((event) => {
      if (event.type === 'gateway-limits.changed') this.cache.delete(event.subject)
    })
  }

  async get(subject: string): Promise<LimitValues> {
    const cached = this.cache.get(subject)
    const now = Date.now()
    if (cached && now - cached.at < CACHE_MS) return cached.values
    const row = await this.db
      .selectFrom('gateway_limits')
      .selectAll()
      .where('subject', '=', subject)
      .executeTakeFirst()
    const values = fromRow(row)
    this.cache.set(subject, { values, at: now })
    if (this.cache.size > 50_000) this.cache.clear()
    return values
  }

  async set(owner: { userId: string; apiKeyId: string | null }, values: LimitValues): Promise<LimitValues> {
    const subject = owner.apiKeyId ? keySubject(owner.apiKeyId) : userSubject(owner.userId)
    const columns = {
      requests_per_minute: values.requestsPerMinute,
      tokens_per_minute: values.tokensPerMinute,
      tokens_per_day: values.tokensPerDay,
      tokens_per_month: values.tokensPerMonth,
      budget_per_day: values.budgetPerDay,
      budget_per_month: values.budgetPerMonth,
      allowed_models: values.allowedModels === null ? null : JSON.stringify(values.allowedModels),
      updated_at: nowIso(),
    }
    await this.db
      .insertInto('gateway_limits')
      .values({ subject, user_id: owner.userId, api_key_id: owner.apiKeyId, ...columns })
      .onConflict((oc) => oc.column('subject').doUpdateSet(columns))
      .execute()
    this.cache.delete(subject)
    await this.bus?.publishControl({ type: 'gateway-limits.changed', subject })
    return this.get(subject)
  }
}

/** Whether both the user's and the key's model lists (when set) include the model. */
export function allowsModel(limits: LimitValues[], modelId: string): boolean {
  return limits.every((l) => l.allowedModels === null || l.allowedModels.includes(modelId))
}
