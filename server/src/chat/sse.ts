// A small Server-Sent Events writer over the raw response: frames with ids, heartbeat comments
// so proxies keep the connection open, and a close callback when the client goes away.
// Written by hand rather than with @fastify/sse (0.x at the time): the route needs only these
// few lines, and the generation log — not the transport — owns replay from Last-Event-ID.
import type { FastifyReply, FastifyRequest } from 'fastify'

export const HEARTBEAT_MS = 15_000

export interface EventStream {
  send(event: string, id: number, data: unknown): void
  /** Tells the client how long to wait before it reconnects. */
  retry(ms: number): void
  end(): void
  readonly closed: boolean
  onClose(listener: () => void): void
}

/** The Last-Event-ID a reconnecting client sent (header, or `lastEventId` in the query). */
export function lastEventId(request: FastifyRequest, fromQuery?: string): number | null {
  const raw = request.headers['last-event-id'] ?? fromQuery
  const value = Array.isArray(raw) ? raw[0] : raw
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return null
  return Number(value.trim())
}

/** The open streams of one app, so that shutdown can end them (they would hold the server open). */
export class EventStreams {
  private readonly open = new Set<EventStream>()

  start(reply: FastifyReply): EventStream {
    const stream = openEventStream(reply)
    this.open.add(stream)
    stream.onClose(() => this.open.delete(stream))
    return stream
  }

  endAll(): void {
    for (const stream of [...this.open]) stream.end()
  }
}

function openEventStream(reply: FastifyReply): EventStream {
  reply.hijack()
  const res = reply.raw
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value : String(value)
  }
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  })
  res.write(': stream open\n\n')

  const listeners: Array<() => void> = []
  let closed = false
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS)
  const cleanup = () => {
    if (closed) return
    closed = true
    clearInterval(heartbeat)
    for (const listener of listeners) listener()
  }
  const stream: EventStream = {
    send(event, id, data) {
      if (closed) return
      res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    },
    retry(ms) {
      if (!closed) res.write(`retry: ${ms}\n\n`)
    },
    end() {
      if (closed) return
      cleanup()
      res.end()
    },
    get closed() {
      return closed
    },
    onClose(listener) {
      listeners.push(listener)
    },
  }
  res.on('close', cleanup)
  return stream
}
