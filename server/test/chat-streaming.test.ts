// Generations over real HTTP on 127.0.0.1: SSE with the text so far and live deltas, resume with
// Last-Event-ID without gaps or duplicates, the same stream on the WebSocket, the text written
// to the database while streaming, stop (upstream aborted, partial kept), continue, and the
// stored answer once the job is no longer in memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ChatWorld,
  createConversation,
  finished,
  follow,
  listen,
  open,
  parseSse,
  post,
  registerFake,
  SseClient,
  type SseEvent,
  send,
  startChat,
  WsCollector,
} from './chat-kit.js'
import { FakeOllama } from './fakes/fake-ollama.js'
import { buildTestApp, createTestDatabase, dbKinds, expectProblem, type SignedIn, signUp } from './helpers.js'

const WORDS = Array.from({ length: 40 }, (_, i) => `word${i}`)
const LONG_REPLY = WORDS.join(' ')

const ids = (events: SseEvent[]) => events.map((e) => e.id)
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)
const deltaText = (events: SseEvent[]) =>
  events
    .filter((e) => e.event === 'delta')
    .map((e) => e.data.text)
    .join('')

describe.each(dbKinds)('chat generations over HTTP on %s', (kind) => {
  let w: ChatWorld
  let base: string
  let model: string
  let other: SignedIn

  beforeAll(async () => {
    w = await startChat(kind, { fake: { reply: LONG_REPLY, slowDelayMs: 60 } })
    model = w.models['llama3.2:1b'] as string
    other = await signUp(w.app, 'other')
    base = await listen(w.app)
  })
  afterAll(() => w.close())

  const eventsUrl = (generationId: string) => `${base}/api/v1/generations/${generationId}/events`

  it('streams the text so far then deltas, and resumes from Last-Event-ID with no gap or duplicate', async () => {
    w.fake.setMode('slow')
    const socket = await WsCollector.open(base, w.user.token)
    const otherSocket = await WsCollector.open(base, other.token)
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const started = await send(w.app, w.user, conversation.id, { content: 'Count for me' })

    const first = await SseClient.connect(eventsUrl(started.generationId), w.user.auth)
    expect(first.status).toBe(200)
    await first.until((events) => events.filter((e) => e.event === 'delta').length >= 3, 'three deltas')
    first.close()
    const [snapshot, ...firstDeltas] = first.events
    expect(snapshot).toMatchObject({
      event: 'snapshot',
      data: { state: 'streaming', messageId: started.assistantMessageId },
    })
    const start = snapshot?.id ?? -1
    expect(ids(first.events)).toEqual(range(start, first.events.length))
    const seenText = String(snapshot?.data.text) + deltaText(firstDeltas)

    // The text so far reaches the database while the reply is still streaming.
    await expect
      .poll(
        async () => {
          const row = await w.app.services.db
            .selectFrom('messages')
            .select(['content', 'state'])
            .where('id', '=', started.assistantMessageId)
            .executeTakeFirstOrThrow()
          return row.state === 'streaming' && row.content.startsWith(seenText)
        },
        { timeout: 1500, interval: 20 },
      )
      .toBe(true)

    // Opening the conversation meanwhile shows the live text and the event id it includes.
    const live = (await open(w.app, w.user, conversation.id)).messages.items.at(-1)
    expect(live?.state).toBe('streaming')
    const liveSeq = live?.streamSeq ?? -1
    expect(liveSeq).toBeGreaterThanOrEqual(3)
    expect(live?.content).toBe(WORDS.slice(0, liveSeq).join(' '))

    const lastSeen = first.events.at(-1)?.id ?? -1
    const resumed = await SseClient.connect(eventsUrl(started.generationId), {
      ...w.user.auth,
      'last-event-id': String(lastSeen),
    })
    await resumed.finished()
    expect(ids(resumed.events)).toEqual(range(lastSeen + 1, resumed.events.length))
    expect(resumed.events.some((e) => e.event === 'snapshot')).toBe(false)
    const done = resumed.events.at(-1)
    expect(done).toMatchObject({ event: 'done', data: { state: 'complete', error: null } })
    expect(done?.data.usage).toMatchObject({ outputTokens: 40 })
    expect(seenText + deltaText(resumed.events)).toBe(LONG_REPLY)
    expect((await open(w.app, w.user, conversation.id)).messages.items.at(-1)).toMatchObject({
      content: LONG_REPLY,
      state: 'complete',
      streamSeq: null,
    })

    // The query-string form resumes the same way; a new client gets the whole text at once.
    const again = await SseClient.connect(
      `${eventsUrl(started.generationId)}?lastEventId=${lastSeen}`,
      w.user.auth,
    )
    await again.finished()
    expect(again.events).toEqual(resumed.events)
    const fresh = await SseClient.connect(eventsUrl(started.generationId), w.user.auth)
    await fresh.finished()
    expect(fresh.events.map((e) => e.event)).toEqual(['snapshot', 'done'])
    expect(fresh.events[0]?.data).toMatchObject({ text: LONG_REPLY, state: 'complete' })

    // The same stream on the owner's WebSocket, and nothing on anyone else's.
    await socket.until((events) => events.some((e) => e.type === 'generation.done'), 'generation.done')
    const wsDeltas = socket.events.filter((e) => e.type === 'generation.delta')
    expect(wsDeltas.map((e) => e.seq)).toEqual(range(1, 40))
    expect(wsDeltas.map((e) => e.text).join('')).toBe(LONG_REPLY)
    const later = wsDeltas.filter((e) => Number(e.seq) > liveSeq).map((e) => e.text)
    expect(live?.content + later.join('')).toBe(LONG_REPLY)
    expect(socket.events.find((e) => e.type === 'generation.done')).toMatchObject({
      generationId: started.generationId,
      state: 'complete',
      seq: 41,
    })
    expect(otherSocket.events.filter((e) => String(e.type).startsWith('generation.'))).toEqual([])
    socket.close()
    otherSocket.close()
  })

  it('stops a reply: upstream request aborted, the partial text kept as stopped, then continued', async () => {
    w.fake.setMode('slow')
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const started = await send(w.app, w.user, conversation.id, { content: 'Please stop me' })
    const upstream = await w.fake.waitForRequest(
      (r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('Please stop me'),
    )
    const client = await SseClient.connect(eventsUrl(started.generationId), w.user.auth)
    await client.until((events) => events.filter((e) => e.event === 'delta').length >= 2, 'two deltas')

    const stop = await w.app.inject({
      method: 'POST',
      url: `/api/v1/generations/${started.generationId}/stop`,
      headers: w.user.auth,
    })
    expect(stop.statusCode).toBe(200)
    expect(stop.json()).toEqual({
      generationId: started.generationId,
      messageId: started.assistantMessageId,
      state: 'stopped',
    })
    expect(await upstream.outcome).toBe('aborted')
    await client.finished()
    expect(client.events.at(-1)).toMatchObject({ event: 'done', data: { state: 'stopped' } })
    const streamed = String(client.events[0]?.data.text) + deltaText(client.events)

    const reply = (await open(w.app, w.user, conversation.id)).messages.items.at(-1)
    expect(reply).toMatchObject({ state: 'stopped', content: streamed })
    expect(streamed.length).toBeGreaterThan(0)
    expect(streamed.length).toBeLessThan(LONG_REPLY.length)
    expect(LONG_REPLY.startsWith(streamed)).toBe(true)
    const stopAgain = await w.app.inject({
      method: 'POST',
      url: `/api/v1/generations/${started.generationId}/stop`,
      headers: w.user.auth,
    })
    expect(stopAgain.json().state).toBe('stopped')

    w.fake.setMode('normal')
    const continued = await post(w.app, w.user, `/api/v1/messages/${started.assistantMessageId}/continue`)
    expect(continued.assistantMessageId).toBe(started.assistantMessageId)
    const events = await follow(w.app, w.user, continued.generationId)
    expect(String(events[0]?.data.text) + deltaText(events)).toBe(streamed + LONG_REPLY)
    const asked = w.fake
      .requestsTo('/api/chat')
      .map((r) => (r.body as { messages: Array<{ role: string; content: string }> }).messages)
      .filter((messages) => messages.some((m) => m.content === 'Please stop me'))
    expect(asked).toHaveLength(2)
    expect(asked[1]?.at(-1)).toEqual({ role: 'assistant', content: streamed })
    const after = (await open(w.app, w.user, conversation.id)).messages.items.at(-1)
    expect(after).toMatchObject({
      id: started.assistantMessageId,
      state: 'complete',
      content: streamed + LONG_REPLY,
    })
  })

  it('answers a finished generation from the database when no job holds it, and only to its owner', async () => {
    w.fake.setMode('normal')
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const started = await send(w.app, w.user, conversation.id, { content: 'Short one' })
    await finished(w.app, w.user, started)
    const elsewhere = await buildTestApp(w.t.db)
    try {
      const response = await elsewhere.inject({
        url: `/api/v1/generations/${started.generationId}/events`,
        headers: { ...w.user.auth, 'last-event-id': '3' },
      })
      expect(response.statusCode).toBe(200)
      const events = parseSse(response.body)
      expect(events.map((e) => [e.event, e.id])).toEqual([
        ['snapshot', 41],
        ['done', 42],
      ])
      expect(events[0]?.data).toMatchObject({ text: LONG_REPLY, state: 'complete' })
      expectProblem(
        await elsewhere.inject({
          url: `/api/v1/generations/${started.generationId}/events`,
          headers: other.auth,
        }),
        404,
      )
    } finally {
      await elsewhere.close()
    }
    expectProblem(await w.app.inject({ url: '/api/v1/generations/01NOPE/events', headers: w.user.auth }), 404)
  })

  it('keeps a reply with NUL characters (PostgreSQL cannot store one), streamed and stored without them', async () => {
    w.fake.setMode('normal')
    const before = w.fake.reply
    w.fake.reply = 'Nothing\u0000 lost \u0000here'
    try {
      const conversation = await createConversation(w.app, w.user, { modelId: model })
      const started = await send(w.app, w.user, conversation.id, { content: 'Send me a NUL' })
      const events = await follow(w.app, w.user, started.generationId)
      expect(events.at(-1)?.event).toBe('done')
      const streamed = events
        .filter((e) => e.event === 'snapshot' || e.event === 'delta')
        .map((e) => String(e.data.text))
        .join('')
      expect(streamed).toBe('Nothing lost here')
      const view = await open(w.app, w.user, conversation.id)
      expect(view.messages.items.at(-1)).toMatchObject({
        id: started.assistantMessageId,
        state: 'complete',
        content: 'Nothing lost here',
      })
    } finally {
      w.fake.reply = before
    }
  })

  it('deletes a branch whose reply is streaming: the job is stopped first', async () => {
    w.fake.setMode('slow')
    const conversation = await createConversation(w.app, w.user, { modelId: model })
    const started = await send(w.app, w.user, conversation.id, { content: 'Delete me while you talk' })
    const upstream = await w.fake.waitForRequest(
      (r) => r.path === '/api/chat' && JSON.stringify(r.body).includes('Delete me while you talk'),
    )
    const client = await SseClient.connect(eventsUrl(started.generationId), w.user.auth)
    await client.until((events) => events.some((e) => e.event === 'delta'), 'a delta')
    const removed = await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/messages/${started.userMessageId}`,
      headers: w.user.auth,
    })
    expect(removed.statusCode).toBe(204)
    expect(await upstream.outcome).toBe('aborted')
    await client.finished()
    expect(client.events.at(-1)).toMatchObject({ event: 'done', data: { state: 'stopped' } })
    const view = await open(w.app, w.user, conversation.id)
    expect(view).toMatchObject({ selectedLeafId: null, messages: { items: [] } })
    w.fake.setMode('normal')
  })
})

describe.each(dbKinds)('chat generations at shutdown on %s', (kind) => {
  it('keeps a reply running at shutdown as interrupted, with its text, and ends open streams', async () => {
    const db = await createTestDatabase(kind)
    const fake = await FakeOllama.start({ reply: LONG_REPLY, slowDelayMs: 60 })
    let app = await buildTestApp(db)
    try {
      const admin = await signUp(app, 'admin')
      const models = await registerFake(app, admin, fake)
      const base = await listen(app)
      const conversation = await createConversation(app, admin, { modelId: models['llama3.2:1b'] })
      fake.setMode('slow')
      const started = await send(app, admin, conversation.id, { content: 'Long story please' })
      const client = await SseClient.connect(
        `${base}/api/v1/generations/${started.generationId}/events`,
        admin.auth,
      )
      await client.until((events) => events.filter((e) => e.event === 'delta').length >= 2, 'two deltas')
      await app.close()
      await client.finished()
      expect(client.events.at(-1)).toMatchObject({ event: 'done', data: { state: 'interrupted' } })
      const streamed = String(client.events[0]?.data.text) + deltaText(client.events)

      app = await buildTestApp(db)
      const reply = (await open(app, admin, conversation.id)).messages.items.at(-1)
      expect(reply).toMatchObject({ state: 'interrupted', content: streamed })
      expect(streamed.length).toBeGreaterThan(0)
    } finally {
      await app.close()
      await fake.close()
      await db.cleanup()
    }
  })
})
