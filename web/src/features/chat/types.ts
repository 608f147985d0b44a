// The chat API's shapes, as server/src/chat/schemas.ts answers them.

export type MessageState = 'streaming' | 'complete' | 'stopped' | 'error' | 'interrupted'
export type MessageRole = 'user' | 'assistant'

export interface ConversationSettings {
  modelId: string | null
  systemPrompt: string | null
  temperature: number | null
  topP: number | null
  maxTokens: number | null
}

export interface Conversation extends ConversationSettings {
  id: string
  title: string
  folder: string | null
  tags: string[]
  pinned: boolean
  archived: boolean
  selectedLeafId: string | null
  createdAt: string
  updatedAt: string
}

export interface Usage {
  inputTokens: number | null
  outputTokens: number | null
  ttftMs: number | null
  durationMs: number | null
  cost: number | null
}

export interface Feedback {
  rating: 'up' | 'down'
  comment: string | null
}

export interface Message {
  id: string
  conversationId: string
  parentId: string | null
  role: MessageRole
  content: string
  state: MessageState
  error: string | null
  modelId: string | null
  modelName: string | null
  generationId: string | null
  usage: Usage | null
  /** How many older messages were left out of the context this reply was written from. */
  contextTrimmed: number
  feedback: Feedback | null
  siblingCount: number
  siblingIndex: number
  /** Ids of the siblings (itself included) in order, when the server sends them. */
  siblingIds: string[]
  /** While streaming: the event id the content includes. */
  streamSeq: number | null
  createdAt: string
  updatedAt: string
}

export interface MessagePage {
  items: Message[]
  hasMore: boolean
  before: string | null
}

export interface ConversationDetail extends Conversation {
  messages: MessagePage
}

export interface ConversationPage {
  items: Conversation[]
  nextCursor: string | null
}

export interface StartedReply {
  conversationId: string
  userMessageId: string | null
  assistantMessageId: string
  generationId: string
  contextTrimmed: number
}

export interface SnippetPiece {
  text: string
  highlight: boolean
}

export interface SearchHit {
  conversationId: string
  conversationTitle: string
  messageId: string | null
  role: MessageRole | null
  snippet: SnippetPiece[]
  createdAt: string
}

export interface ChatPreset extends ConversationSettings {
  id: string
  name: string
  createdAt: string
  updatedAt: string
}

/** A model as the chat offers it: the app composes this from the LLM Manager's catalog. */
export interface ChatModelOption {
  id: string
  name: string
  label: string
  status: string
  statusReason: string | null
  contextLength: number | null
  /** False when no host can serve it right now (unreachable, error). */
  ready: boolean
}

export interface ExportedConversation {
  conversation: Conversation
  messages: Omit<Message, 'siblingCount' | 'siblingIndex' | 'siblingIds' | 'streamSeq'>[]
}
