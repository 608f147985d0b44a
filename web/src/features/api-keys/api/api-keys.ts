import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { ItemList } from '@/types/api'

export const API_KEY_SCOPES = ['read', 'write', 'admin', 'gateway'] as const
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number]

export interface ApiKey {
  id: string
  name: string
  prefix: string
  last4: string
  scopes: ApiKeyScope[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface NewApiKey {
  name: string
  scopes: ApiKeyScope[]
  expiresAt?: string
}

export interface CreatedApiKey {
  /** The full secret: the only time the server ever returns it. */
  key: string
  apiKey: ApiKey
}

export const apiKeysKey = ['api-keys'] as const

export function apiKeysQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: apiKeysKey,
    queryFn: ({ signal }) => api.get<ItemList<ApiKey>>('/api-keys', undefined, signal),
    select: (list) => list.items,
  })
}

export function useApiKeys() {
  return useQuery(apiKeysQueryOptions(useApiClient()))
}

export function useCreateApiKey() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: NewApiKey) => api.post<CreatedApiKey>('/api-keys', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  })
}

export function useRevokeApiKey() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api-keys/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  })
}
