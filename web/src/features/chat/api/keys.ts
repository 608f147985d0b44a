// Query keys of the chat feature: everything under ['chat'] so a sign-out or a bulk refresh can
// reach it in one call.

export interface ConversationFilter {
  archived: boolean
  pinned?: boolean
}

export const chatKeys = {
  all: ['chat'] as const,
  lists: ['chat', 'conversations'] as const,
  list: (filter: ConversationFilter) => ['chat', 'conversations', filter] as const,
  thread: (conversationId: string) => ['chat', 'thread', conversationId] as const,
  threads: ['chat', 'thread'] as const,
  search: (query: string) => ['chat', 'search', query] as const,
  presets: ['chat', 'presets'] as const,
}
