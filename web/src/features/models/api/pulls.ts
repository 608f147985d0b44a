// Model pulls: server-side state read from GET /pulls and kept live by `pull.progress` events,
// so a reload or a second browser shows the same progress.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { ItemList } from '@/types/api'
import type { Pull } from '../types'
import { applyPullEvent, mergePulls, pullsKey } from './model-cache'

export function usePulls(enabled: boolean) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useQuery(
    queryOptions({
      queryKey: pullsKey,
      queryFn: async ({ signal }) => {
        const list = await api.get<ItemList<Pull>>('/pulls', undefined, signal)
        return mergePulls(list.items, queryClient.getQueryData<Pull[]>(pullsKey))
      },
      enabled,
    }),
  )
}

/** A model by name onto an Ollama host, or a GGUF file by URL (sha256 optional) into the embedded engine. */
export type PullRequest = { providerId: string } & ({ model: string } | { url: string; sha256?: string })

export function useStartPull() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ providerId, ...body }: PullRequest) =>
      api.post<Pull>(`/providers/${encodeURIComponent(providerId)}/pulls`, body),
    onSuccess: (pull) => {
      if (queryClient.getQueryData(pullsKey)) applyPullEvent(queryClient, pull)
      else void queryClient.invalidateQueries({ queryKey: pullsKey })
    },
  })
}

export function useCancelPull() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete<Pull>(`/pulls/${encodeURIComponent(id)}`),
    onSuccess: (pull) => applyPullEvent(queryClient, pull),
  })
}
