// The embedded engine as an LLM Manager host: start/stop through /api/v1/models, status and
// memory, chat through the same generation path as every provider (ModelInvoker, usage rows,
// stop), a corrupt file that fails to load, and the memory budget.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InvocationEvent } from '../src/models/invoker.js'
import { createConversation, follow, listen, open, SseClient, send } from './chat-kit.js'
import { type EmbeddedWorld, startEmbedded } from './embedded-kit.js'
import { writeTinyGguf } from './fixtures/make-tiny-gguf.js'
import { dbKinds, expectProblem } from './helpers.js'

const messages = [{ role: 'user' as const, content: 'Tell me about the sea.' }]

describe.each(dbKinds)('embedded engine as a host on %s', (kind) => {
  let w: EmbeddedWorld
  const engine = () => w.t.app.services.connections.embeddedEngine()
  const startModel = (id: string) => w.as(w.admin, { method: 'POST', url: `/api/v1/models/${id}/start` })
  const stopModel = (id: string) => w.as(w.admin, { method: 'POST', url: `/api/v1/models/${id}/stop` })

  async function invoke(modelId: string, signal: AbortSignal, onDelta?: () => void) {
    const events: InvocationEvent[] = []
    for await (const event of w.t.app.services.invoker.chat({
      modelId,
      request: { messages, maxTokens: 20, seed: 3 },
      caller: { userId: w.user.id, role: 'user' },
      source: 'test',
      signal,
    })) {
      events.push(event)
      if (event.type === 'delta') onDelta?.()
    }
    return events
  }
  const textOf = (events: InvocationEvent[]) => events.map((e) => (e.type === 'delta' ? e.text : '')).join('')

  beforeAll(async () => {
    // Budget: room for one tiny model (≈ 2.2 MB each with a 256-token context) but not two.
    w = await startEmbedded(kind, { embeddedMemoryBudgetMb: '3' })
    writeTinyGguf(path.join(w.modelsDir, 'tiny-a.gguf'))
    writeTinyGguf(path.join(w.modelsDir, 'tiny-b.gguf'), { seed: 5 })
    fs.writeFileSync(path.join(w.modelsDir, 'broken.gguf'), Buffer.from('GGUF\u0003 but nothing else'))
  })
  afterAll(() => w?.close())

  it('starts a model, shows it loaded with its memory, chats through the invoker and records usage', async () => {
    const model = await w.model('tiny-a')
    expect(model).toMatchObject({ status: 'available', family: 'llama' })
    const id = model?.id ?? ''
    expect((await startModel(id)).statusCode).toBe(202)
    await w.hostStatus('tiny-a', 'loaded')
    const engineView = (await w.as(w.admin, { url: `/api/v1/providers/${w.providerId}/engine` })).json()
    expect(engineView.loaded).toEqual([
      expect.objectContaining({ name: 'tiny-a', threads: 2, contextSize: 256 }),
    ])
    expect(engineView.usedBytes).toBeGreaterThan(0)
    const details = (await w.as(w.admin, { url: `/api/v1/models/${id}/details` })).json()
    expect(details).toMatchObject({
      family: 'llama',
      parameterSize: '116K',
      quantization: 'F32',
      contextLength: 2048,
    })
    expect(details.template).toContain('<|im_start|>assistant')
    expect(details.memory.residentBytes).toBe(engineView.loaded[0].memoryBytes)

    const first = await invoke(id, new AbortController().signal)
    const second = await invoke(id, new AbortController().signal)
    expect(first[0]).toEqual({ type: 'host', providerId: w.providerId, providerName: 'Embedded engine' })
    expect(textOf(first).length).toBeGreaterThan(0)
    expect(textOf(second)).toBe(textOf(first))
    expect(first.at(-1)?.type).toBe('done')
    const rows = await w.t.app.services.db
      .selectFrom('usage_events')
      .selectAll()
      .where('model_id', '=', id)
      .orderBy('at')
      .execute()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ provider_id: w.providerId, source: 'test', outcome: 'success' })
    expect(rows[0]?.output_tokens).toBeGreaterThan(0)
    expect(rows[0]?.input_tokens).toBeGreaterThan(5)
    const metrics = (await w.as(w.admin, { url: `/api/v1/models/${id}/metrics?window=1h` })).json()
    expect(metrics).toMatchObject({ requests: 2 })
    expect(metrics.tokensPerSecond).toBeGreaterThan(0)
  })

  it('stops a reply mid-stream and records it as cancelled', async () => {
    const id = (await w.model('tiny-a'))?.id ?? ''
    const controller = new AbortController()
    const events = await invoke(id, controller.signal, () => controller.abort())
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' })
    const last = await w.t.app.services.db
      .selectFrom('usage_events')
      .selectAll()
      .where('model_id', '=', id)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow()
    expect(last.outcome).toBe('cancelled')
  })

  it('streams a reply through the chat API, keeps it, and stops one mid-stream as stopped', async () => {
    const id = (await w.model('tiny-a'))?.id ?? ''
    const conversation = await createConversation(w.t.app, w.user, { modelId: id, maxTokens: 64 })
    const started = await send(w.t.app, w.user, conversation.id, { content: 'Tell me about the sea.' })
    const events = await follow(w.t.app, w.user, started.generationId)
    expect(events.at(-1)?.event).toBe('done')
    const streamed = events
      .filter((e) => e.event === 'snapshot' || e.event === 'delta')
      .map((e) => String(e.data.text))
      .join('')
    expect(streamed.length).toBeGreaterThan(0)
    const view = await open(w.t.app, w.user, conversation.id)
    const reply = view.messages.items.at(-1)
    expect(reply).toMatchObject({ id: started.assistantMessageId, state: 'complete', content: streamed })
    expect(reply?.usage?.outputTokens).toBeGreaterThan(0)
    const usage = await w.t.app.services.db
      .selectFrom('usage_events')
      .select(['source', 'outcome', 'user_id'])
      .where('model_id', '=', id)
      .where('source', '=', 'chat')
      .execute()
    expect(usage).toEqual([{ source: 'chat', outcome: 'success', user_id: w.user.id }])

    // Stop over real HTTP as soon as the first token arrives: the partial reply is kept.
    await w.t.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: w.user.auth,
      payload: { maxTokens: 4096 },
    })
    const base = await listen(w.t.app)
    const next = await send(w.t.app, w.user, conversation.id, { content: 'Go on, at length.' })
    const stream = await SseClient.connect(
      `${base}/api/v1/generations/${next.generationId}/events`,
      w.user.auth,
    )
    await stream.until((e) => e.some((x) => x.event === 'delta'), 'the first token')
    const stop = await w.t.app.inject({
      method: 'POST',
      url: `/api/v1/generations/${next.generationId}/stop`,
      headers: w.user.auth,
    })
    expect(stop.statusCode, stop.body).toBeLessThan(300)
    await stream.finished()
    const after = await open(w.t.app, w.user, conversation.id)
    const stopped = after.messages.items.at(-1)
    expect(stopped).toMatchObject({ id: next.assistantMessageId, state: 'stopped' })
    expect(stopped?.content.length).toBeGreaterThan(0)
  })

  it('stops (unloads) a model and gives its memory back', async () => {
    const id = (await w.model('tiny-a'))?.id ?? ''
    expect((await stopModel(id)).statusCode).toBe(202)
    await w.hostStatus('tiny-a', 'available')
    expect(await engine().running()).toEqual([])
    expect(engine().runtime.usedBytes()).toBe(0)
  })

  it('marks a model that fails to load as error with the reason, and stays up', async () => {
    const broken = await w.model('broken')
    expect(broken?.hosts[0]?.status).toBe('available')
    await startModel(broken?.id ?? '')
    const failed = await w.hostStatus('broken', 'error')
    expect(failed.hosts[0]?.error).toMatch(/load failed: .*broken\.gguf is not a readable GGUF file/)
    const chat = await invoke(broken?.id ?? '', new AbortController().signal)
    expect(chat.at(-1)).toMatchObject({ type: 'error', message: expect.stringMatching(/GGUF/) })
    expect((await w.as(w.admin, { url: '/healthz' })).statusCode).toBe(200)
    expect((await w.model('tiny-a'))?.status).toBe('available')
  })

  it('unloads the least recently used model when the next one does not fit the budget', async () => {
    const a = (await w.model('tiny-a'))?.id ?? ''
    const b = (await w.model('tiny-b'))?.id ?? ''
    await startModel(a)
    await w.hostStatus('tiny-a', 'loaded')
    // A chat with a model that is not loaded loads it too, like Ollama.
    const reply = await invoke(b, new AbortController().signal)
    expect(reply.at(-1)?.type).toBe('done')
    await w.hostStatus('tiny-a', 'available')
    await w.hostStatus('tiny-b', 'loaded')
    expect((await engine().running()).map((m) => m.name)).toEqual(['tiny-b'])
    await stopModel(b)
    await w.hostStatus('tiny-b', 'available')
  })

  it('lets only admins start, stop, import and see the engine', async () => {
    const a = (await w.model('tiny-a'))?.id ?? ''
    expectProblem(await w.as(w.user, { method: 'POST', url: `/api/v1/models/${a}/start` }), 403)
    expectProblem(await w.as(w.user, { url: `/api/v1/providers/${w.providerId}/engine` }), 403)
  })
})

describe.each(dbKinds)('embedded engine refusing past its budget on %s', (kind) => {
  let w: EmbeddedWorld

  beforeAll(async () => {
    w = await startEmbedded(kind, { embeddedMemoryBudgetMb: '3', embeddedOnBudget: 'refuse' })
    writeTinyGguf(path.join(w.modelsDir, 'tiny-a.gguf'))
    writeTinyGguf(path.join(w.modelsDir, 'tiny-b.gguf'), { seed: 5 })
  })
  afterAll(() => w?.close())

  it('refuses to load a model past the budget with a clear message', async () => {
    const a = (await w.model('tiny-a'))?.id ?? ''
    const b = (await w.model('tiny-b'))?.id ?? ''
    await w.as(w.admin, { method: 'POST', url: `/api/v1/models/${a}/start` })
    await w.hostStatus('tiny-a', 'loaded')
    await w.as(w.admin, { method: 'POST', url: `/api/v1/models/${b}/start` })
    const refused = await w.hostStatus('tiny-b', 'error')
    expect(refused.hosts[0]?.error).toMatch(
      /load failed: tiny-b needs about \d+ MB but only \d+ MB of the 3 MB embedded memory budget is free \(loaded: tiny-a\); stop a model first/,
    )
    expect((await w.model('tiny-a'))?.hosts[0]?.status).toBe('loaded')
    await w.as(w.admin, { method: 'POST', url: `/api/v1/models/${a}/stop` })
    await w.hostStatus('tiny-a', 'available')
  })
})
