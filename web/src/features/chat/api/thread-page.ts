// The request for a page of a conversation's selected branch, newest first. On its own (no
// dependencies) so that the app's entry can request the open conversation before the app loads.
import type { ApiClient } from '@/lib/api-client'

export const PAGE_SIZE = 50

export function threadPage(conversationId: string, before?: string) {
  return {
    path: `/conversations/${encodeURIComponent(conversationId)}`,
    query: { limit: PAGE_SIZE, before },
  }
}

/**
 * On a conversation's address (`/chat/:id`), requests its newest page as soon as the session is
 * restored, while the app's code is still loading; the thread's query takes the response.
 * Resolves once that response is here (at once when there is nothing to request).
 */
export async function prefetchOpenConversation(api: ApiClient, pathname: string): Promise<void> {
  const encoded = /^\/chat\/([^/]+)\/?$/.exec(pathname)?.[1]
  if (!encoded) return
  let conversationId: string
  try {
    conversationId = decodeURIComponent(encoded)
  } catch {
    return // not a valid address: the page says so
  }
  if ((await api.whenRestored()).status !== 'signed-in') return
  const { path, query } = threadPage(conversationId)
  await api.prefetch(path, query)
}
