// Shared set-up for the chat tests: an app with a fake Ollama registered, users, and helpers to
// send messages, follow generations over SSE and read conversations.
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import WebSocket from 'ws'
import type { ConfigInput } from '../src/config.js'
import { FakeOllama, type FakeOllamaModel, type FakeOllamaOptions } from './fakes/fake-ollama.js'
import { type DbKind, type SignedIn, signUp, startTestApp, type TestApp } from './helpers.js'

export interface ChatWorld {
  t: TestApp
  app: FastifyInstance
  admin: SignedIn
  user: SignedIn
  fake: FakeOllama
  /** Catalog ids by model name. */
  models: Record<string, string>
  close(): Promise<void>
}

export async function registerFake(app: FastifyInstance, admin: SignedIn, fake: FakeOllama, name = 'fake') {
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/providers',
    headers: admin.auth,
    payload: { name, kind: 'ollama', baseUrl: fake.url },
  })
  expect(created.statusCode, created.body).toBe(201)
  const list = await app.inject({ url: '/api/v1/models?refresh=true', headers: admin.auth })
  expect(list.statusCode).toBe(200)
  const items = list.json<{ items: Array<{ id: string; name: string }> }>().items
  return Object.fromEntries(items.map((m) => [m.name, m.id]))
}

export async function startChat(
  kind: DbKind,
  options: { config?: ConfigInput; fake?: FakeOllamaOptions } = {},
): Promise<ChatWorld> {
  const t = await startTestApp(kind, options.config)
  const admin = await signUp(t.app, 'admin')
  const user = await signUp(t.app, 'user')
  const fake = await FakeOllama.start(options.fake)
  const models = await registerFake(t.app, admin, fake)
  return {
    t,
    app: t.app,
    admin,
    user,
    fake,
    models,
    close: async () => {
      await t.close()
      await fake.close()
    },
  }
}

export type Model = FakeOllamaModel

export interface Started {
  conversationId: string
  userMessageId: string | null
  assistantMessageId: string
  generationId: string
  contextTrimmed: number
}

export interface MessageView {
  id: string
  parentId: string | null
  role: 'user' | 'assistant'
  content: string
  state: string
  error: string | null
  modelName: string | null
  contextTrimmed: number
  siblingCount: number
  siblingIndex: number
  streamSeq: number | null
  usage: {
    inputTokens: number | null
    outputTokens: number | null
    ttftMs: number | null
    durationMs: number | null
    cost: number | null
  } | null
  feedback: { rating: string; comment: string | null } | null
}

export interface ConversationView {
  id: string
  title: string
  selectedLeafId: string | null
  messages: { items: MessageView[]; hasMore: boolean; before: string | null }
}

export async function createConversation(
  app: FastifyInstance,
  who: SignedIn,
  body: Record<string, unknown> = {},
): Promise<{ id: string; title: string }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/conversations',
    headers: who.auth,
    payload: body,
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json()
}

export async function send(
  app: FastifyInstance,
  who: SignedIn,
  conversationId: string,
  body: Record<string, unknown>,
): Promise<Started> {
  const response = await app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    headers: who.auth,
    payload: body,
  })
  expect(response.statusCode, response.body).toBe(202)
  return response.json()
}

export async function post(
  app: FastifyInstance,
  who: SignedIn,
  url: string,
  payload?: unknown,
): Promise<Started> {
  const response = await app.inject({
    method: 'POST',
    url,
    headers: who.auth,
    ...(payload ? { payload } : {}),
  })
  expect(response.statusCode, response.body).toBe(202)
  return response.json()
}

export interface SseEvent {
  id: number | null
  event: string
  data: Record<string, unknown>
}

/** Parses complete SSE frames; comments (heartbeats) are skipped. */
export function parseSse(text: string): SseEvent[] {
  const events: SseEvent[] = []
  for (const frame of text.split('\n\n')) {
    const fields: Record<string, string> = {}
    for (const line of frame.split('\n')) {
      if (!line || line.startsWith(':')) continue
      const at = line.indexOf(':')
      fields[line.slice(0, at)] = line.slice(at + 1).trimStart()
    }
    if (!fields.data) continue
    events.push({
      id: fields.id === undefined ? null : Number(fields.id),
      event: fields.event ?? 'message',
      data: JSON.parse(fields.data),
    })
  }
  return events
}

/** Follows a generation to its end (inject resolves once the stream ends) and returns its events. */
export async function follow(app: FastifyInstance, who: SignedIn, generationId: string): Promise<SseEvent[]> {
  const response = await app.inject({ url: `/api/v1/generations/${generationId}/events`, headers: who.auth })
  expect(response.statusCode, response.body).toBe(200)
  expect(response.headers['content-type']).toMatch(/^text\/event-stream/)
  return parseSse(response.body)
}

export async function finished(app: FastifyInstance, who: SignedIn, started: Started): Promise<SseEvent> {
  const events = await follow(app, who, started.generationId)
  const done = events.at(-1)
  expect(done?.event).toBe('done')
  return done as SseEvent
}

export async function open(
  app: FastifyInstance,
  who: SignedIn,
  conversationId: string,
  query: Record<string, string> = {},
): Promise<ConversationView> {
  const response = await app.inject({
    url: `/api/v1/conversations/${conversationId}`,
    query,
    headers: who.auth,
  })
  expect(response.statusCode, response.body).toBe(200)
  return response.json()
}

export const FULL_REPLY = 'Hello from the fake Ollama, one word at a time.'

/** Fails a wait that never ends with a clear message instead of the test timeout. */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/** Collects events that satisfy a condition, and lets a test await the condition. */
class Waiters<T> {
  readonly items: T[] = []
  private readonly waiting: Array<{ done: (items: T[]) => boolean; resolve: () => void }> = []

  push(item: T): void {
    this.items.push(item)
    this.check()
  }

  check(): void {
    for (const waiter of [...this.waiting]) {
      if (waiter.done(this.items)) {
        this.waiting.splice(this.waiting.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }

  until(done: (items: T[]) => boolean, what: string): Promise<void> {
    if (done(this.items)) return Promise.resolve()
    return within(new Promise<void>((resolve) => this.waiting.push({ done, resolve })), what)
  }
}

/** An SSE client over real HTTP (fetch), reading frames as they arrive. */
export class SseClient {
  private readonly received = new Waiters<SseEvent>()
  ended = false

  private constructor(
    readonly status: number,
    private readonly controller: AbortController,
  ) {}

  get events(): SseEvent[] {
    return this.received.items
  }

  static async connect(url: string, headers: Record<string, string>): Promise<SseClient> {
    const controller = new AbortController()
    const response = await fetch(url, { headers, signal: controller.signal })
    const client = new SseClient(response.status, controller)
    if (response.body) void client.pump(response.body)
    return client
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true })
        const end = buffer.lastIndexOf('\n\n')
        if (end < 0) continue
        for (const event of parseSse(buffer.slice(0, end + 2))) this.received.push(event)
        buffer = buffer.slice(end + 2)
      }
    } catch (error) {
      if (!this.controller.signal.aborted) throw error
    }
    this.ended = true
    this.received.check()
  }

  until(done: (events: SseEvent[]) => boolean, what: string): Promise<void> {
    return this.received.until(done, what)
  }

  deltas(): SseEvent[] {
    return this.events.filter((e) => e.event === 'delta')
  }

  /** Resolves once the server has ended the stream. */
  finished(): Promise<void> {
    return this.received.until(() => this.ended, 'the stream to end')
  }

  close(): void {
    this.controller.abort()
  }
}

/** A signed-in WebSocket that records every event it receives. */
export class WsCollector {
  private readonly received = new Waiters<Record<string, unknown>>()

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.received.push(JSON.parse(String(data))))
  }

  static async open(baseUrl: string, token: string): Promise<WsCollector> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`)
    const collector = new WsCollector(socket)
    await within(
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve())
        socket.once('error', reject)
      }),
      'the socket to open',
    )
    socket.send(JSON.stringify({ type: 'auth', token }))
    await collector.until((items) => items.some((m) => m.type === 'ready'), 'ready')
    return collector
  }

  get events(): Array<Record<string, unknown>> {
    return this.received.items
  }

  until(done: (items: Array<Record<string, unknown>>) => boolean, what: string): Promise<void> {
    return this.received.until(done, what)
  }

  close(): void {
    this.socket.close()
  }
}

/** Listens on a free port of 127.0.0.1 and returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address() as AddressInfo
  return `http://127.0.0.1:${address.port}`
}
