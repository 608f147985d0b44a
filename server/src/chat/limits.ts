// The daily chat token budget per user (an admin setting). The concurrent-replies limit lives in
// the runner, which knows what is running.
import type { SettingsService } from '../admin/settings.js'
import { tooManyRequests } from '../lib/problem.js'
import type { UsageService } from '../models/usage.js'

/** Usage sources that count against the chat budget. */
export const CHAT_SOURCES = ['chat', 'chat-title']

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
}

function inWords(seconds: number): string {
  const hours = Math.floor(seconds / 3600)
  const minutes = Math.ceil((seconds % 3600) / 60)
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`
}

export class ChatLimits {
  constructor(
    private readonly settings: SettingsService,
    private readonly usage: UsageService,
  ) {}

  /** Throws a 429 with Retry-After (until UTC midnight) once today's budget is spent. */
  async checkDailyTokens(userId: string, now = new Date()): Promise<void> {
    const limit = (await this.settings.get()).chatTokensPerDayPerUser
    if (limit === null) return
    const dayStart = startOfUtcDay(now)
    const used = await this.usage.tokensUsedSince(userId, dayStart.toISOString(), CHAT_SOURCES)
    if (used < limit) return
    const resetAt = dayStart.getTime() + 86_400_000
    const seconds = Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000))
    throw tooManyRequests(
      seconds,
      `You have used today's chat allowance of ${limit.toLocaleString('en')} tokens; ` +
        `it renews at 00:00 UTC (in ${inWords(seconds)})`,
    )
  }
}
