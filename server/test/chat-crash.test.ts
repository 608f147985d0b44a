// The crash test: a server process is SIGKILLed while a reply streams; after a restart on the
// same data, the user message and the partial reply are there, the reply `interrupted` with its
// text, and both continue and regenerate work.
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDb } from '../src/db/index.js'
import { type ConversationView, parseSse, type Started, within } from './chat-kit.js'
import { FakeOllama } from './fakes/fake-ollama.js'
import { createTestDatabase, dbKinds, PASSWORD, spawnCli, type TestDatabase, uniqueEmail } from './helpers.js'

const LONG_REPLY = Array.from({ length: 40 }, (_, i) => `token${i}`).join(' ')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

interface Child {
  process: ChildProcessWithoutNullStreams
  url: string
  exited: Promise<NodeJS.Signals | number | null>
}

/** Starts `webplus start` on the data and resolves once it logs that it listens. */
async function startServer(db: TestDatabase): Promise<Child> {
  const port = await freePort()
  const args = ['start', '--host', '127.0.0.1', '--port', String(port), '--data-dir', db.dataDir]
  if (db.databaseUrl) args.push('--database-url', db.databaseUrl)
  const child = spawnCli(args, {
    OLLAMA_HOST: 'off',
    WEBPLUS_RECONCILE_INTERVAL_MS: '0',
    WEBPLUS_SERVE_WEB: 'false',
    WEBPLUS_LOG_LEVEL: 'info',
  })
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  )
  let output = ''
  const listening = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Server listening at')) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)))
  })
  await within(listening, 'the server to listen', 30_000)
  return { process: child, url: `http://127.0.0.1:${port}`, exited }
}

describe.each(dbKinds)('a server killed mid-reply on %s', (kind) => {
  let db: TestDatabase
  let fake: FakeOllama
  let server: Child | undefined

  beforeAll(async () => {
    db = await createTestDatabase(kind)
    fake = await FakeOllama.start({ reply: LONG_REPLY, slowDelayMs: 100 })
  })
  afterAll(async () => {
    if (server && server.process.exitCode === null && server.process.signalCode === null) {
      server.process.kill('SIGTERM')
      await server.exited
    }
    await fake.close()
    await db.cleanup()
  })

  it('keeps the partial reply as interrupted, and can continue and regenerate it after a restart', async () => {
    server = await startServer(db)
    let headers: Record<string, string> = {}
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${server?.url}${path}`, {
        method,
        ...(body === undefined
          ? { headers }
          : { headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      })
      const text = await response.text()
      return { status: response.status, text, json: () => JSON.parse(text) }
    }
    const email = uniqueEmail('crash')
    expect(
      (await call('POST', '/api/v1/auth/register', { email, password: PASSWORD, name: 'Crash' })).status,
    ).toBe(201)
    const login = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD })
    headers = { ...headers, authorization: `Bearer ${login.json().accessToken}` }
    const provider = await call('POST', '/api/v1/providers', {
      name: 'fake',
      kind: 'ollama',
      baseUrl: fake.url,
    })
    expect(provider.status, provider.text).toBe(201)
    const models = (await call('GET', '/api/v1/models?refresh=true')).json().items as Array<{
      id: string
      name: string
    }>
    const modelId = models.find((m) => m.name === 'llama3.2:1b')?.id
    const conversation = (await call('POST', '/api/v1/conversations', { modelId })).json() as { id: string }

    fake.setMode('slow')
    const sent = await call('POST', `/api/v1/conversations/${conversation.id}/messages`, {
      content: 'Crash soon',
    })
    expect(sent.status).toBe(202)
    const started = sent.json() as Started
    const view = async () =>
      (await call('GET', `/api/v1/conversations/${conversation.id}`)).json() as ConversationView
    // The API shows the live text; what matters here is what reached the database.
    const persisted = openDb(db)
    try {
      const stored = () =>
        persisted.db
          .selectFrom('messages')
          .select(['content', 'state'])
          .where('id', '=', started.assistantMessageId)
          .executeTakeFirstOrThrow()
      await expect.poll(async () => (await stored()).content, { timeout: 10_000, interval: 20 }).not.toBe('')
      expect((await stored()).state).toBe('streaming')
    } finally {
      await persisted.destroy()
    }

    server.process.kill('SIGKILL')
    expect(await server.exited).toBe('SIGKILL')
    const upstream = fake.requestsTo('/api/chat').find((r) => JSON.stringify(r.body).includes('Crash soon'))
    expect(await upstream?.outcome).toBe('aborted')

    server = await startServer(db)
    const after = await view()
    const [question, reply] = after.messages.items
    expect(question).toMatchObject({ id: started.userMessageId, content: 'Crash soon', state: 'complete' })
    expect(reply).toMatchObject({ id: started.assistantMessageId, state: 'interrupted' })
    const partial = reply?.content ?? ''
    expect(partial.length).toBeGreaterThan(0)
    expect(partial.length).toBeLessThan(LONG_REPLY.length)
    expect(LONG_REPLY.startsWith(partial)).toBe(true)

    const follow = async (generationId: string) =>
      parseSse((await call('GET', `/api/v1/generations/${generationId}/events`)).text)
    const stored = await follow(started.generationId)
    expect(stored.map((e) => e.event)).toEqual(['snapshot', 'done'])
    expect(stored[0]?.data).toMatchObject({ text: partial, state: 'interrupted' })

    fake.setMode('normal')
    const continued = await call('POST', `/api/v1/messages/${started.assistantMessageId}/continue`)
    expect(continued.status, continued.text).toBe(202)
    expect((await follow(continued.json().generationId)).at(-1)?.data.state).toBe('complete')
    expect((await view()).messages.items.at(-1)).toMatchObject({
      state: 'complete',
      content: partial + LONG_REPLY,
    })

    const regenerated = await call('POST', `/api/v1/messages/${started.assistantMessageId}/regenerate`)
    expect(regenerated.status, regenerated.text).toBe(202)
    expect((await follow(regenerated.json().generationId)).at(-1)?.data.state).toBe('complete')
    expect((await view()).messages.items.at(-1)).toMatchObject({
      content: LONG_REPLY,
      siblingCount: 2,
      siblingIndex: 1,
    })

    server.process.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  }, 90_000)
})
