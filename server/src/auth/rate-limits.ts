// Rate limits: sign-in and registration per address and per account, and a general per-user
// budget. In memory for one process; in Redis when REDIS_URL is set so limits hold across processes.
import type { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { tooManyRequests } from '../lib/problem.js'

type Limiter = RateLimiterMemory | RateLimiterRedis
export type LimitKind = 'loginIp' | 'loginAccount' | 'registerIp' | 'registerAccount' | 'api'

export interface RateLimitSettings {
  loginAttemptsPerMinute: number
  rateLimitPerMinute: number
}

export class RateLimits {
  private readonly limiters: Record<LimitKind, Limiter>

  constructor(settings: RateLimitSettings, redis?: Redis) {
    const make = (keyPrefix: string, points: number, duration: number): Limiter =>
      redis
        ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `webplus:rl:${keyPrefix}`, points, duration })
        : new RateLimiterMemory({ keyPrefix, points, duration })
    this.limiters = {
      loginIp: make('login-ip', settings.loginAttemptsPerMinute * 3, 60),
      loginAccount: make('login-account', settings.loginAttemptsPerMinute, 60),
      registerIp: make('register-ip', settings.loginAttemptsPerMinute, 60),
      registerAccount: make('register-account', settings.loginAttemptsPerMinute, 60),
      api: make('api', settings.rateLimitPerMinute, 60),
    }
  }

  /** Spends one point; throws a 429 problem with Retry-After when the budget is used up. */
  async consume(kind: LimitKind, key: string): Promise<void> {
    try {
      await this.limiters[kind].consume(key)
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000))
      throw tooManyRequests(seconds, `Too many requests; try again in ${seconds} s`)
    }
  }

  async reset(kind: LimitKind, key: string): Promise<void> {
    await this.limiters[kind].delete(key)
  }
}
