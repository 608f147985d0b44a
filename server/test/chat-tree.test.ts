// Chat over a real database: conversations, the message tree (edit, regenerate, branch switching,
// delete a branch), feedback, usage on replies, auto-titles and presets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatWorld,
  createConversation,
  FULL_REPLY,
  finished,
  open,
  post,
  send,
  startChat,
} from './chat-kit.js'
import { auditEvents, dbKinds, expectProblem } from './helpers.js'

describe.each(dbKinds)('chat conversations and message tree on %s', (kind) => {
  let w: ChatWorld
  let model: string

  beforeAll(async () => {
    w = await startChat(kind)
    model = w.models['llama3.2:1b'] as string
  })
  afterAll(() => w.close())

  it('sends a message, answers 202 at once, and stores the reply with usage and timings', async () => {
    const priced = await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${model}`,
      headers: w.admin.auth,
      payload: { pricing: { inputPerMTok: 500_000, outputPerMTok: 1_000_000 } },
    })
    expect(priced.statusCode).toBe(200)
    const conversation = await createConversation(w.app, w.user, {
      modelId: model,
      systemPrompt: 'Be brief.',
    })
    const started = await send(w.app, w.user, conversation.id, { content: 'Hi there' })
    expect(started).toMatchObject({ conversationId: conversation.id, contextTrimmed: 0 })
    const done = await finished(w.app, w.user, started)
    expect(done.data).toMatchObject({ state: 'complete', error: null })

    const view = await open(w.app, w.user, conversation.id)
    expect(view.selectedLeafId).toBe(started.assistantMessageId)
    const [question, reply] = view.messages.items
    expect(question).toMatchObject({
      id: started.userMessageId,
      role: 'user',
      content: 'Hi there',
      state: 'complete',
    })
    expect(reply).toMatchObject({
      role: 'assistant',
      content: FULL_REPLY,
      state: 'complete',
      modelName: 'llama3.2:1b',
    })
    expect(reply?.usage?.outputTokens).toBe(10)
    expect(reply?.usage?.inputTokens).toBeGreaterThan(0)
    expect(reply?.usage?.ttftMs).toEqual(expect.any(Number))
    expect(reply?.usage?.durationMs).toEqual(expect.any(Number))
    // Prices are per million tokens: 0.5 per input token and 1 per output token here.
    expect(reply?.usage?.cost).toBeCloseTo((reply?.usage?.inputTokens ?? 0) * 0.5 + 10)
    const sent = w.fake.requestsTo('/api/chat').find((r) => JSON.stringify(r.body).includes('Be brief.'))
      ?.body as { messages: Array<{ role: string; content: string }> }
    expect(sent.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi there' },
    ])
    const usage = await w.app.inject({
      url: `/api/v1/models/${model}/metrics?window=1h`,
      headers: w.admin.auth,
    })
    expect(usage.json().requests).toBeGreaterThan(0)
  })

  it('titles a conversation from its first exchange, and keeps a title the owner chose', async () => {
    const auto = await createConversation(w.app, w.user, { modelId: model })
    expect(auto.title).toBe('New chat')
    await finished(w.app, w.user, await send(w.app, w.user, auto.id, { content: 'Tell me about owls' }))
    const titled = await w.fake.waitForRequest(
      (r) => r.path === '/api/chat' && /short title[\s\S]*owls/.test(JSON.stringify(r.body)),
    )
    expect(await titled.outcome).toBe('completed')
    await expect
      .poll(async () => (await open(w.app, w.user, auto.id)).title)
      .toBe('Hello from the fake Ollama, one word at a time')

    const named = await createConversation(w.app, w.user, { modelId: model, title: 'Mine' })
    await finished(w.app, w.user, await send(w.app, w.user, named.id, { content: 'Tell me about cats' }))
    expect((await open(w.app, w.user, named.id)).title).toBe('Mine')
  })

  it('edits by adding a sibling, regenerates a reply as a sibling, and switches branches', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const first = await send(w.app, w.user, conversation.id, { content: 'Question one' })
    await finished(w.app, w.user, first)
    const second = await send(w.app, w.user, conversation.id, { content: 'Question two' })
    await finished(w.app, w.user, second)

    // Edit "Question two": a new user message with the same parent.
    const edited = await send(w.app, w.user, conversation.id, {
      content: 'Question two, edited',
      parentId: first.assistantMessageId,
    })
    await finished(w.app, w.user, edited)
    let view = await open(w.app, w.user, conversation.id)
    expect(view.messages.items.map((m) => m.content)).toEqual([
      'Question one',
      FULL_REPLY,
      'Question two, edited',
      FULL_REPLY,
    ])
    expect(view.messages.items[2]).toMatchObject({
      siblingCount: 2,
      siblingIndex: 1,
      siblingIds: [second.userMessageId, edited.userMessageId],
    })

    // Regenerate the reply to the edited question.
    const again = await post(w.app, w.user, `/api/v1/messages/${edited.assistantMessageId}/regenerate`)
    await finished(w.app, w.user, again)
    view = await open(w.app, w.user, conversation.id)
    expect(view.selectedLeafId).toBe(again.assistantMessageId)
    expect(view.messages.items[3]).toMatchObject({
      id: again.assistantMessageId,
      siblingCount: 2,
      siblingIndex: 1,
    })
    expect(again.userMessageId).toBeNull()

    // Back to the first version of question two: its branch's newest leaf is selected.
    const switched = await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: w.user.auth,
      payload: { selectedLeafId: second.userMessageId },
    })
    expect(switched.json().selectedLeafId).toBe(second.assistantMessageId)
    view = await open(w.app, w.user, conversation.id)
    expect(view.messages.items.map((m) => m.id)).toEqual([
      first.userMessageId,
      first.assistantMessageId,
      second.userMessageId,
      second.assistantMessageId,
    ])
    expect(view.messages.items[2]).toMatchObject({ siblingCount: 2, siblingIndex: 0 })

    // Omitting parentId answers the selected leaf.
    const next = await send(w.app, w.user, conversation.id, { content: 'Question three' })
    await finished(w.app, w.user, next)
    view = await open(w.app, w.user, conversation.id)
    expect(view.messages.items.at(-2)).toMatchObject({
      id: next.userMessageId,
      parentId: second.assistantMessageId,
    })
  })

  it('deletes a branch with everything below it and falls back to the remaining branch', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const first = await send(w.app, w.user, conversation.id, { content: 'Root question' })
    await finished(w.app, w.user, first)
    const kept = await send(w.app, w.user, conversation.id, {
      content: 'Kept',
      parentId: first.assistantMessageId,
    })
    await finished(w.app, w.user, kept)
    const doomed = await send(w.app, w.user, conversation.id, {
      content: 'Doomed',
      parentId: first.assistantMessageId,
    })
    await finished(w.app, w.user, doomed)
    const deeper = await send(w.app, w.user, conversation.id, { content: 'Deeper' })
    await finished(w.app, w.user, deeper)

    const removed = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/messages/${doomed.userMessageId}`,
      headers: w.user.auth,
    })
    expect(removed.statusCode).toBe(204)
    const view = await open(w.app, w.user, conversation.id)
    expect(view.selectedLeafId).toBe(kept.assistantMessageId)
    expect(view.messages.items.map((m) => m.content)).toEqual([
      'Root question',
      FULL_REPLY,
      'Kept',
      FULL_REPLY,
    ])
    expect(view.messages.items[2]?.siblingCount).toBe(1)
    const gone = await w.app.services.db
      .selectFrom('messages')
      .select('id')
      .where('id', 'in', [doomed.userMessageId ?? '', doomed.assistantMessageId, deeper.userMessageId ?? ''])
      .execute()
    expect(gone).toEqual([])
    const actions = (await auditEvents(w.app, w.admin, { targetId: doomed.userMessageId ?? '' })).map(
      (e) => e.action,
    )
    expect(actions).toEqual(expect.arrayContaining(['message.create', 'message.delete']))
  })

  it('refuses to answer a user message or a reply still being written', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const first = await send(w.app, w.user, conversation.id, { content: 'Q' })
    await finished(w.app, w.user, first)
    const wrongParent = await w.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: w.user.auth,
      payload: { content: 'x', parentId: first.userMessageId },
    })
    expect(expectProblem(wrongParent, 400).errors).toEqual([expect.objectContaining({ field: 'parentId' })])
    const noModel = await createConversation(w.app, w.user)
    const refused = await w.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${noModel.id}/messages`,
      headers: w.user.auth,
      payload: { content: 'x' },
    })
    expect(expectProblem(refused, 400).detail).toMatch(/Choose a model/)
    const byName = await send(w.app, w.user, noModel.id, { content: 'x', model: 'llama3.2:1b' })
    await finished(w.app, w.user, byName)
    expect((await open(w.app, w.user, noModel.id)).messages.items.at(-1)?.state).toBe('complete')
  })

  it('records feedback on replies only', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const started = await send(w.app, w.user, conversation.id, { content: 'Rate me' })
    await finished(w.app, w.user, started)
    const rated = await w.app.inject({
      method: 'POST',
      url: `/api/v1/messages/${started.assistantMessageId}/feedback`,
      headers: w.user.auth,
      payload: { rating: 'down', comment: 'Too vague' },
    })
    expect(rated.statusCode).toBe(200)
    expect(rated.json().feedback).toEqual({ rating: 'down', comment: 'Too vague' })
    const cleared = await w.app.inject({
      method: 'POST',
      url: `/api/v1/messages/${started.assistantMessageId}/feedback`,
      headers: w.user.auth,
      payload: { rating: null },
    })
    expect(cleared.json().feedback).toBeNull()
    const onQuestion = await w.app.inject({
      method: 'POST',
      url: `/api/v1/messages/${started.userMessageId}/feedback`,
      headers: w.user.auth,
      payload: { rating: 'up' },
    })
    expectProblem(onQuestion, 400)
  })

  it('lists newest first with a cursor and filters by folder, tag, pinned and archived', async () => {
    const owner = w.admin
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      const body = {
        title: `List ${i}`,
        folder: i % 2 ? 'work' : null,
        tags: i === 3 ? ['urgent', 'x'] : [],
        pinned: i === 4,
      }
      made.push((await createConversation(w.app, owner, body)).id)
    }
    const list = async (query: Record<string, string>) => {
      const response = await w.app.inject({ url: '/api/v1/conversations', query, headers: owner.auth })
      expect(response.statusCode, response.body).toBe(200)
      return response.json<{ items: Array<{ id: string; tags: string[] }>; nextCursor: string | null }>()
    }
    const page1 = await list({ limit: '2' })
    const page2 = await list({ limit: '2', cursor: page1.nextCursor ?? '' })
    const page3 = await list({ limit: '2', cursor: page2.nextCursor ?? '' })
    expect([...page1.items, ...page2.items, ...page3.items].map((c) => c.id)).toEqual([...made].reverse())
    expect(page3.nextCursor).toBeNull()
    expect((await list({ folder: 'work' })).items.map((c) => c.id)).toEqual([made[3], made[1]])
    expect((await list({ tag: 'urgent' })).items).toEqual([
      expect.objectContaining({ id: made[3], tags: ['urgent', 'x'] }),
    ])
    expect((await list({ pinned: 'true' })).items.map((c) => c.id)).toEqual([made[4]])

    const archived = await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${made[0]}`,
      headers: owner.auth,
      payload: { archived: true, title: 'Renamed', tags: ['old'] },
    })
    expect(archived.json()).toMatchObject({ archived: true, title: 'Renamed', tags: ['old'] })
    expect((await list({})).items.map((c) => c.id)).not.toContain(made[0])
    expect((await list({ archived: 'true' })).items.map((c) => c.id)).toEqual([made[0]])
    expectProblem(await w.app.inject({ url: '/api/v1/conversations?cursor=bogus', headers: owner.auth }), 400)

    const removed = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/conversations/${made[0]}`,
      headers: owner.auth,
    })
    expect(removed.statusCode).toBe(204)
    expectProblem(await w.app.inject({ url: `/api/v1/conversations/${made[0]}`, headers: owner.auth }), 404)
    const actions = (await auditEvents(w.app, w.admin, { targetId: made[0] as string })).map((e) => e.action)
    expect(actions.sort()).toEqual(['conversation.create', 'conversation.delete', 'conversation.update'])
  })

  it('keeps presets per user and starts conversations from them', async () => {
    const created = await w.app.inject({
      method: 'POST',
      url: '/api/v1/chat-presets',
      headers: w.user.auth,
      payload: { name: 'Terse', modelId: model, systemPrompt: 'One line only.', temperature: 0.7 },
    })
    expect(created.statusCode).toBe(201)
    const preset = created.json<{ id: string }>()
    const patched = await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/chat-presets/${preset.id}`,
      headers: w.user.auth,
      payload: { topP: 0.9 },
    })
    expect(patched.json()).toMatchObject({ name: 'Terse', temperature: 0.7, topP: 0.9 })
    const list = await w.app.inject({ url: '/api/v1/chat-presets', headers: w.user.auth })
    expect(list.json().items).toHaveLength(1)
    const conversation = await createConversation(w.app, w.user, { presetId: preset.id, maxTokens: 5 })
    expect(conversation).toMatchObject({
      modelId: model,
      systemPrompt: 'One line only.',
      temperature: 0.7,
      topP: 0.9,
      maxTokens: 5,
    })
    const started = await send(w.app, w.user, conversation.id, { content: 'Go' })
    await finished(w.app, w.user, started)
    const sent = w.fake.requestsTo('/api/chat').find((r) => JSON.stringify(r.body).includes('One line only.'))
    expect(sent?.body).toMatchObject({ options: { temperature: 0.7, top_p: 0.9, num_predict: 5 } })
    const deleted = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/chat-presets/${preset.id}`,
      headers: w.user.auth,
    })
    expect(deleted.statusCode).toBe(204)
    expect((await w.app.inject({ url: '/api/v1/chat-presets', headers: w.user.auth })).json().items).toEqual(
      [],
    )
  })
})
