import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { ItemList } from '@/types/api'

export interface AccountSession {
  id: string
  createdAt: string
  lastUsedAt: string
  expiresAt: string
  userAgent: string | null
  ip: string | null
  current: boolean
}

export const sessionsKey = ['me', 'sessions'] as const

export function sessionsQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: sessionsKey,
    queryFn: ({ signal }) => api.get<ItemList<AccountSession>>('/me/sessions', undefined, signal),
    select: (list) => list.items,
  })
}

export function useSessions() {
  return useQuery(sessionsQueryOptions(useApiClient()))
}

export function useRevokeSession() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/me/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  })
}
