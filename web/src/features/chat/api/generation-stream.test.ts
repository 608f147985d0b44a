import { describe, expect, it, vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'
import { applyStreamEvent, followGeneration, initialStream, type ReplyStream } from './generation-stream'

function event(name: string, id: number, data: unknown) {
  return { event: name, id: String(id), data: JSON.stringify(data) }
}

describe('applyStreamEvent', () => {
  it('takes a snapshot, appends deltas in order and finishes on done', () => {
    let reply = initialStream('', null)
    reply = applyStreamEvent(reply, event('snapshot', 3, { text: 'Hel', state: 'streaming' })).next
    expect(reply).toMatchObject({ text: 'Hel', seq: 3, finished: false })
    reply = applyStreamEvent(reply, event('delta', 4, { text: 'lo' })).next
    const done = applyStreamEvent(
      reply,
      event('done', 5, { state: 'complete', error: null, usage: { outputTokens: 2 }, contextTrimmed: 1 }),
    )
    expect(done.step).toBe('done')
    expect(done.next).toMatchObject({
      text: 'Hello',
      state: 'complete',
      finished: true,
      usage: { outputTokens: 2 },
      contextTrimmed: 1,
    })
  })

  it('ignores a delta it already has and reports a gap when one is missing', () => {
    const reply: ReplyStream = { ...initialStream('abc', 3) }
    expect(applyStreamEvent(reply, event('delta', 3, { text: 'c' }))).toEqual({
      next: reply,
      step: 'ignored',
    })
    expect(applyStreamEvent(reply, event('delta', 5, { text: 'e' })).step).toBe('gap')
    expect(applyStreamEvent(reply, event('done', 6, { state: 'complete' })).step).toBe('gap')
    expect(applyStreamEvent(reply, event('delta', 4, { text: 'd' })).next.text).toBe('abcd')
  })

  it('ignores events without a numeric id or with data that is not JSON', () => {
    const reply = initialStream('x', 1)
    expect(applyStreamEvent(reply, { event: 'delta', id: undefined, data: '{"text":"y"}' }).step).toBe(
      'ignored',
    )
    expect(applyStreamEvent(reply, { event: 'delta', id: '2', data: 'not json' }).step).toBe('ignored')
    expect(applyStreamEvent(reply, event('unknown', 2, {})).step).toBe('ignored')
  })
})

/** An SSE response whose frames are written as given, then closed. */
function sse(frames: string[]): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // Split frames at odd places, as a network would.
      for (const frame of frames) {
        const middle = Math.floor(frame.length / 2)
        controller.enqueue(encoder.encode(frame.slice(0, middle)))
        controller.enqueue(encoder.encode(frame.slice(middle)))
      }
      controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
}

function frame(name: string, id: number, data: unknown) {
  return `id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`
}

function signedInApi(fetch: typeof globalThis.fetch) {
  return new ApiClient({ fetch })
}

describe('followGeneration', () => {
  it('resumes after a dropped stream with Last-Event-ID, without repeating text', async () => {
    const lastEventIds: (string | null)[] = []
    const answers = [
      sse([': stream open\n\n', frame('delta', 3, { text: ' wor' })]),
      sse([
        frame('delta', 3, { text: ' wor' }),
        frame('delta', 4, { text: 'ld' }),
        frame('done', 5, { state: 'complete' }),
      ]),
    ]
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      lastEventIds.push(new Headers(init?.headers).get('last-event-id'))
      return answers.shift() ?? new Response(null, { status: 500 })
    })
    const changes: string[] = []
    const reply = await followGeneration({
      api: signedInApi(fetch),
      generationId: 'g1',
      initial: initialStream('hello', 2),
      onChange: (next) => changes.push(next.text),
      signal: new AbortController().signal,
      sleep: async () => undefined,
    })
    expect(lastEventIds).toEqual(['2', '3'])
    expect(reply).toMatchObject({ text: 'hello world', state: 'complete', finished: true, seq: 5 })
    expect(changes).toEqual(['hello wor', 'hello world', 'hello world'])
    expect(String(fetch.mock.calls[0]?.[0])).toBe('/api/v1/generations/g1/events')
  })

  it('asks for a snapshot when it knows nothing, and reconnects from the last good id after a gap', async () => {
    const lastEventIds: (string | null)[] = []
    const answers = [
      sse([frame('snapshot', 4, { text: 'abcd', state: 'streaming' }), frame('delta', 6, { text: 'f' })]),
      sse([
        frame('delta', 5, { text: 'e' }),
        frame('delta', 6, { text: 'f' }),
        frame('done', 7, { state: 'stopped' }),
      ]),
    ]
    const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      lastEventIds.push(new Headers(init?.headers).get('last-event-id'))
      return answers.shift() ?? new Response(null, { status: 500 })
    })
    const reply = await followGeneration({
      api: signedInApi(fetch),
      generationId: 'g2',
      initial: initialStream('', null),
      onChange: () => undefined,
      signal: new AbortController().signal,
      sleep: async () => undefined,
    })
    expect(lastEventIds).toEqual([null, '4'])
    expect(reply).toMatchObject({ text: 'abcdef', state: 'stopped', finished: true })
  })

  it('gives up on a refusal (the reply is gone) instead of retrying', async () => {
    const fetch = vi.fn(
      async () =>
        new Response(
          JSON.stringify({
            type: 'about:blank',
            title: 'Not Found',
            status: 404,
            detail: 'Generation not found',
          }),
          {
            status: 404,
            headers: { 'content-type': 'application/problem+json' },
          },
        ),
    )
    await expect(
      followGeneration({
        api: signedInApi(fetch),
        generationId: 'gone',
        initial: initialStream('', 0),
        onChange: () => undefined,
        signal: new AbortController().signal,
        sleep: async () => undefined,
      }),
    ).rejects.toMatchObject({ status: 404 })
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('retries network failures with a wait, and stops when aborted', async () => {
    const controller = new AbortController()
    const waits: number[] = []
    const fetch = vi.fn(async () => {
      throw new TypeError('network down')
    })
    const following = followGeneration({
      api: signedInApi(fetch),
      generationId: 'g3',
      initial: initialStream('so far', 7),
      onChange: () => undefined,
      signal: controller.signal,
      sleep: async (ms) => {
        waits.push(ms)
        if (waits.length === 3) controller.abort()
      },
    })
    await expect(following).resolves.toMatchObject({ text: 'so far', seq: 7, finished: false })
    expect(waits).toEqual([1000, 2000, 4000])
  })
})
