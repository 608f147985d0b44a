// Reads of the usage table for the gateway: day and month totals of a user or key (for
// limits; cached for SUMS_CACHE_MS, with calls settled in this process added at once), and the
// per-model and per-key report a user sees of their own usage.
import type { Db } from '../db/index.js'

export interface PeriodSums {
  dayStart: number
  monthStart: number
  dayTokens: number
  monthTokens: number
  dayCost: number
  monthCost: number
}

const SUMS_CACHE_MS = 5_000

export function startOfUtcDay(now: number): number {
  const d = new Date(now)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

export function startOfUtcMonth(now: number, monthsAhead = 0): number {
  const d = new Date(now)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsAhead, 1)
}

export class UsageSums {
  private readonly cache = new Map<string, PeriodSums & { at: number }>()

  constructor(private readonly db: Db) {}

  /** Gateway tokens and cost of `user:<id>` or `key:<id>` today and this month (UTC). */
  async get(subject: string, now = Date.now()): Promise<PeriodSums> {
    const dayStart = startOfUtcDay(now)
    const cached = this.cache.get(subject)
    if (cached && cached.dayStart === dayStart && now - cached.at < SUMS_CACHE_MS) return cached
    const monthStart = startOfUtcMonth(now)
    const [kind, id = ''] = subject.split(/:(.*)/s)
    const day = new Date(dayStart).toISOString()
    let query = this.db
      .selectFrom('usage_events')
      .select((eb) => {
        const tokens = eb('input_tokens', '+', eb.ref('output_tokens'))
        const today = <T>(value: T) => eb.case().when('at', '>=', day).then(value).else(eb.lit(0)).end()
        return [
          eb.fn.sum<number | string | null>(tokens).as('month_tokens'),
          eb.fn.sum<number | string | null>(today(tokens)).as('day_tokens'),
          eb.fn.sum<number | string | null>('cost').as('month_cost'),
          eb.fn.sum<number | string | null>(today(eb.ref('cost'))).as('day_cost'),
        ]
      })
      .where('at', '>=', new Date(monthStart).toISOString())
    query =
      kind === 'key'
        ? query.where('api_key_id', '=', id)
        : query.where('user_id', '=', id).where('source', '=', 'gateway')
    const row = await query.executeTakeFirst()
    const sums = {
      dayStart,
      monthStart,
      dayTokens: Number(row?.day_tokens ?? 0),
      monthTokens: Number(row?.month_tokens ?? 0),
      dayCost: Number(row?.day_cost ?? 0),
      monthCost: Number(row?.month_cost ?? 0),
      at: now,
    }
    this.cache.set(subject, sums)
    if (this.cache.size > 50_000) this.cache.clear()
    return sums
  }

  /** Adds a finished call to the cached totals (the database has it too; a reload re-reads it). */
  add(subject: string, tokens: number, cost: number): void {
    const cached = this.cache.get(subject)
    if (!cached) return
    cached.dayTokens += tokens
    cached.monthTokens += tokens
    cached.dayCost += cost
    cached.monthCost += cost
  }
}

export const usageWindows = { '24h': 86_400_000, '7d': 604_800_000, '30d': 2_592_000_000 } as const
export type UsageWindow = keyof typeof usageWindows

export interface UsageTotals {
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  cost: number
}

export interface UsageReport {
  window: UsageWindow
  since: string
  totals: UsageTotals
  byModel: Array<UsageTotals & { modelId: string | null; model: string }>
  byKey: Array<UsageTotals & { apiKeyId: string | null }>
}

/** One user's usage over a window, every source (chat, gateway…), per model and per API key. */
export async function usageReport(
  db: Db,
  userId: string,
  window: UsageWindow,
  now = Date.now(),
): Promise<UsageReport> {
  const since = new Date(now - usageWindows[window]).toISOString()
  const base = db
    .selectFrom('usage_events')
    .where('user_id', '=', userId)
    .where('at', '>=', since)
    .select((eb) => [
      eb.fn.countAll<number | string>().as('requests'),
      eb.fn
        .sum<number | string | null>(eb.case().when('outcome', '=', 'error').then(1).else(0).end())
        .as('errors'),
      eb.fn.sum<number | string | null>('input_tokens').as('input_tokens'),
      eb.fn.sum<number | string | null>('output_tokens').as('output_tokens'),
      eb.fn.sum<number | string | null>('cost').as('cost'),
    ])
  const [models, keys] = await Promise.all([
    base.select(['model_id', 'model_name']).groupBy(['model_id', 'model_name']).execute(),
    base.select('api_key_id').groupBy('api_key_id').execute(),
  ])
  const totalsOf = (row: {
    requests: number | string
    errors: number | string | null
    input_tokens: number | string | null
    output_tokens: number | string | null
    cost: number | string | null
  }): UsageTotals => ({
    requests: Number(row.requests),
    errors: Number(row.errors ?? 0),
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    cost: Number(row.cost ?? 0),
  })
  const byModel = models
    .map((row) => ({ modelId: row.model_id, model: row.model_name, ...totalsOf(row) }))
    .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model))
  const byKey = keys
    .map((row) => ({ apiKeyId: row.api_key_id, ...totalsOf(row) }))
    .sort((a, b) => b.requests - a.requests)
  const totals = byModel.reduce<UsageTotals>(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      errors: sum.errors + row.errors,
      inputTokens: sum.inputTokens + row.inputTokens,
      outputTokens: sum.outputTokens + row.outputTokens,
      cost: sum.cost + row.cost,
    }),
    { requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, cost: 0 },
  )
  return { window, since, totals, byModel, byKey }
}
