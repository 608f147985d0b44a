// One conversation with its selected branch: the newest page on open, older pages on demand,
// and a refresh that keeps the older pages already loaded.
import { type QueryClient, queryOptions, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useRef, useState } from 'react'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { ConversationDetail } from '../types'
import { chatKeys } from './keys'
import { mergeLatestPage, prependOlderPage, type Thread, threadFromDetail } from './thread-cache'
import { threadPage } from './thread-page'

function fetchPage(api: ApiClient, conversationId: string, before?: string, signal?: AbortSignal) {
  const { path, query } = threadPage(conversationId, before)
  return api.get<ConversationDetail>(path, query, signal).then(threadFromDetail)
}

export function threadQueryOptions(api: ApiClient, queryClient: QueryClient, conversationId: string) {
  return queryOptions({
    queryKey: chatKeys.thread(conversationId),
    queryFn: async ({ signal }) => {
      const latest = await fetchPage(api, conversationId, undefined, signal)
      return mergeLatestPage(queryClient.getQueryData<Thread>(chatKeys.thread(conversationId)), latest)
    },
    // Replies arrive by stream and pushed events; refetching on focus would only repeat them.
    refetchOnWindowFocus: false,
  })
}

export function useThread(conversationId: string | undefined) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useQuery({
    ...threadQueryOptions(api, queryClient, conversationId ?? ''),
    enabled: conversationId !== undefined,
    // The page requested by main.tsx on opening this address, if it is already here: the first
    // render shows the messages instead of a render without them and one more with them.
    initialData: () => {
      if (conversationId === undefined) return undefined
      const { path, query } = threadPage(conversationId)
      const detail = api.takeArrived<ConversationDetail>(path, query)
      return detail ? threadFromDetail(detail) : undefined
    },
  })
}

/** Fetches the page above the first loaded message; one request at a time. */
export function useLoadOlder(conversationId: string | undefined) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const inFlight = useRef(false)

  const loadOlder = useCallback(async () => {
    if (!conversationId || inFlight.current) return
    const key = chatKeys.thread(conversationId)
    const thread = queryClient.getQueryData<Thread>(key)
    const anchor = thread?.messages[0]?.id
    if (!thread?.hasMore || !thread.before || !anchor) return
    inFlight.current = true
    setLoading(true)
    setError(null)
    try {
      const older = await fetchPage(api, conversationId, thread.before)
      queryClient.setQueryData<Thread>(key, (current) =>
        current ? prependOlderPage(current, older, anchor) : current,
      )
    } catch (failure) {
      setError(failure)
    } finally {
      inFlight.current = false
      setLoading(false)
    }
  }, [api, queryClient, conversationId])

  return { loadOlder, loading, error }
}

/** Fetches the newest page again, keeping older pages (after a send, a branch switch, a reply). */
export function refreshThread(queryClient: QueryClient, conversationId: string): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: chatKeys.thread(conversationId), exact: true })
}
