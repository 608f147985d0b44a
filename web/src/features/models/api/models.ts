// The model catalog: list (live-corrected), refresh, start/stop, settings, delete from a host.
import { type QueryClient, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient, useCurrentUser } from '@/lib/api-context'
import { modelsKey } from '@/lib/query-keys'
import type { ItemList, Role } from '@/types/api'
import type { Model, ModelPricing } from '../types'
import { applyModelSnapshot, modelEventLog, withNewerEvents } from './model-cache'

async function fetchModels(
  api: ApiClient,
  queryClient: QueryClient,
  role: Role,
  options: { refresh?: boolean; signal?: AbortSignal } = {},
): Promise<Model[]> {
  const log = modelEventLog(queryClient)
  const mark = log.mark()
  const list = await api.get<ItemList<Model>>(
    '/models',
    options.refresh ? { refresh: 'true' } : undefined,
    options.signal,
  )
  return withNewerEvents(list.items, log, mark, role)
}

export function modelsQueryOptions(api: ApiClient, queryClient: QueryClient, role: Role) {
  return queryOptions({
    queryKey: modelsKey,
    queryFn: ({ signal }) => fetchModels(api, queryClient, role, { signal }),
  })
}

export function useModels() {
  const user = useCurrentUser()
  return useQuery(modelsQueryOptions(useApiClient(), useQueryClient(), user.role))
}

/** Admins: ask every host what it has and runs now, instead of waiting for the next cycle. */
export function useRefreshModels() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const user = useCurrentUser()
  return useMutation({
    mutationFn: () => fetchModels(api, queryClient, user.role, { refresh: user.role === 'admin' }),
    onSuccess: (models) => queryClient.setQueryData(modelsKey, models),
  })
}

export const modelControlKey = ['models', 'control'] as const

export interface ModelControl {
  action: 'start' | 'stop'
  model: Model
  hostId?: string
  /** Ollama keep-alive for start: '5m', '1h', '-1' (until stopped). */
  keepAlive?: string
}

/** Start (load) or stop (unload) a model; the 202 says `loading`, the outcome arrives live. */
export function useControlModel() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const user = useCurrentUser()
  return useMutation({
    mutationKey: modelControlKey,
    mutationFn: ({ action, model, hostId, keepAlive }: ModelControl) => {
      const mark = modelEventLog(queryClient).mark()
      const body = action === 'start' ? { hostId, keepAlive } : { hostId }
      return api
        .post<Model>(`/models/${encodeURIComponent(model.id)}/${action}`, body)
        .then((answer) => ({ answer, mark }))
    },
    onSuccess: ({ answer, mark }) => applyModelSnapshot(queryClient, answer, mark, user.role),
  })
}

export interface ModelSettings {
  enabled?: boolean
  displayName?: string | null
  allowedRoles?: Role[]
  pricing?: ModelPricing
  fallbackModelId?: string | null
}

export function useUpdateModel() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const user = useCurrentUser()
  return useMutation({
    mutationFn: ({ id, settings }: { id: string; settings: ModelSettings }) => {
      const mark = modelEventLog(queryClient).mark()
      return api
        .patch<Model>(`/models/${encodeURIComponent(id)}`, settings)
        .then((answer) => ({ answer, mark }))
    },
    onSuccess: ({ answer, mark }) => applyModelSnapshot(queryClient, answer, mark, user.role),
  })
}

/** Deletes a model's files from one host (the catalog entry stays while another host has it). */
export function useDeleteModelFromHost() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ providerId, name }: { providerId: string; name: string }) =>
      api.delete(`/providers/${encodeURIComponent(providerId)}/models/${encodeURIComponent(name)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: modelsKey }),
  })
}
