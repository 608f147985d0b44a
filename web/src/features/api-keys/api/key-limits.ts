import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { GatewayLimits } from '@/components/limits-form'
import { useApiClient } from '@/lib/api-context'
import { apiKeysKey } from './api-keys'

/** A key's limits, and its owner's, which the key's may only narrow. */
export interface KeyLimits {
  limits: GatewayLimits
  userLimits: GatewayLimits
}

const limitsKey = (keyId: string) => [...apiKeysKey, keyId, 'limits'] as const

export function useKeyLimits(keyId: string) {
  const api = useApiClient()
  return useQuery({
    queryKey: limitsKey(keyId),
    queryFn: ({ signal }) =>
      api.get<KeyLimits>(`/api-keys/${encodeURIComponent(keyId)}/limits`, undefined, signal),
  })
}

export function useSaveKeyLimits(keyId: string) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (limits: GatewayLimits) =>
      api.patch<KeyLimits>(`/api-keys/${encodeURIComponent(keyId)}/limits`, limits),
    onSuccess: (saved) => queryClient.setQueryData(limitsKey(keyId), saved),
  })
}
