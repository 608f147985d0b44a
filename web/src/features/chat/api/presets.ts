// A user's saved chat presets: a model and its settings under a name.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { ChatPreset, ConversationSettings } from '../types'
import { chatKeys } from './keys'

export function usePresets() {
  const api = useApiClient()
  return useQuery({
    queryKey: chatKeys.presets,
    queryFn: ({ signal }) => api.get<{ items: ChatPreset[] }>('/chat-presets', undefined, signal),
    select: (data) => data.items,
  })
}

export function useCreatePreset() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (preset: Partial<ConversationSettings> & { name: string }) =>
      api.post<ChatPreset>('/chat-presets', preset),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.presets }),
  })
}

export function useDeletePreset() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/chat-presets/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: chatKeys.presets }),
  })
}
