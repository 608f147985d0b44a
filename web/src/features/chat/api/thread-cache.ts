// The open conversation as the cache keeps it: its settings and a contiguous stretch of the
// selected branch, oldest first, ending at the leaf. Pages are fetched newest first; these pure
// functions fold a fetched page into what is cached without losing the older pages already
// loaded (a 10,000-message chat is never fetched whole).
import type { Conversation, ConversationDetail, Message, StartedReply } from '../types'

export interface Thread {
  conversation: Conversation
  messages: Message[]
  /** Older messages exist above the first one. */
  hasMore: boolean
  /** Cursor for the older page. */
  before: string | null
}

export function threadFromDetail(detail: ConversationDetail): Thread {
  const { messages, ...conversation } = detail
  return { conversation, messages: messages.items, hasMore: messages.hasMore, before: messages.before }
}

/**
 * The newest page, with the cached older messages kept in front of it. A branch is a path from
 * the root, so when the page's first message is among the cached ones, everything cached before
 * it is that message's ancestry and still valid; otherwise (another branch, far away) the page
 * alone is the thread.
 */
export function mergeLatestPage(cached: Thread | undefined, latest: Thread): Thread {
  const first = latest.messages[0]
  if (!cached || !first || !latest.hasMore) return latest
  const at = cached.messages.findIndex((message) => message.id === first.id)
  if (at <= 0) return latest
  return {
    ...latest,
    messages: [...cached.messages.slice(0, at), ...latest.messages],
    hasMore: cached.hasMore,
    before: cached.before,
  }
}

/** An older page in front of the thread, if the thread still starts where that page was asked from. */
export function prependOlderPage(thread: Thread, older: Thread, anchorId: string): Thread {
  if (thread.messages[0]?.id !== anchorId) return thread
  const known = new Set(thread.messages.map((message) => message.id))
  return {
    ...thread,
    messages: [...older.messages.filter((message) => !known.has(message.id)), ...thread.messages],
    hasMore: older.hasMore,
    before: older.before,
  }
}

function placeholder(
  fields: Pick<Message, 'id' | 'conversationId' | 'parentId' | 'role' | 'content' | 'state'> &
    Partial<Message>,
): Message {
  const now = new Date().toISOString()
  return {
    error: null,
    modelId: null,
    modelName: null,
    generationId: null,
    usage: null,
    contextTrimmed: 0,
    feedback: null,
    siblingCount: 1,
    siblingIndex: 0,
    streamSeq: null,
    createdAt: now,
    updatedAt: now,
    ...fields,
    siblingIds: fields.siblingIds ?? [fields.id],
  }
}

/** The branch cut just below `parentId` (or emptied for a new root). */
function branchUpTo(messages: readonly Message[], parentId: string | null): Message[] | null {
  if (parentId === null) return []
  const at = messages.findIndex((message) => message.id === parentId)
  return at < 0 ? null : messages.slice(0, at + 1)
}

export interface SentMessage {
  content: string
  parentId: string | null
  model: { id: string; name: string } | null
  /** The edited message, whose siblings the new one joins. */
  editOf?: Message
}

/** Shows a just-sent message and its (empty) reply at once, before the thread is fetched again. */
export function withSentMessage(thread: Thread, started: StartedReply, sent: SentMessage): Thread {
  const branch = branchUpTo(thread.messages, sent.parentId)
  if (!branch || !started.userMessageId) return thread
  const siblingIds = [...(sent.editOf?.siblingIds ?? []), started.userMessageId]
  const siblingCount = siblingIds.length
  const user = placeholder({
    id: started.userMessageId,
    conversationId: thread.conversation.id,
    parentId: sent.parentId,
    role: 'user',
    content: sent.content,
    state: 'complete',
    siblingCount,
    siblingIndex: siblingCount - 1,
    siblingIds,
  })
  const reply = placeholder({
    id: started.assistantMessageId,
    conversationId: thread.conversation.id,
    parentId: user.id,
    role: 'assistant',
    content: '',
    state: 'streaming',
    generationId: started.generationId,
    streamSeq: 0,
    modelId: sent.model?.id ?? null,
    modelName: sent.model?.name ?? null,
    contextTrimmed: started.contextTrimmed,
  })
  return {
    ...thread,
    conversation: { ...thread.conversation, selectedLeafId: reply.id },
    messages: [...branch, user, reply],
    hasMore: sent.parentId === null ? false : thread.hasMore,
    before: sent.parentId === null ? null : thread.before,
  }
}

/** A regenerated reply: a new sibling of `previous`, selected, empty and streaming. */
export function withRegeneratedReply(thread: Thread, started: StartedReply, previous: Message): Thread {
  // A reply gets a sibling; a user message whose reply was deleted gets a first reply.
  const question = previous.role === 'assistant' ? previous.parentId : previous.id
  const branch = branchUpTo(thread.messages, question)
  if (!branch) return thread
  const siblingIds = [
    ...(previous.role === 'assistant' ? previous.siblingIds : []),
    started.assistantMessageId,
  ]
  const siblingCount = siblingIds.length
  const reply = placeholder({
    id: started.assistantMessageId,
    conversationId: thread.conversation.id,
    parentId: question,
    role: 'assistant',
    content: '',
    state: 'streaming',
    generationId: started.generationId,
    streamSeq: 0,
    modelId: previous.modelId,
    modelName: previous.modelName,
    contextTrimmed: started.contextTrimmed,
    siblingCount,
    siblingIndex: siblingCount - 1,
    siblingIds,
  })
  return {
    ...thread,
    conversation: { ...thread.conversation, selectedLeafId: reply.id },
    messages: [...branch, reply],
  }
}

/** A continued reply streams again from the text it has. */
export function withContinuedReply(thread: Thread, started: StartedReply): Thread {
  return {
    ...thread,
    messages: thread.messages.map((message) =>
      message.id === started.assistantMessageId
        ? {
            ...message,
            state: 'streaming',
            error: null,
            usage: null,
            generationId: started.generationId,
            streamSeq: 0,
            contextTrimmed: started.contextTrimmed,
          }
        : message,
    ),
  }
}

export function withMessage(thread: Thread, updated: Message): Thread {
  return {
    ...thread,
    messages: thread.messages.map((message) =>
      message.id === updated.id ? { ...message, ...updated } : message,
    ),
  }
}
