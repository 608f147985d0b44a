// Pushed chat events: a new title (auto-titled after the first reply), and replies started or
// finished elsewhere (another tab or device) for a conversation this tab has open.
import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import type { RealtimeEvent } from '@/lib/realtime'
import { useRealtime } from '@/lib/realtime-context'
import { applyConversation } from '../api/conversations'
import { chatKeys } from '../api/keys'
import { refreshThread } from '../api/thread'
import { useReplyStreams } from './reply-streams-context'

export function useLiveChatUpdates() {
  const realtime = useRealtime()
  const queryClient = useQueryClient()
  const streams = useReplyStreams()

  useEffect(() => {
    const offTitle = realtime.on('conversation.updated', (event) => {
      if (typeof event.conversationId !== 'string') return
      if (typeof event.title === 'string') {
        applyConversation(queryClient, { id: event.conversationId, title: event.title })
      } else {
        void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
      }
    })
    const elsewhere = (event: RealtimeEvent) => {
      if (typeof event.conversationId !== 'string' || typeof event.generationId !== 'string') return
      if (streams.has(event.generationId)) return
      void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
      if (queryClient.getQueryData(chatKeys.thread(event.conversationId))) {
        void refreshThread(queryClient, event.conversationId)
      }
    }
    const offStarted = realtime.on('generation.started', elsewhere)
    const offDone = realtime.on('generation.done', elsewhere)
    return () => {
      offTitle()
      offStarted()
      offDone()
    }
  }, [realtime, queryClient, streams])
}
