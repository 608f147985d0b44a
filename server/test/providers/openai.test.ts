import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createAdapter,
  OpenAIAdapter,
  type ProviderAdapter,
  ProviderError,
} from '../../src/providers/index.js'
import { openaiBaseUrl } from '../../src/providers/openai.js'
import { FakeOpenAI } from '../fakes/fake-openai.js'
import { abortAfterFirstDelta, collect, textOf } from '../fakes/streams.js'

let fake: FakeOpenAI
let openai: ProviderAdapter

beforeEach(async () => {
  fake = await FakeOpenAI.start()
  openai = createAdapter({ kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-test' })
})

afterEach(async () => {
  await fake.close()
})

const hello = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system' as const, content: 'Be brief' },
    { role: 'user' as const, content: 'Say hello' },
  ],
}
const never = () => new AbortController().signal

describe('models', () => {
  it('lists /v1/models with capabilities guessed from the id', async () => {
    expect(await openai.listModels()).toEqual([
      { name: 'gpt-4o-mini', capabilities: ['chat', 'vision', 'tools'] },
      { name: 'gpt-4.1', capabilities: ['chat', 'vision', 'tools'] },
      { name: 'text-embedding-3-small', capabilities: ['embeddings'] },
      { name: 'whisper-1', capabilities: [] },
    ])
    expect(fake.requestsTo('/v1/models')[0]!.headers.authorization).toBe('Bearer sk-test')
  })

  it('adds /v1 to a base URL that has no path', async () => {
    expect(openaiBaseUrl('http://127.0.0.1:1234/')).toBe('http://127.0.0.1:1234/v1')
    expect(openaiBaseUrl('https://openrouter.ai/api/v1/')).toBe('https://openrouter.ai/api/v1')
    const bare = createAdapter({ kind: 'openai-compatible', baseUrl: fake.url, apiKey: 'sk-test' })
    expect(await bare.listModels()).toHaveLength(4)
  })

  it('sends no Authorization header for a keyless OpenAI-compatible server', async () => {
    const open = await FakeOpenAI.start({ apiKey: null, models: ['qwen2.5-vl-7b', 'bge-m3-embed'] })
    try {
      const local = createAdapter({ kind: 'openai-compatible', baseUrl: open.baseUrl })
      expect(await local.listModels()).toEqual([
        { name: 'qwen2.5-vl-7b', capabilities: ['chat', 'vision'] },
        { name: 'bge-m3-embed', capabilities: ['embeddings'] },
      ])
      expect(open.requests[0]!.headers.authorization).toBeUndefined()
    } finally {
      await open.close()
    }
  })

  it('embeds, in input order', async () => {
    const vectors = await openai.embed!('text-embedding-3-small', ['abc', 'abcdef'])
    expect(vectors).toEqual([
      [0.03, 0.04, 0.05, 0.06],
      [0.06, 0.07, 0.08, 0.09],
    ])
    expect(fake.requestsTo('/v1/embeddings')[0]!.body).toMatchObject({ encoding_format: 'float' })
  })
})

describe('chat', () => {
  it('streams deltas, then usage, then done, asking for usage in the stream', async () => {
    const events = await collect(
      openai.chat({ ...hello, temperature: 0.5, topP: 0.9, maxTokens: 50 }, never()),
    )
    expect(textOf(events)).toBe(fake.reply)
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 4, outputTokens: 10 },
      { type: 'done', finishReason: 'stop' },
    ])
    expect(fake.requestsTo('/v1/chat/completions')[0]!.body).toEqual({
      model: 'gpt-4o-mini',
      messages: hello.messages,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      max_completion_tokens: 50,
    })
  })

  it('holds the upstream back while the consumer is not reading, and loses nothing', async () => {
    // A server that writes a long reply as fast as its socket takes it, and notes when it stalls.
    const piece = 'x'.repeat(8192)
    const pieces = 2500 // 20 MB
    let written = 0
    let stalledAt = -1
    const server = http.createServer(async (req, res) => {
      req.resume()
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      const chunk = (content: string, finish: string | null) =>
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`
      for (let i = 0; i < pieces; i++) {
        const frame = chunk(piece, null)
        written += frame.length
        if (!res.write(frame)) {
          const drained = await Promise.race([
            once(res, 'drain').then(() => true),
            new Promise<false>((resolve) => setTimeout(() => resolve(false), 300)),
          ])
          if (!drained) {
            stalledAt = written
            await once(res, 'drain')
          }
        }
      }
      res.end(`${chunk('', 'stop')}data: [DONE]\n\n`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const adapter = createAdapter({ kind: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}` })
      const stream = adapter.chat(hello, never())[Symbol.asyncIterator]()
      let received = ((await stream.next()).value as { text: string }).text.length
      // Not reading: the server's writes stop once the socket's buffers are full.
      await expect.poll(() => stalledAt, { timeout: 10_000 }).toBeGreaterThan(0)
      expect(stalledAt).toBeLessThan(pieces * piece.length)
      let last: unknown
      for (let next = await stream.next(); !next.done; next = await stream.next()) {
        if (next.value.type === 'delta') received += next.value.text.length
        last = next.value
      }
      expect(received).toBe(pieces * piece.length)
      expect(last).toEqual({ type: 'done', finishReason: 'stop' })
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('sends max_tokens, not max_completion_tokens, to OpenAI-compatible servers', async () => {
    const compatible = new OpenAIAdapter('openai-compatible', fake.baseUrl, 'sk-test')
    const events = await collect(compatible.chat({ ...hello, maxTokens: 2 }, never()))
    expect(textOf(events)).toBe('Hello from')
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' })
    expect(fake.requestsTo('/v1/chat/completions')[0]!.body).toMatchObject({ max_tokens: 2 })
  })

  it('cancels the upstream request when the signal aborts mid-stream', async () => {
    fake.setMode('slow')
    const events = await abortAfterFirstDelta((signal) => openai.chat(hello, signal))
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' })
    expect(events.filter((event) => event.type === 'delta').length).toBeLessThan(10)
    expect(await fake.requestsTo('/v1/chat/completions')[0]!.outcome).toBe('aborted')
  })

  it('cancels the upstream request when the consumer stops iterating', async () => {
    fake.setMode('slow')
    for await (const event of openai.chat(hello, never())) {
      if (event.type === 'delta') break
    }
    expect(await fake.requestsTo('/v1/chat/completions')[0]!.outcome).toBe('aborted')
  })

  it('turns an error chunk mid-stream into an error event', async () => {
    fake.setMode('error')
    const events = await collect(openai.chat(hello, never()))
    expect(textOf(events)).toBe('Hello from')
    expect(events.at(-1)).toEqual({
      type: 'error',
      kind: 'upstream',
      retryable: true,
      message: 'OpenAI reported an error mid-stream: The server had an error while processing your request.',
    })
  })

  it('turns a dropped connection into an error event', async () => {
    fake.setMode('disconnect')
    const events = await collect(openai.chat(hello, never()))
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      kind: 'upstream',
      message: 'OpenAI closed the connection before the response was complete',
    })
  })

  it('turns a chunk that is not JSON into an error event', async () => {
    fake.setMode('garbage')
    const events = await collect(openai.chat(hello, never()))
    expect(events.at(-1)).toEqual({
      type: 'error',
      kind: 'bad_response',
      retryable: false,
      message: 'OpenAI sent a response that is not valid JSON',
    })
  })

  it('reports an unknown model as not_found', async () => {
    const events = await collect(openai.chat({ ...hello, model: 'gpt-9' }, never()))
    expect(events).toEqual([
      {
        type: 'error',
        kind: 'not_found',
        retryable: false,
        message: 'OpenAI: The model `gpt-9` does not exist or you do not have access to it.',
      },
    ])
  })
})

describe('errors', () => {
  it('reports a bad key as unauthorized, with a status that is not the caller’s 401', async () => {
    const wrong = createAdapter({ kind: 'openai', baseUrl: fake.baseUrl, apiKey: 'sk-wrong' })
    const error = await wrong.listModels().catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({
      kind: 'unauthorized',
      status: 502,
      upstreamStatus: 401,
      retryable: false,
      message: 'OpenAI rejected the API key: Incorrect API key provided: sk-***ng.',
    })
    const events = await collect(wrong.chat(hello, never()))
    expect(events).toEqual([expect.objectContaining({ type: 'error', kind: 'unauthorized' })])
  })

  it('reports 429 as rate_limited with the retry-after, without retrying behind the caller’s back', async () => {
    fake.setMode('rate_limited')
    await expect(openai.listModels()).rejects.toMatchObject({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    })
    const events = await collect(openai.chat(hello, never()))
    expect(events).toEqual([
      {
        type: 'error',
        kind: 'rate_limited',
        retryable: true,
        retryAfterMs: 2000,
        message: 'OpenAI is rate limiting requests: Rate limit reached for requests. Please try again in 2s.',
      },
    ])
    expect(fake.requestsTo('/v1/chat/completions')).toHaveLength(1)
  })

  it('reports 500 as a retryable upstream failure', async () => {
    fake.setMode('server_error')
    const events = await collect(openai.chat(hello, never()))
    expect(events).toEqual([
      {
        type: 'error',
        kind: 'upstream',
        retryable: true,
        message:
          'OpenAI failed with HTTP 500: The server had an error while processing your request. Sorry about that!',
      },
    ])
  })

  it('reports health with latency, and an unreachable server', async () => {
    const health = await openai.health()
    expect(health.ok).toBe(true)
    expect(health.latencyMs).toBeGreaterThanOrEqual(0)
    const gone = await FakeOpenAI.start()
    await gone.close()
    const down = await createAdapter({ kind: 'openai-compatible', baseUrl: gone.baseUrl }).health()
    expect(down).toMatchObject({
      ok: false,
      error: `Cannot reach OpenAI-compatible server at ${gone.baseUrl}: connection refused`,
    })
    expect(typeof down.latencyMs).toBe('number')
  })
})
