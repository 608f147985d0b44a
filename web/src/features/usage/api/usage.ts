import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'

export const USAGE_WINDOWS = ['24h', '7d', '30d'] as const
export type UsageWindow = (typeof USAGE_WINDOWS)[number]

export interface UsageTotals {
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  cost: number
}

/** GET /me/usage: the caller's calls to models (chat, gateway…) over a window. */
export interface UsageReport {
  window: UsageWindow
  since: string
  totals: UsageTotals
  byModel: Array<UsageTotals & { modelId: string | null; model: string }>
  /** apiKeyId null: calls made while signed in (chat), not with an API key. */
  byKey: Array<UsageTotals & { apiKeyId: string | null; name: string | null }>
}

/** Your own usage over a window, refreshed every 30 s while shown. */
export function useMyUsage(window: UsageWindow) {
  const api = useApiClient()
  return useQuery({
    queryKey: ['me', 'usage', window],
    queryFn: ({ signal }) => api.get<UsageReport>('/me/usage', { window }, signal),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  })
}
