// Chat limits and context: concurrent replies per user and the daily token budget answer 429
// with Retry-After and a readable message; a long branch is trimmed to the model's context.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChatWorld, createConversation, finished, open, send, startChat } from './chat-kit.js'
import { fakeOllamaModel } from './fakes/fake-ollama.js'
import { dbKinds, expectProblem, type SignedIn, signUp } from './helpers.js'

describe.each(dbKinds)('chat limits and context on %s', (kind) => {
  let w: ChatWorld
  let model: string
  let tiny: string
  let other: SignedIn

  beforeAll(async () => {
    w = await startChat(kind, {
      config: { chatMaxConcurrentGenerations: '2' },
      fake: {
        models: [fakeOllamaModel('llama3.2:1b'), fakeOllamaModel('tiny:1b', { contextLength: 64 })],
        slowDelayMs: 200,
      },
    })
    model = w.models['llama3.2:1b'] as string
    tiny = w.models['tiny:1b'] as string
    other = await signUp(w.app, 'other')
  })
  afterAll(() => w.close())

  const sendRaw = (who: SignedIn, conversationId: string, content: string) =>
    w.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: who.auth,
      payload: { content },
    })

  it('allows a configured number of concurrent replies per user, then answers 429 with Retry-After', async () => {
    w.fake.setMode('slow')
    const conversations = await Promise.all(
      [1, 2, 3].map(() => createConversation(w.app, w.user, { modelId: model })),
    )
    const [a, b, c] = conversations.map((conv) => conv.id) as [string, string, string]
    const first = await send(w.app, w.user, a, { content: 'one' })
    await send(w.app, w.user, b, { content: 'two' })
    const refused = await sendRaw(w.user, c, 'three')
    const problem = expectProblem(refused, 429)
    expect(problem.detail).toBe('You already have 2 replies being written; wait for one to finish or stop it')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0)
    expect((await open(w.app, w.user, c)).messages.items).toEqual([])

    // Someone else is not held back by this user's replies.
    const theirs = await createConversation(w.app, other, { modelId: model })
    const otherStarted = await send(w.app, other, theirs.id, { content: 'mine' })

    const stopped = await w.app.inject({
      method: 'POST',
      url: `/api/v1/generations/${first.generationId}/stop`,
      headers: w.user.auth,
    })
    expect(stopped.json().state).toBe('stopped')
    const third = await send(w.app, w.user, c, { content: 'three' })
    w.fake.setMode('normal')
    await Promise.all(
      [...w.app.services.chat.runner.activeIn(b), ...w.app.services.chat.runner.activeIn(c)].map((g) =>
        w.app.services.chat.runner.stop(g.spec.id),
      ),
    )
    await w.app.services.chat.runner.stop(otherStarted.generationId)
    expect((await finished(w.app, w.user, third)).data.state).toBe('stopped')
  })

  it('stops a user at the daily token budget until UTC midnight', async () => {
    w.fake.setMode('normal')
    const setLimit = (value: number | null) =>
      w.app.inject({
        method: 'PATCH',
        url: '/api/v1/admin/settings',
        headers: w.admin.auth,
        payload: { chatTokensPerDayPerUser: value },
      })
    expect((await setLimit(15)).json()).toMatchObject({ chatTokensPerDayPerUser: 15 })
    const budgeted = await signUp(w.app, 'budget')
    const conversation = await createConversation(w.app, budgeted, { modelId: model, title: 'No auto-title' })
    const started = await send(w.app, budgeted, conversation.id, { content: 'Spend some tokens please' })
    const done = await finished(w.app, budgeted, started)
    expect(done.data.usage).toMatchObject({ inputTokens: 4, outputTokens: 10 })

    // 14 tokens spent: one more request is allowed, the one after is refused.
    const second = await send(w.app, budgeted, conversation.id, { content: 'Again' })
    await finished(w.app, budgeted, second)
    const refused = await sendRaw(budgeted, conversation.id, 'And again')
    const problem = expectProblem(refused, 429)
    expect(problem.detail).toMatch(/today's chat allowance of 15 tokens; it renews at 00:00 UTC \(in \d+/)
    const now = new Date()
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
    const retryAfter = Number(refused.headers['retry-after'])
    expect(Math.abs(retryAfter - (midnight - now.getTime()) / 1000)).toBeLessThan(30)

    // Others still have their budget; lifting the limit lets this user go on.
    const theirs = await createConversation(w.app, other, { modelId: model, title: 'Other' })
    await finished(w.app, other, await send(w.app, other, theirs.id, { content: 'Fine' }))
    await setLimit(null)
    await finished(w.app, budgeted, await send(w.app, budgeted, conversation.id, { content: 'Now allowed' }))
  })

  it('leaves out the oldest turns when the branch exceeds the model context, keeping the system prompt', async () => {
    w.fake.setMode('normal')
    const conversation = await createConversation(w.app, w.user, {
      modelId: tiny,
      systemPrompt: 'Be brief.',
      title: 'Tiny context',
    })
    const long = (label: string) => `${label}: ${'x'.repeat(80 - label.length - 2)}`
    const first = await send(w.app, w.user, conversation.id, { content: long('first') })
    expect(first.contextTrimmed).toBe(0)
    await finished(w.app, w.user, first)

    const second = await send(w.app, w.user, conversation.id, { content: long('second') })
    expect(second.contextTrimmed).toBe(2)
    const done = await finished(w.app, w.user, second)
    expect(done.data.contextTrimmed).toBe(2)
    const sent = w.fake.requestsTo('/api/chat').find((r) => JSON.stringify(r.body).includes('second: '))
    expect((sent?.body as { messages?: unknown[] } | undefined)?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: long('second') },
    ])
    const reply = (await open(w.app, w.user, conversation.id)).messages.items.at(-1)
    expect(reply).toMatchObject({ state: 'complete', contextTrimmed: 2 })

    // A model with room keeps everything.
    const roomy = await send(w.app, w.user, conversation.id, { content: 'Short', model: 'llama3.2:1b' })
    expect(roomy.contextTrimmed).toBe(0)
    await finished(w.app, w.user, roomy)
  })
})
