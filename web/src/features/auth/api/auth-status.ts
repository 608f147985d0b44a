import { queryOptions, useQuery } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'

export interface AuthStatus {
  registrationOpen: boolean
  hasUsers: boolean
}

export const authStatusKey = ['auth', 'status'] as const

export function getAuthStatus(api: ApiClient): Promise<AuthStatus> {
  return api.request<AuthStatus>('/auth/status', { auth: false })
}

export function authStatusQueryOptions(api: ApiClient) {
  return queryOptions({ queryKey: authStatusKey, queryFn: () => getAuthStatus(api), staleTime: 30_000 })
}

export function useAuthStatus() {
  return useQuery(authStatusQueryOptions(useApiClient()))
}
