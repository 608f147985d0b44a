// Provider connections (admin): list, connect, change, remove, test. Any change can change the
// models they serve, so the model catalog is refreshed too.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import { modelsKey, providersKey } from '@/lib/query-keys'
import type { ItemList } from '@/types/api'
import type { ConnectableKind, ConnectionTest, Provider } from '../types'

export function providersQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: providersKey,
    queryFn: ({ signal }) => api.get<ItemList<Provider>>('/providers', undefined, signal),
    select: (list) => list.items,
  })
}

/** Providers, re-read every 10 s while shown: the reconciliation loop updates their health. */
export function useProviders({ enabled = true, poll = false }: { enabled?: boolean; poll?: boolean } = {}) {
  return useQuery({
    ...providersQueryOptions(useApiClient()),
    enabled,
    refetchInterval: poll ? 10_000 : false,
  })
}

function useInvalidateProviders() {
  const queryClient = useQueryClient()
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: providersKey }),
      queryClient.invalidateQueries({ queryKey: modelsKey, exact: true }),
    ])
}

export interface NewProvider {
  name: string
  kind: ConnectableKind
  baseUrl: string
  apiKey?: string
  enabled?: boolean
}

export function useCreateProvider() {
  const api = useApiClient()
  const invalidate = useInvalidateProviders()
  return useMutation({
    mutationFn: (input: NewProvider) => api.post<Provider>('/providers', input),
    onSuccess: invalidate,
  })
}

export interface ProviderChange {
  name?: string
  baseUrl?: string
  /** A new key, or null to remove the stored one. */
  apiKey?: string | null
  enabled?: boolean
}

export function useUpdateProvider() {
  const api = useApiClient()
  const invalidate = useInvalidateProviders()
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: ProviderChange }) =>
      api.patch<Provider>(`/providers/${encodeURIComponent(id)}`, change),
    onSuccess: invalidate,
  })
}

export function useDeleteProvider() {
  const api = useApiClient()
  const invalidate = useInvalidateProviders()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/providers/${encodeURIComponent(id)}`),
    onSuccess: invalidate,
  })
}

export function useTestProvider() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.post<ConnectionTest>(`/providers/${encodeURIComponent(id)}/test`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: providersKey }),
  })
}
