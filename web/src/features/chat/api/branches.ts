// Moving between sibling messages ("2 / 3"). The server selects a branch by any message on it
// (PATCH selectedLeafId); the ids of a message's siblings come with the message when the server
// sends `siblingIds`, else from the conversation's tree (the JSON export), ordered as the server
// orders siblings: by id, which is sortable by creation time.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { ExportedConversation, Message } from '../types'
import { applyConversation, updateConversation } from './conversations'
import { refreshThread } from './thread'

export type Direction = 'previous' | 'next'

/** The sibling index one step away, or null at either end. */
export function siblingIndexAfter(
  message: Pick<Message, 'siblingIndex' | 'siblingCount'>,
  direction: Direction,
) {
  const index = message.siblingIndex + (direction === 'next' ? 1 : -1)
  return index >= 0 && index < message.siblingCount ? index : null
}

/** The ids of the children of `parentId` (null: the roots), in the server's sibling order. */
export function siblingIdsIn(
  messages: readonly { id: string; parentId: string | null }[],
  parentId: string | null,
): string[] {
  return messages
    .filter((message) => message.parentId === parentId)
    .map((message) => message.id)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The sibling to show one step away from `message`, or null when there is none. */
export async function siblingTarget(
  api: ApiClient,
  message: Message,
  direction: Direction,
): Promise<string | null> {
  const index = siblingIndexAfter(message, direction)
  if (index === null) return null
  let ids = message.siblingIds
  if (!ids) {
    const tree = await api.get<ExportedConversation>(
      `/conversations/${encodeURIComponent(message.conversationId)}/export`,
      { format: 'json' },
    )
    ids = siblingIdsIn(tree.messages, message.parentId)
  }
  // The tree may have changed since the message was fetched: find it again and step from there.
  const at = ids.indexOf(message.id)
  const target = ids[(at >= 0 ? at : message.siblingIndex) + (direction === 'next' ? 1 : -1)]
  return target ?? null
}

/** Switches the conversation to the sibling one step away, then shows that branch. */
export function useSwitchBranch() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ message, direction }: { message: Message; direction: Direction }) => {
      const target = await siblingTarget(api, message, direction)
      return target ? updateConversation(api, message.conversationId, { selectedLeafId: target }) : null
    },
    onSuccess: async (conversation) => {
      if (!conversation) return
      applyConversation(queryClient, conversation)
      await refreshThread(queryClient, conversation.id)
    },
  })
}
