// Conversations and messages for tests, shaped like the API's answers, and thread actions.
import { vi } from 'vitest'
import type { ThreadActions } from '../hooks/thread-actions'
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

/** Thread actions that do nothing (spies where a test may look at the calls). */
export function threadActionsFixture(): ThreadActions {
  return {
    edit: async () => true,
    regenerate: vi.fn(),
    continueReply: vi.fn(),
    deleteBranch: async () => undefined,
    switchBranch: vi.fn(),
    rate: async () => undefined,
    busy: false,
    switching: false,
  }
}
