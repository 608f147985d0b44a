// Conversations and messages for tests, shaped like the API's answers.
import type { Conversation, Message } from '../types'

export function conversationFixture(overrides: Partial<Conversation> = {}): Conversation {
  return {
    id: 'c1',
    title: 'A conversation',
    folder: null,
    tags: [],
    pinned: false,
    archived: false,
    modelId: 'm1',
    systemPrompt: null,
    temperature: null,
    topP: null,
    maxTokens: null,
    selectedLeafId: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  }
}

export function messageFixture(id: string, overrides: Partial<Message> = {}): Message {
  return {
    id,
    conversationId: 'c1',
    parentId: null,
    role: 'user',
    content: `message ${id}`,
    state: 'complete',
    error: null,
    modelId: null,
    modelName: null,
    generationId: null,
    usage: null,
    contextTrimmed: 0,
    feedback: null,
    siblingCount: 1,
    siblingIndex: 0,
    siblingIds: [id],
    streamSeq: null,
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  }
}

/** A linear branch m1 → m2 → … alternating user and assistant, oldest first. */
export function branchFixture(count: number, prefix = 'm'): Message[] {
  return Array.from({ length: count }, (_, i) =>
    messageFixture(`${prefix}${i + 1}`, {
      parentId: i === 0 ? null : `${prefix}${i}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
    }),
  )
}
