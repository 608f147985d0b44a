import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RealtimeClient } from './realtime'

/** Just enough of a WebSocket to drive the client by hand. */
class FakeSocket {
  sent: string[] = []
  closed = false
  onopen: (() => void) | null = null
  onmessage: ((message: { data: unknown }) => void) | null = null
  onclose: (() => void) | null = null
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data)
  }
  close() {
    this.closed = true
  }
  open() {
    this.onopen?.()
  }
  receive(event: unknown) {
    this.onmessage?.({ data: JSON.stringify(event) })
  }
  drop() {
    this.onclose?.()
  }
}

describe('RealtimeClient', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup() {
    const sockets: FakeSocket[] = []
    let tokenCount = 0
    const getToken = vi.fn(async (_force: boolean) => `token-${++tokenCount}`)
    const client = new RealtimeClient({
      url: () => 'ws://test/api/v1/ws',
      getToken,
      createSocket: (url) => {
        const socket = new FakeSocket(url)
        sockets.push(socket)
        return socket as unknown as WebSocket
      },
      initialDelayMs: 1000,
      maxDelayMs: 8000,
      random: () => 1, // no jitter: the delay is the full backoff
    })
    return { client, sockets, getToken }
  }

  it('authenticates with its first message and reports connected on ready', async () => {
    const { client, sockets } = setup()
    const events: unknown[] = []
    client.on('model.status', (event) => events.push(event))
    client.start()
    await vi.waitFor(() => expect(sockets).toHaveLength(1))
    expect(client.getStatus()).toBe('connecting')

    sockets[0]?.open()
    expect(sockets[0]?.sent).toEqual([JSON.stringify({ type: 'auth', token: 'token-1' })])
    sockets[0]?.receive({ type: 'ready' })
    expect(client.getStatus()).toBe('connected')

    sockets[0]?.receive({ type: 'model.status', model: 'llama3' })
    expect(events).toEqual([{ type: 'model.status', model: 'llama3' }])
  })

  it('reconnects with growing delays and asks for a fresh token after a refused auth', async () => {
    const { client, sockets, getToken } = setup()
    client.start()
    await vi.waitFor(() => expect(sockets).toHaveLength(1))
    sockets[0]?.open()
    sockets[0]?.drop() // closed before "ready": the token was refused

    expect(client.getStatus()).toBe('connecting')
    await vi.advanceTimersByTimeAsync(999)
    expect(sockets).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(sockets).toHaveLength(2)
    expect(getToken).toHaveBeenLastCalledWith(true)

    sockets[1]?.drop()
    await vi.advanceTimersByTimeAsync(1999)
    expect(sockets).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(sockets).toHaveLength(3)

    // A successful connection resets the backoff.
    sockets[2]?.open()
    expect(sockets[2]?.sent[0]).toContain('token-3')
    sockets[2]?.receive({ type: 'ready' })
    sockets[2]?.drop()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sockets).toHaveLength(4)
    expect(getToken).toHaveBeenLastCalledWith(false)
  })

  it('stops for good when stopped or when nobody is signed in', async () => {
    const { client, sockets, getToken } = setup()
    client.start()
    await vi.waitFor(() => expect(sockets).toHaveLength(1))
    client.stop()
    expect(sockets[0]?.closed).toBe(true)
    expect(client.getStatus()).toBe('offline')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(1)

    getToken.mockResolvedValueOnce(null as unknown as string)
    client.start()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sockets).toHaveLength(1)
    expect(client.getStatus()).toBe('offline')
  })
})
