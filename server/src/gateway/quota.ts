// Enforcing gateway limits before a call and counting the call after it. Per-minute windows
// use rate-limiter-flexible (in memory, or Redis when configured so that limits hold across
// processes); day and month totals come from the usage table (UTC calendar day and month).
// Token and budget limits are checked before a call, so one call in flight can pass a limit.
import type { Redis } from 'ioredis'
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'
import type { Role } from '../db/schema.js'
import { GatewayError } from './errors.js'
import { keySubject, type LimitStore, type LimitValues, userSubject } from './limits.js'
import { startOfUtcDay, startOfUtcMonth, type UsageSums } from './usage-queries.js'

export interface GatewayCaller {
  userId: string
  role: Role
  apiKeyId: string
}

export interface CallerLimits {
  user: LimitValues
  key: LimitValues
}

interface Subject {
  key: string
  limits: LimitValues
  /** For messages: whose limit it is. */
  owner: 'This API key' | 'Your account'
}

/** What a call must report back when it ends, so that the windows it counts against advance. */
export interface Admission {
  perMinute: string[]
  periods: string[]
}

const WINDOW_S = 60

function hasPeriodLimit(l: LimitValues): boolean {
  return (
    l.tokensPerDay !== null ||
    l.tokensPerMonth !== null ||
    l.budgetPerDay !== null ||
    l.budgetPerMonth !== null
  )
}

function inWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.ceil((seconds % 3600) / 60)
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`
}

const rateLimited = (message: string, type: 'requests' | 'tokens', ms: number) =>
  new GatewayError(429, message, type, 'rate_limit_exceeded', null, Math.max(1, Math.ceil(ms / 1000)))

const quotaExceeded = (message: string, resetAt: number, now: number) => {
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000))
  return new GatewayError(
    429,
    `${message}; it renews in ${inWords(seconds)}.`,
    'insufficient_quota',
    'insufficient_quota',
    null,
    seconds,
  )
}

export class GatewayQuota {
  private readonly requests: RateLimiterAbstract
  private readonly tokens: RateLimiterAbstract

  constructor(
    private readonly store: LimitStore,
    private readonly sums: UsageSums,
    redis?: Redis,
  ) {
    // Counters only: each subject's own limit is compared with the count here.
    const make = (prefix: string) =>
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `webplus:gw:${prefix}`,
            points: Number.MAX_SAFE_INTEGER,
            duration: WINDOW_S,
          })
        : new RateLimiterMemory({
            keyPrefix: `gw-${prefix}`,
            points: Number.MAX_SAFE_INTEGER,
            duration: WINDOW_S,
          })
    this.requests = make('rpm')
    this.tokens = make('tpm')
  }

  async limitsOf(caller: GatewayCaller): Promise<CallerLimits> {
    const [user, key] = await Promise.all([
      this.store.get(userSubject(caller.userId)),
      this.store.get(keySubject(caller.apiKeyId)),
    ])
    return { user, key }
  }

  /** Throws a 429 when a limit of the key or its owner is reached; else counts the request. */
  async admit(caller: GatewayCaller, limits: CallerLimits, now = Date.now()): Promise<Admission> {
    const subjects: Subject[] = [
      { key: keySubject(caller.apiKeyId), limits: limits.key, owner: 'This API key' },
      { key: userSubject(caller.userId), limits: limits.user, owner: 'Your account' },
    ]
    const admission: Admission = { perMinute: [], periods: [] }
    for (const s of subjects) {
      const tpm = s.limits.tokensPerMinute
      if (tpm !== null) {
        const used = await this.tokens.get(s.key)
        if (used && used.consumedPoints >= tpm) {
          throw rateLimited(`${s.owner} has used its ${tpm} tokens per minute`, 'tokens', used.msBeforeNext)
        }
        admission.perMinute.push(s.key)
      }
      if (hasPeriodLimit(s.limits)) {
        await this.checkPeriods(s, now)
        admission.periods.push(s.key)
      }
    }
    await this.countRequest(subjects)
    return admission
  }

  private async checkPeriods(s: Subject, now: number): Promise<void> {
    const sums = await this.sums.get(s.key, now)
    const { tokensPerDay, tokensPerMonth, budgetPerDay, budgetPerMonth } = s.limits
    const nextDay = startOfUtcDay(now) + 86_400_000
    const nextMonth = startOfUtcMonth(now, 1)
    if (tokensPerDay !== null && sums.dayTokens >= tokensPerDay)
      throw quotaExceeded(`${s.owner} has used its ${tokensPerDay} tokens for today (UTC)`, nextDay, now)
    if (tokensPerMonth !== null && sums.monthTokens >= tokensPerMonth)
      throw quotaExceeded(`${s.owner} has used its ${tokensPerMonth} tokens for this month`, nextMonth, now)
    if (budgetPerDay !== null && sums.dayCost >= budgetPerDay)
      throw quotaExceeded(`${s.owner} has spent its budget of ${budgetPerDay} for today (UTC)`, nextDay, now)
    if (budgetPerMonth !== null && sums.monthCost >= budgetPerMonth)
      throw quotaExceeded(
        `${s.owner} has spent its budget of ${budgetPerMonth} for this month`,
        nextMonth,
        now,
      )
  }

  /** Counts one request for each subject with a per-minute request limit; none is counted when one refuses. */
  private async countRequest(subjects: Subject[]): Promise<void> {
    const counted: string[] = []
    for (const s of subjects) {
      const rpm = s.limits.requestsPerMinute
      if (rpm === null) continue
      const res = await this.requests.consume(s.key, 1)
      counted.push(s.key)
      if (res.consumedPoints > rpm) {
        for (const key of counted) await this.requests.reward(key, 1)
        throw rateLimited(`${s.owner} is limited to ${rpm} requests per minute`, 'requests', res.msBeforeNext)
      }
    }
  }

  /** Counts a finished call's tokens and cost against the windows it was admitted under. */
  async settle(admission: Admission, tokens: number, cost: number): Promise<void> {
    for (const key of admission.periods) this.sums.add(key, tokens, cost)
    if (tokens > 0) for (const key of admission.perMinute) await this.tokens.penalty(key, tokens)
  }
}
