// What a user does to messages: send (or edit, which sends a sibling), regenerate, continue,
// stop, delete a branch, rate. Replies are written on the server; each call answers at once and
// the reply is followed on its generation's event stream.
import { type QueryClient, useMutation, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { Message, StartedReply } from '../types'
import { chatKeys } from './keys'
import { refreshThread } from './thread'
import {
  type SentMessage,
  type Thread,
  withContinuedReply,
  withMessage,
  withRegeneratedReply,
  withSentMessage,
} from './thread-cache'

function updateThread(queryClient: QueryClient, conversationId: string, update: (thread: Thread) => Thread) {
  queryClient.setQueryData<Thread>(chatKeys.thread(conversationId), (thread) =>
    thread ? update(thread) : thread,
  )
}

/** After a reply starts: the list moves the conversation to the top; the thread gets the real rows. */
function afterStart(queryClient: QueryClient, conversationId: string) {
  void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
  void refreshThread(queryClient, conversationId)
}

export interface SendInput extends SentMessage {
  conversationId: string
}

export function useSendMessage() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ conversationId, content, parentId, model }: SendInput) =>
      api.post<StartedReply>(`/conversations/${encodeURIComponent(conversationId)}/messages`, {
        content,
        parentId,
        ...(model ? { model: model.id } : {}),
      }),
    onSuccess: (started, input) => {
      updateThread(queryClient, input.conversationId, (thread) => withSentMessage(thread, started, input))
      afterStart(queryClient, input.conversationId)
    },
  })
}

export function useRegenerate() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ message }: { message: Message }) =>
      api.post<StartedReply>(`/messages/${encodeURIComponent(message.id)}/regenerate`, {}),
    onSuccess: (started, { message }) => {
      updateThread(queryClient, message.conversationId, (thread) =>
        withRegeneratedReply(thread, started, message),
      )
      afterStart(queryClient, message.conversationId)
    },
  })
}

export function useContinueReply() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ message }: { message: Message }) =>
      api.post<StartedReply>(`/messages/${encodeURIComponent(message.id)}/continue`, {}),
    onSuccess: (started, { message }) => {
      updateThread(queryClient, message.conversationId, (thread) => withContinuedReply(thread, started))
      afterStart(queryClient, message.conversationId)
    },
  })
}

export function useStopGeneration() {
  const api = useApiClient()
  return useMutation({
    mutationFn: (generationId: string) =>
      api.post<{ state: string }>(`/generations/${encodeURIComponent(generationId)}/stop`),
  })
}

export function useDeleteBranch() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (message: Message) => api.delete(`/messages/${encodeURIComponent(message.id)}`),
    onSuccess: (_answer, message) => {
      // The branch below is gone: drop it at once, then fetch the branch the server selected.
      updateThread(queryClient, message.conversationId, (thread) => {
        const at = thread.messages.findIndex((candidate) => candidate.id === message.id)
        return at < 0 ? thread : { ...thread, messages: thread.messages.slice(0, at) }
      })
      void refreshThread(queryClient, message.conversationId)
    },
  })
}

export interface FeedbackInput {
  message: Message
  rating: 'up' | 'down' | null
  comment?: string
}

export function useReplyFeedback() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ message, rating, comment }: FeedbackInput) =>
      api.post<Message>(`/messages/${encodeURIComponent(message.id)}/feedback`, {
        rating,
        ...(comment ? { comment } : {}),
      }),
    onSuccess: (updated) =>
      updateThread(queryClient, updated.conversationId, (thread) => withMessage(thread, updated)),
  })
}
