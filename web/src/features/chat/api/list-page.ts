// One page of a conversation list as the API is asked for it. On its own (no dependencies) so
// that the app's entry can request the chat page's lists while the app's code is still loading.
import type { ApiClient } from '@/lib/api-client'
import type { ConversationFilter } from './keys'

const LIST_PAGE = 30

export function conversationListPage(filter: ConversationFilter, cursor?: string) {
  return {
    path: '/conversations',
    query: {
      limit: filter.pinned ? 100 : LIST_PAGE,
      cursor,
      archived: filter.archived,
      pinned: filter.pinned,
    },
  }
}

/** The lists the chat page shows at once: the pinned conversations and the recent ones. */
const OPENING_LISTS: readonly ConversationFilter[] = [
  { archived: false, pinned: true },
  { archived: false, pinned: false },
]

/** On the chat page, requests its lists as soon as the session is restored. */
export async function prefetchConversationLists(api: ApiClient, pathname: string): Promise<void> {
  if (!/^\/chat(\/|$)/.test(pathname)) return
  if ((await api.whenRestored()).status !== 'signed-in') return
  await Promise.all(
    OPENING_LISTS.map((filter) => {
      const { path, query } = conversationListPage(filter)
      return api.prefetch(path, query)
    }),
  )
}
