// Shares one ReplyStreams (the followers of replies being written) with the chat page, and reads
// a reply live: the streamed text while it is written, the stored message once it is done.
import { useQueryClient } from '@tanstack/react-query'
import {
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react'
import { useApiClient } from '@/lib/api-context'
import { chatKeys } from '../api/keys'
import { type FollowedReply, ReplyStreams } from '../api/reply-streams'
import { refreshThread } from '../api/thread'
import type { Message, MessageState, Usage } from '../types'

const ReplyStreamsContext = createContext<ReplyStreams | null>(null)

export function ReplyStreamsProvider({ children }: { children: ReactNode }) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const [streams] = useState(
    () =>
      new ReplyStreams({
        api,
        onSettled: (conversationId) => {
          void refreshThread(queryClient, conversationId)
          // The first reply may bring an automatic title; the list shows the latest activity.
          void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
        },
      }),
  )
  useEffect(() => () => streams.close(), [streams])
  return <ReplyStreamsContext.Provider value={streams}>{children}</ReplyStreamsContext.Provider>
}

export function useReplyStreams(): ReplyStreams {
  const streams = useContext(ReplyStreamsContext)
  if (!streams) throw new Error('useReplyStreams must be used inside <ReplyStreamsProvider>')
  return streams
}

export interface LiveReply {
  text: string
  state: MessageState
  error: string | null
  usage: Usage | null
  /** Following the stream failed; the reply may still be written on the server. */
  lostConnection: string | null
}

const NO_KEY = ''

/** A message as it is now: for a reply being written, its followed stream. */
export function useLiveReply(message: Message): LiveReply
export function useLiveReply(message: Message | undefined): LiveReply | null
export function useLiveReply(message: Message | undefined): LiveReply | null {
  const streams = useReplyStreams()
  const streaming = message?.role === 'assistant' && message.state === 'streaming' && message.generationId
  const key = streaming ? (message.generationId ?? NO_KEY) : NO_KEY
  const followed: FollowedReply | undefined = useSyncExternalStore(
    (listener) => (key ? streams.subscribe(key, listener) : () => undefined),
    () => (key ? streams.get(key) : undefined),
    // Nothing is followed on the server: a page rendered there shows the message as stored.
    () => undefined,
  )
  const conversationId = message?.conversationId ?? ''
  const seed = useRef<{ text: string; seq: number | null }>({ text: '', seq: null })
  seed.current = { text: message?.content ?? '', seq: message?.streamSeq ?? null }
  useEffect(() => {
    // Only a new generation starts a follower (seeded with the text the message has); later
    // text arrives on the stream itself.
    if (key) streams.follow(key, conversationId, seed.current)
  }, [streams, key, conversationId])
  if (!message) return null
  if (!streaming || !followed) {
    return {
      text: message.content,
      state: message.state,
      error: message.error,
      usage: message.usage,
      lostConnection: null,
    }
  }
  return {
    text: followed.text,
    state: followed.finished ? followed.state : 'streaming',
    error: followed.error,
    usage: followed.usage,
    lostConnection: followed.lostConnection,
  }
}

/**
 * Only whether a reply is still being written (and how it ended): for the page around the
 * thread, which must not re-render on every streamed word.
 */
export function useReplyState(message: Message | undefined): MessageState | null {
  const streams = useReplyStreams()
  const key =
    message?.role === 'assistant' && message.state === 'streaming' && message.generationId
      ? message.generationId
      : NO_KEY
  const followedState = useSyncExternalStore(
    (listener) => (key ? streams.subscribe(key, listener) : () => undefined),
    () => {
      const followed = key ? streams.get(key) : undefined
      return followed?.finished ? followed.state : null
    },
    () => null,
  )
  if (!message) return null
  return followedState ?? message.state
}
