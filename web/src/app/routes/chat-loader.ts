// Starts fetching the open conversation as soon as the session is known, alongside the chat
// page's code, instead of after the page has rendered: the conversation does not wait for both.
import type { QueryClient } from '@tanstack/react-query'
import type { LoaderFunctionArgs } from 'react-router'
import { threadQueryOptions } from '@/features/chat/api/thread'
import type { ApiClient } from '@/lib/api-client'

export function chatLoader(api: ApiClient, queryClient: QueryClient) {
  return async ({ params }: LoaderFunctionArgs): Promise<null> => {
    const { conversationId } = params
    if (!conversationId) return null
    const session = await api.whenRestored()
    // Not awaited: the page shows at once, and its query picks up the request in flight.
    if (session.status === 'signed-in') {
      void queryClient.prefetchQuery(threadQueryOptions(api, queryClient, conversationId))
    }
    return null
  }
}
