import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'

export interface InstanceSettings {
  registrationOpen: boolean
}

export const instanceSettingsKey = ['admin', 'settings'] as const

export function instanceSettingsQueryOptions(api: ApiClient) {
  return queryOptions({
    queryKey: instanceSettingsKey,
    queryFn: ({ signal }) => api.get<InstanceSettings>('/admin/settings', undefined, signal),
  })
}

export function useInstanceSettings() {
  return useQuery(instanceSettingsQueryOptions(useApiClient()))
}

export function useUpdateInstanceSettings() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (patch: Partial<InstanceSettings>) => api.patch<InstanceSettings>('/admin/settings', patch),
    onSuccess: (settings) => {
      queryClient.setQueryData(instanceSettingsKey, settings)
      // The public sign-up page reads the same flag.
      return queryClient.invalidateQueries({ queryKey: ['auth', 'status'] })
    },
  })
}
