import { describe, expect, it } from 'vitest'
import { messageFixture } from '../testing/fixtures'
import { siblingIndexAfter, siblingTarget } from './branches'

describe('branch navigation', () => {
  it('steps between versions and stops at either end', () => {
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 3 }, 'next')).toBe(1)
    expect(siblingIndexAfter({ siblingIndex: 2, siblingCount: 3 }, 'previous')).toBe(1)
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 3 }, 'previous')).toBeNull()
    expect(siblingIndexAfter({ siblingIndex: 2, siblingCount: 3 }, 'next')).toBeNull()
    expect(siblingIndexAfter({ siblingIndex: 0, siblingCount: 1 }, 'next')).toBeNull()
  })

  it('steps to the neighbouring sibling id the message carries', () => {
    const message = messageFixture('b', { siblingIds: ['a', 'b', 'c'], siblingIndex: 1, siblingCount: 3 })
    expect(siblingTarget(message, 'next')).toBe('c')
    expect(siblingTarget(message, 'previous')).toBe('a')
    expect(siblingTarget({ ...message, siblingIndex: 2 }, 'next')).toBeNull()
    expect(siblingTarget({ ...message, siblingIndex: 0 }, 'previous')).toBeNull()
  })
})
