// What every fake provider shares: a real HTTP server on 127.0.0.1, a log of the requests it
// got, and a way to await a request and learn whether the client hung up before the end.

import { EventEmitter } from 'node:events'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

/** `completed`: the fake sent its whole answer; `aborted`: the client went away first. */
export type RequestOutcome = 'completed' | 'aborted'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON, or the raw text when it is not JSON, or undefined when empty. */
  body: unknown
  /** Settles when the exchange ends; a fake that drops the connection on purpose counts as completed. */
  outcome: Promise<RequestOutcome>
}

/** Answers whose connection a fake cut on purpose: their outcome is not a client abort. */
const dropped = new WeakSet<ServerResponse>()

export abstract class FakeHttpServer {
  readonly requests: RecordedRequest[] = []
  private readonly server: Server
  private readonly events = new EventEmitter()
  private address: AddressInfo | undefined

  constructor() {
    this.server = createServer((req, res) => {
      void this.handle(req, res)
    })
  }

  /** The provider's wire protocol. `body` is the parsed request body. */
  protected abstract respond(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> | void

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.address = this.server.address() as AddressInfo
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    if (!this.address) throw new Error('the fake is not listening')
    return `http://127.0.0.1:${this.address.port}`
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = text
    }
    const outcome = new Promise<RequestOutcome>((resolve) => {
      res.on('close', () => resolve(res.writableFinished || dropped.has(res) ? 'completed' : 'aborted'))
    })
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      headers: req.headers,
      body,
      outcome,
    }
    this.requests.push(record)
    this.events.emit('request', record)
    try {
      await this.respond(req, res, body)
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: `fake failed: ${String(err)}` })
      else res.destroy()
    }
  }

  /** The first request (already seen or still to come) that matches. */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs = 5000): Promise<RecordedRequest> {
    const seen = this.requests.find(match)
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', listener)
        reject(new Error(`no matching request within ${timeoutMs} ms`))
      }, timeoutMs)
      const listener = (request: RecordedRequest) => {
        if (!match(request)) return
        clearTimeout(timer)
        this.events.off('request', listener)
        resolve(request)
      }
      this.events.on('request', listener)
    })
  }

  /** Requests to `path`, in order. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((request) => request.path === path)
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeAllConnections()
    await closed
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
  res.end(text)
}

/** Cuts the TCP connection mid-answer, as a crashed server or a proxy timeout would. */
export function dropConnection(res: ServerResponse): void {
  dropped.add(res)
  res.socket?.destroy()
}

/** Waits `ms`; false when the client has gone away meanwhile (stop writing then). */
export async function pace(res: ServerResponse, ms: number): Promise<boolean> {
  if (ms > 0) await delay(ms)
  return !res.destroyed && res.writable
}

/** Words of a reply: `['Hello', ' world', …]`. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+/g) ?? []
}

/** A rough token count for usage figures: one per word. */
export function countWords(text: string): number {
  return splitTokens(text).length
}
