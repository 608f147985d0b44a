// Usage: one row per model call (chat, gateway, pipelines), the per-model figures the Models
// page charts, and the same figures as Prometheus metrics.
import { Counter, Histogram, type Registry } from 'prom-client'
import type { Db } from '../db/index.js'
import type { UsageEvent } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'

export type UsageInput = Omit<UsageEvent, 'id' | 'at' | 'tokens_per_second'>

export const metricWindows = { '1h': 3_600_000, '24h': 86_400_000, '7d': 604_800_000 } as const
export type MetricWindow = keyof typeof metricWindows
const bucketCount: Record<MetricWindow, number> = { '1h': 60, '24h': 48, '7d': 28 }

export interface MetricPoint {
  t: string
  requests: number
  errors: number
  latencyP50Ms: number | null
  ttftP50Ms: number | null
  tokensPerSecond: number | null
  inputTokens: number
  outputTokens: number
  cost: number
}

export interface ModelMetrics {
  window: MetricWindow
  requests: number
  requestsPerMinute: number
  errorRate: number
  latencyMs: { p50: number | null; p95: number | null }
  ttftMs: { p50: number | null; p95: number | null }
  tokensPerSecond: number | null
  inputTokens: number
  outputTokens: number
  cost: number
  series: MetricPoint[]
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? null
}

function summarize(rows: UsageEvent[]) {
  const latencies = rows.map((r) => r.duration_ms).sort((a, b) => a - b)
  const ttfts = rows
    .map((r) => r.ttft_ms)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b)
  const speeds = rows.map((r) => r.tokens_per_second).filter((v): v is number => v !== null)
  return {
    requests: rows.length,
    errors: rows.filter((r) => r.outcome === 'error').length,
    latencies,
    ttfts,
    tokensPerSecond: speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : null,
    inputTokens: rows.reduce((a, r) => a + r.input_tokens, 0),
    outputTokens: rows.reduce((a, r) => a + r.output_tokens, 0),
    cost: rows.reduce((a, r) => a + r.cost, 0),
  }
}

export class UsageService {
  private readonly requests: Counter<'model' | 'outcome' | 'source'>
  private readonly tokens: Counter<'model' | 'direction'>
  private readonly cost: Counter<'model'>
  private readonly duration: Histogram<'model'>
  private readonly ttft: Histogram<'model'>

  constructor(
    private readonly db: Db,
    registry: Registry,
  ) {
    const registers = [registry]
    const buckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]
    this.requests = new Counter({
      name: 'webplus_model_requests_total',
      help: 'Model calls by outcome',
      labelNames: ['model', 'outcome', 'source'],
      registers,
    })
    this.tokens = new Counter({
      name: 'webplus_model_tokens_total',
      help: 'Tokens in and out per model',
      labelNames: ['model', 'direction'],
      registers,
    })
    this.cost = new Counter({
      name: 'webplus_model_cost_total',
      help: 'Estimated cost',
      labelNames: ['model'],
      registers,
    })
    this.duration = new Histogram({
      name: 'webplus_model_request_duration_seconds',
      help: 'Model call duration',
      labelNames: ['model'],
      buckets,
      registers,
    })
    this.ttft = new Histogram({
      name: 'webplus_model_time_to_first_token_seconds',
      help: 'Time to first token',
      labelNames: ['model'],
      buckets,
      registers,
    })
  }

  async record(input: UsageInput): Promise<UsageEvent> {
    const generating = input.ttft_ms !== null ? input.duration_ms - input.ttft_ms : input.duration_ms
    const row: UsageEvent = {
      ...input,
      id: newId(),
      at: nowIso(),
      tokens_per_second:
        input.output_tokens > 0 && generating > 0
          ? Math.round((input.output_tokens * 1000 * 10) / generating) / 10
          : null,
    }
    await this.db.insertInto('usage_events').values(row).execute()
    const model = input.model_name
    this.requests.inc({ model, outcome: input.outcome, source: input.source })
    this.tokens.inc({ model, direction: 'input' }, input.input_tokens)
    this.tokens.inc({ model, direction: 'output' }, input.output_tokens)
    this.cost.inc({ model }, input.cost)
    this.duration.observe({ model }, input.duration_ms / 1000)
    if (input.ttft_ms !== null) this.ttft.observe({ model }, input.ttft_ms / 1000)
    return row
  }

  /** Tokens (in + out) a user spent since `since` on calls whose source is one of `sources`. */
  async tokensUsedSince(userId: string, since: string, sources: string[]): Promise<number> {
    const row = await this.db
      .selectFrom('usage_events')
      .select((eb) =>
        eb.fn.sum<number | string | null>(eb('input_tokens', '+', eb.ref('output_tokens'))).as('total'),
      )
      .where('user_id', '=', userId)
      .where('at', '>=', since)
      .where('source', 'in', sources)
      .executeTakeFirst()
    return Number(row?.total ?? 0)
  }

  async modelMetrics(modelId: string, window: MetricWindow, now = Date.now()): Promise<ModelMetrics> {
    const span = metricWindows[window]
    const since = new Date(now - span).toISOString()
    const rows = await this.db
      .selectFrom('usage_events')
      .selectAll()
      .where('model_id', '=', modelId)
      .where('at', '>=', since)
      .orderBy('at')
      .execute()
    const total = summarize(rows)
    const buckets = bucketCount[window]
    const size = span / buckets
    const start = now - span
    const grouped: UsageEvent[][] = Array.from({ length: buckets }, () => [])
    for (const row of rows) {
      const index = Math.min(buckets - 1, Math.floor((Date.parse(row.at) - start) / size))
      grouped[index]?.push(row)
    }
    return {
      window,
      requests: total.requests,
      requestsPerMinute: Math.round((total.requests / (span / 60_000)) * 100) / 100,
      errorRate: total.requests ? total.errors / total.requests : 0,
      latencyMs: { p50: percentile(total.latencies, 50), p95: percentile(total.latencies, 95) },
      ttftMs: { p50: percentile(total.ttfts, 50), p95: percentile(total.ttfts, 95) },
      tokensPerSecond: total.tokensPerSecond,
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      cost: total.cost,
      series: grouped.map((group, i) => {
        const s = summarize(group)
        return {
          t: new Date(start + i * size).toISOString(),
          requests: s.requests,
          errors: s.errors,
          latencyP50Ms: percentile(s.latencies, 50),
          ttftP50Ms: percentile(s.ttfts, 50),
          tokensPerSecond: s.tokensPerSecond,
          inputTokens: s.inputTokens,
          outputTokens: s.outputTokens,
          cost: s.cost,
        }
      }),
    }
  }
}
