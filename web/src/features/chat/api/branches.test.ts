import { describe, expect, it, vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'
import { messageFixture } from '../testing/fixtures'
import { siblingIdsIn, siblingIndexAfter, siblingTarget } from './branches'

describe('branch navigation', () => {
  it('steps between versions and stops at either end', () => {
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 3 }, 'next')).toBe(1)
    expect(siblingIndexAfter({ siblingIndex: 2, siblingCount: 3 }, 'previous')).toBe(1)
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 3 }, 'previous')).toBeNull()
    expect(siblingIndexAfter({ siblingIndex: 2, siblingCount: 3 }, 'next')).toBeNull()
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 1 }, 'next')).toBeNull()
  })

  it('orders siblings as the server does: by id, which sorts by creation', () => {
    const tree = [
      { id: '01C', parentId: 'p' },
      { id: '01A', parentId: 'p' },
      { id: '01B', parentId: 'other' },
      { id: '01D', parentId: 'p' },
      { id: '00Z', parentId: null },
    ]
    expect(siblingIdsIn(tree, 'p')).toEqual(['01A', '01C', '01D'])
    expect(siblingIdsIn(tree, null)).toEqual(['00Z'])
  })

  it('uses the sibling ids a message carries without asking the server', async () => {
    const fetch = vi.fn()
    const message = messageFixture('b', { siblingIds: ['a', 'b', 'c'], siblingIndex: 1, siblingCount: 3 })
    const api = new ApiClient({ fetch })
    await expect(siblingTarget(api, message, 'next')).resolves.toBe('c')
    await expect(siblingTarget(api, message, 'previous')).resolves.toBe('a')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('finds the sibling in the conversation tree otherwise', async () => {
    const tree = {
      conversation: {},
      messages: [
        { id: '01A', parentId: 'p1' },
        { id: '01B', parentId: 'p1' },
        { id: '01C', parentId: 'p1' },
      ],
    }
    const fetch = vi.fn(
      async (_input: RequestInfo | URL, _init?: RequestInit) =>
        new Response(JSON.stringify(tree), { status: 200, headers: { 'content-type': 'application/json' } }),
    )
    const message = messageFixture('01B', {
      conversationId: 'c9',
      parentId: 'p1',
      siblingIndex: 1,
      siblingCount: 3,
    })
    await expect(siblingTarget(new ApiClient({ fetch }), message, 'next')).resolves.toBe('01C')
    expect(String(fetch.mock.calls[0]?.[0])).toBe('/api/v1/conversations/c9/export?format=json')
    await expect(
      siblingTarget(new ApiClient({ fetch }), { ...message, siblingIndex: 2 }, 'next'),
    ).resolves.toBeNull()
  })
})
