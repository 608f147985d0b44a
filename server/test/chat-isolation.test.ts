// Per-user isolation: another user's attempt on every chat route that takes an id gets 404 (never
// 403, never data), search and export show only the caller's own conversations, and nothing of
// the owner's changes. Anonymous callers get 401.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatWorld,
  createConversation,
  finished,
  open,
  type Started,
  send,
  startChat,
} from './chat-kit.js'
import { dbKinds, expectProblem, type SignedIn, signUp } from './helpers.js'

describe.each(dbKinds)('chat isolation on %s', (kind) => {
  let w: ChatWorld
  let intruder: SignedIn
  let model: string
  let conversationId: string
  let done: Started
  let live: Started
  let presetId: string

  beforeAll(async () => {
    w = await startChat(kind, { fake: { slowDelayMs: 200 } })
    model = w.models['llama3.2:1b'] as string
    intruder = await signUp(w.app, 'intruder')
    const conversation = await createConversation(w.app, w.user, { modelId: model, title: 'Secret plans' })
    conversationId = conversation.id
    done = await send(w.app, w.user, conversationId, { content: 'The password is swordfish' })
    await finished(w.app, w.user, done)
    w.fake.setMode('slow')
    const second = await createConversation(w.app, w.user, { modelId: model })
    live = await send(w.app, w.user, second.id, { content: 'Still streaming' })
    const preset = await w.app.inject({
      method: 'POST',
      url: '/api/v1/chat-presets',
      headers: w.user.auth,
      payload: { name: 'Private preset' },
    })
    presetId = preset.json().id
  })
  afterAll(() => w.close())

  const attempts = (): Array<[string, InjectOptions]> => {
    const c = conversationId
    const m = done.assistantMessageId
    return [
      ['open a conversation', { url: `/api/v1/conversations/${c}` }],
      ['page a conversation', { url: `/api/v1/conversations/${c}?before=${m}` }],
      [
        'change a conversation',
        { method: 'PATCH', url: `/api/v1/conversations/${c}`, payload: { title: 'Mine' } },
      ],
      ['delete a conversation', { method: 'DELETE', url: `/api/v1/conversations/${c}` }],
      ['export as JSON', { url: `/api/v1/conversations/${c}/export?format=json` }],
      ['export as Markdown', { url: `/api/v1/conversations/${c}/export?format=markdown` }],
      [
        'post a message',
        { method: 'POST', url: `/api/v1/conversations/${c}/messages`, payload: { content: 'hi' } },
      ],
      ['regenerate', { method: 'POST', url: `/api/v1/messages/${m}/regenerate` }],
      ['continue', { method: 'POST', url: `/api/v1/messages/${m}/continue` }],
      ['delete a message', { method: 'DELETE', url: `/api/v1/messages/${done.userMessageId}` }],
      [
        'rate a reply',
        { method: 'POST', url: `/api/v1/messages/${m}/feedback`, payload: { rating: 'down' } },
      ],
      ['follow a finished generation', { url: `/api/v1/generations/${done.generationId}/events` }],
      ['follow a live generation', { url: `/api/v1/generations/${live.generationId}/events` }],
      ['stop a live generation', { method: 'POST', url: `/api/v1/generations/${live.generationId}/stop` }],
      ['read a preset', { url: `/api/v1/chat-presets/${presetId}` }],
      [
        'change a preset',
        { method: 'PATCH', url: `/api/v1/chat-presets/${presetId}`, payload: { name: 'x' } },
      ],
      ['delete a preset', { method: 'DELETE', url: `/api/v1/chat-presets/${presetId}` }],
      ['start from a preset', { method: 'POST', url: '/api/v1/conversations', payload: { presetId } }],
    ]
  }

  it('answers 404 to another user on every route, without any of the owner’s data', async () => {
    for (const [what, options] of attempts()) {
      const response = await w.app.inject({ ...options, headers: intruder.auth })
      const problem = expectProblem(response, 404)
      expect(JSON.stringify(problem), what).not.toMatch(/swordfish|Secret plans|Private preset/)
    }
    // The owner's things are untouched and the live reply was not stopped.
    const view = await open(w.app, w.user, conversationId)
    expect(view.title).toBe('Secret plans')
    expect(view.messages.items.map((m) => m.feedback)).toEqual([null, null])
    expect(w.app.services.chat.runner.writing(live.assistantMessageId)).toBeDefined()
    expect(
      (await w.app.inject({ url: `/api/v1/chat-presets/${presetId}`, headers: w.user.auth })).statusCode,
    ).toBe(200)
  })

  it('does not let a message of someone else’s conversation be used as a parent or a branch', async () => {
    const own = await createConversation(w.app, intruder, { modelId: model })
    const asParent = await w.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${own.id}/messages`,
      headers: intruder.auth,
      payload: { content: 'graft', parentId: done.assistantMessageId },
    })
    expectProblem(asParent, 404)
    const asBranch = await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${own.id}`,
      headers: intruder.auth,
      payload: { selectedLeafId: done.assistantMessageId },
    })
    expectProblem(asBranch, 400)
  })

  it('keeps search, lists and export-all to the caller’s own conversations', async () => {
    const mine = await w.app.inject({ url: '/api/v1/search?q=swordfish', headers: w.user.auth })
    expect(mine.json().items.length).toBeGreaterThan(0)
    const theirs = await w.app.inject({ url: '/api/v1/search?q=swordfish', headers: intruder.auth })
    expect(theirs.json()).toEqual({ items: [] })
    const titles = await w.app.inject({ url: '/api/v1/search?q=secret', headers: intruder.auth })
    expect(titles.json()).toEqual({ items: [] })
    const list = await w.app.inject({ url: '/api/v1/conversations', headers: intruder.auth })
    expect(list.json().items.map((c: { title: string }) => c.title)).not.toContain('Secret plans')
    const exported = await w.app.inject({ url: '/api/v1/conversations/export', headers: intruder.auth })
    expect(exported.statusCode).toBe(200)
    expect(exported.body).not.toMatch(/swordfish|Secret plans/)
    const presets = await w.app.inject({ url: '/api/v1/chat-presets', headers: intruder.auth })
    expect(presets.json()).toEqual({ items: [] })
  })

  it('asks anonymous callers to sign in', async () => {
    for (const [, options] of attempts()) expectProblem(await w.app.inject(options), 401)
    for (const url of ['/api/v1/conversations', '/api/v1/search?q=x', '/api/v1/conversations/export']) {
      expectProblem(await w.app.inject({ url }), 401)
    }
    await w.app.services.chat.runner.stop(live.generationId)
  })
})
