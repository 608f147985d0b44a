// Moving between sibling messages ("2 / 3"). The server selects a branch by any message on it
// (PATCH selectedLeafId); the ids of a message's siblings come with the message (`siblingIds`).
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { Message } from '../types'
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

/** The sibling to show one step away from `message`, or null when there is none. */
export function siblingTarget(message: Message, direction: Direction): string | null {
  const index = siblingIndexAfter(message, direction)
  if (index === null) return null
  const target = message.siblingIds[index]
  return target ?? null
}

/** Switches the conversation to the sibling one step away, then shows that branch. */
export function useSwitchBranch() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async ({ message, direction }: { message: Message; direction: Direction }) => {
      const target = siblingTarget(message, direction)
      return target ? updateConversation(api, message.conversationId, { selectedLeafId: target }) : null
    },
    onSuccess: async (conversation) => {
      if (!conversation) return
      applyConversation(queryClient, conversation)
      await refreshThread(queryClient, conversation.id)
    },
  })
}
