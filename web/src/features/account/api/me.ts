import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { User } from '@/types/api'

export const meKey = ['me'] as const

export function meQueryOptions(api: ApiClient) {
  return queryOptions({ queryKey: meKey, queryFn: ({ signal }) => api.get<User>('/me', undefined, signal) })
}

export function useMe() {
  return useQuery(meQueryOptions(useApiClient()))
}

export function useUpdateProfile() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (profile: { name: string }) => api.patch<User>('/me', profile),
    onSuccess: (user) => {
      queryClient.setQueryData(meKey, user)
      api.updateSessionUser(user)
    },
  })
}
