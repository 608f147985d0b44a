import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { anthropicBaseUrl } from '../../src/providers/anthropic.js'
import { createAdapter, type ProviderAdapter, ProviderError } from '../../src/providers/index.js'
import { FakeAnthropic } from '../fakes/fake-anthropic.js'
import { abortAfterFirstDelta, collect, textOf } from '../fakes/streams.js'

let fake: FakeAnthropic
let claude: ProviderAdapter

beforeEach(async () => {
  fake = await FakeAnthropic.start()
  claude = createAdapter({ kind: 'anthropic', baseUrl: fake.url, apiKey: 'sk-ant-test' })
})

afterEach(async () => {
  await fake.close()
})

const hello = {
  model: 'claude-sonnet-4-6',
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Say hello' },
    { role: 'assistant' as const, content: 'Hi' },
    { role: 'user' as const, content: 'Again please' },
  ],
}
const never = () => new AbortController().signal

describe('models', () => {
  it('lists models with display names, context and vision from the models endpoint', async () => {
    expect(await claude.listModels()).toEqual([
      {
        name: 'claude-sonnet-4-6',
        displayName: 'Claude Sonnet 4.6',
        contextLength: 200_000,
        capabilities: ['chat', 'vision', 'tools'],
        modifiedAt: '2026-02-17T00:00:00Z',
      },
      {
        name: 'claude-3-5-haiku-20241022',
        displayName: 'Claude Haiku 3.5',
        capabilities: ['chat', 'vision', 'tools'],
        modifiedAt: '2024-10-22T00:00:00Z',
      },
    ])
    const { headers } = fake.requestsTo('/v1/models')[0]!
    expect(headers['x-api-key']).toBe('sk-ant-test')
    expect(headers.authorization).toBeUndefined()
    expect(headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('takes a base URL with or without /v1', async () => {
    expect(anthropicBaseUrl('https://api.anthropic.com/v1/')).toBe('https://api.anthropic.com')
    const withV1 = createAdapter({ kind: 'anthropic', baseUrl: `${fake.url}/v1`, apiKey: 'sk-ant-test' })
    expect(await withV1.listModels()).toHaveLength(2)
  })
})

describe('chat', () => {
  it('streams deltas with usage from message_start and message_delta, the system prompt apart', async () => {
    const events = await collect(claude.chat({ ...hello, temperature: 0.3 }, never()))
    expect(textOf(events)).toBe(fake.reply)
    // Input counts the system prompt and every message (2 + 2 + 1 + 2 words).
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 7, outputTokens: 10 },
      { type: 'done', finishReason: 'stop' },
    ])
    expect(fake.requestsTo('/v1/messages')[0]!.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: hello.messages.slice(1),
      stream: true,
      temperature: 0.3,
    })
  })

  it('ends with finishReason length when max_tokens cuts the reply', async () => {
    const events = await collect(claude.chat({ ...hello, maxTokens: 3 }, never()))
    expect(textOf(events)).toBe('Hello from the')
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 7, outputTokens: 3 },
      { type: 'done', finishReason: 'length' },
    ])
  })

  it('cancels the upstream request when the signal aborts mid-stream', async () => {
    fake.setMode('slow')
    const events = await abortAfterFirstDelta((signal) => claude.chat(hello, signal))
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' })
    expect(events.filter((event) => event.type === 'delta').length).toBeLessThan(10)
    expect(await fake.requestsTo('/v1/messages')[0]!.outcome).toBe('aborted')
  })

  it('cancels the upstream request when the consumer stops iterating', async () => {
    fake.setMode('slow')
    for await (const event of claude.chat(hello, never())) {
      if (event.type === 'delta') break
    }
    expect(await fake.requestsTo('/v1/messages')[0]!.outcome).toBe('aborted')
  })

  it('turns an error event mid-stream into a retryable error event', async () => {
    fake.setMode('error')
    const events = await collect(claude.chat(hello, never()))
    expect(textOf(events)).toBe('Hello from')
    expect(events.at(-1)).toEqual({
      type: 'error',
      kind: 'upstream',
      retryable: true,
      message: 'Anthropic reported an error mid-stream: Overloaded',
    })
  })

  it('turns a dropped connection into an error event', async () => {
    fake.setMode('disconnect')
    const events = await collect(claude.chat(hello, never()))
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      kind: 'upstream',
      message: 'Anthropic closed the connection before the response was complete',
    })
  })

  it('turns event data that is not JSON into an error event', async () => {
    fake.setMode('garbage')
    const events = await collect(claude.chat(hello, never()))
    expect(events.at(-1)).toMatchObject({ type: 'error', kind: 'bad_response' })
  })

  it('reports an unknown model as not_found', async () => {
    const events = await collect(claude.chat({ ...hello, model: 'claude-0' }, never()))
    expect(events).toEqual([
      { type: 'error', kind: 'not_found', retryable: false, message: 'Anthropic: model: claude-0' },
    ])
  })
})

describe('errors', () => {
  it('reports a bad key as unauthorized', async () => {
    const wrong = createAdapter({ kind: 'anthropic', baseUrl: fake.url, apiKey: 'sk-ant-wrong' })
    const error = await wrong.listModels().catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({
      kind: 'unauthorized',
      status: 502,
      upstreamStatus: 401,
      message: 'Anthropic rejected the API key: invalid x-api-key',
    })
    expect(await collect(wrong.chat(hello, never()))).toEqual([
      expect.objectContaining({ type: 'error', kind: 'unauthorized', retryable: false }),
    ])
  })

  it('fails without a key before sending anything', async () => {
    const keyless = createAdapter({ kind: 'anthropic', baseUrl: fake.url })
    await expect(keyless.listModels()).rejects.toMatchObject({ kind: 'unauthorized' })
    expect((await keyless.health()).error).toBe('Anthropic needs an API key, and none is set')
    expect(fake.requests).toHaveLength(0)
  })

  it('reports 429 with retry-after and 529 overloaded', async () => {
    fake.setMode('rate_limited')
    expect(await collect(claude.chat(hello, never()))).toEqual([
      expect.objectContaining({ type: 'error', kind: 'rate_limited', retryAfterMs: 3000 }),
    ])
    fake.setMode('overloaded')
    expect(await collect(claude.chat(hello, never()))).toEqual([
      expect.objectContaining({
        type: 'error',
        kind: 'upstream',
        retryable: true,
        message: 'Anthropic failed with HTTP 529: Overloaded',
      }),
    ])
  })

  it('reports health with latency, and an unreachable API', async () => {
    const health = await claude.health()
    expect(health.ok).toBe(true)
    expect(fake.requestsTo('/v1/models')).toHaveLength(1)
    const gone = await FakeAnthropic.start()
    await gone.close()
    const down = await createAdapter({ kind: 'anthropic', baseUrl: gone.url, apiKey: 'k' }).health()
    expect(down).toMatchObject({
      ok: false,
      error: `Cannot reach Anthropic at ${gone.url}: connection refused`,
    })
  })
})
