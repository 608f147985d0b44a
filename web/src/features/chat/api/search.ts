// Full-text search over the caller's conversation titles and messages.
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { SearchHit } from '../types'
import { chatKeys } from './keys'

export function useChatSearch(query: string) {
  const api = useApiClient()
  const q = query.trim()
  return useQuery({
    queryKey: chatKeys.search(q),
    queryFn: ({ signal }) => api.get<{ items: SearchHit[] }>('/search', { q, limit: 20 }, signal),
    enabled: q.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}
