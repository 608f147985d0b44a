import { infiniteQueryOptions, useInfiniteQuery, useMutation } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'

export interface AuditEvent {
  seq: number
  id: string
  at: string
  actorId: string | null
  actorIp: string | null
  action: string
  targetType: string | null
  targetId: string | null
  outcome: 'success' | 'failure'
  details: Record<string, unknown>
}

export interface AuditPage {
  items: AuditEvent[]
  nextBefore: number | null
}

export interface AuditFilters {
  action: string
  actorId: string
  outcome: '' | 'success' | 'failure'
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { action: '', actorId: '', outcome: '' }

export interface ChainVerification {
  ok: boolean
  checked: number
  firstBrokenSeq?: number
  reason?: string
}

const PAGE_SIZE = 50

export function auditLogQueryOptions(api: ApiClient, filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: ['admin', 'audit', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/admin/audit', { limit: PAGE_SIZE, before: pageParam, ...filters }, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  })
}

export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery(auditLogQueryOptions(useApiClient(), filters))
}

/** Re-hashes the whole chain on the server; run on demand, never cached. */
export function useVerifyAuditChain() {
  const api = useApiClient()
  return useMutation({ mutationFn: () => api.get<ChainVerification>('/admin/audit/verify') })
}
