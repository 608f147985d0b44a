import { describe, expect, it } from 'vitest'
import { branchFixture, conversationFixture, messageFixture } from '../testing/fixtures'
import {
  mergeLatestPage,
  prependOlderPage,
  type Thread,
  withContinuedReply,
  withRegeneratedReply,
  withSentMessage,
} from './thread-cache'

function thread(messages = branchFixture(6), hasMore = false): Thread {
  return {
    conversation: conversationFixture(),
    messages,
    hasMore,
    before: hasMore ? (messages[0]?.id ?? null) : null,
  }
}

const ids = (value: Thread) => value.messages.map((message) => message.id)
const started = (user: string | null, reply: string) => ({
  conversationId: 'c1',
  userMessageId: user,
  assistantMessageId: reply,
  generationId: `g-${reply}`,
  contextTrimmed: 0,
})

describe('mergeLatestPage', () => {
  it('keeps the older pages in front of the refreshed newest page', () => {
    const all = branchFixture(8)
    const cached = { ...thread(all.slice(0, 6), true), before: 'm1' }
    const latest = thread([...all.slice(3, 8)], true)
    const merged = mergeLatestPage(cached, latest)
    expect(ids(merged)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8'])
    expect(merged.hasMore).toBe(true)
    expect(merged.before).toBe('m1')
  })

  it('shows the newest page alone when it does not overlap what is cached (another branch)', () => {
    const cached = thread(branchFixture(6), true)
    const latest = thread(branchFixture(4, 'x'), true)
    expect(ids(mergeLatestPage(cached, latest))).toEqual(['x1', 'x2', 'x3', 'x4'])
  })

  it('takes a complete branch as it is', () => {
    const cached = thread(branchFixture(6), true)
    const latest = thread(branchFixture(2), false)
    expect(mergeLatestPage(cached, latest)).toBe(latest)
  })
})

describe('prependOlderPage', () => {
  it('puts the older page in front when the thread still starts at the anchor', () => {
    const all = branchFixture(6)
    const current = thread(all.slice(3), true)
    const older = thread(all.slice(0, 3), false)
    const next = prependOlderPage(current, older, 'm4')
    expect(ids(next)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6'])
    expect(next.hasMore).toBe(false)
  })

  it('ignores a page that arrives after the thread moved on', () => {
    const current = thread(branchFixture(3, 'x'), true)
    const older = thread(branchFixture(2), false)
    expect(prependOlderPage(current, older, 'm3')).toBe(current)
  })
})

describe('optimistic replies', () => {
  it('shows a sent message and its empty streaming reply under the parent', () => {
    const next = withSentMessage(thread(), started('u7', 'a8'), {
      content: 'Hi',
      parentId: 'm6',
      model: { id: 'm1', name: 'llama3.2:1b' },
    })
    expect(ids(next)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'u7', 'a8'])
    expect(next.messages.at(-1)).toMatchObject({
      state: 'streaming',
      generationId: 'g-a8',
      streamSeq: 0,
      content: '',
    })
    expect(next.conversation.selectedLeafId).toBe('a8')
  })

  it('an edit cuts the branch at the edited message and adds a new version', () => {
    const branch = branchFixture(6)
    const edited = branch[2]!
    const next = withSentMessage(thread(branch), started('u9', 'a9'), {
      content: 'Better question',
      parentId: edited.parentId,
      model: null,
      editOf: edited,
    })
    expect(ids(next)).toEqual(['m1', 'm2', 'u9', 'a9'])
    expect(next.messages[2]).toMatchObject({ content: 'Better question', siblingCount: 2, siblingIndex: 1 })
  })

  it('a regenerated reply replaces the reply and what follows, as a new version', () => {
    const branch = branchFixture(6)
    const next = withRegeneratedReply(thread(branch), started(null, 'r1'), branch[3]!)
    expect(ids(next)).toEqual(['m1', 'm2', 'm3', 'r1'])
    expect(next.messages.at(-1)).toMatchObject({ parentId: 'm3', siblingCount: 2, siblingIndex: 1 })
  })

  it('a continued reply streams again from its text', () => {
    const reply = messageFixture('a2', { role: 'assistant', state: 'stopped', content: 'half' })
    const next = withContinuedReply(thread([messageFixture('u1'), reply]), started(null, 'a2'))
    expect(next.messages[1]).toMatchObject({
      state: 'streaming',
      content: 'half',
      generationId: 'g-a2',
      streamSeq: 0,
    })
  })
})
