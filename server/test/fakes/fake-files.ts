// A small HTTP file server on 127.0.0.1 for download tests: serves files with Range support
// (206 + Content-Range, ETag), and can drop a response part-way or answer with other bytes.
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ServedRequest {
  path: string
  range: string | undefined
  ifRange: string | undefined
}

export type FileMode =
  /** Send the whole file (or the requested range). */
  | 'normal'
  /** Close the connection after `dropAfter` bytes, on the first request only. */
  | 'drop-once'
  /** Send the file with some bytes flipped (the sha256 no longer matches). */
  | 'corrupt'
  /** Send the file slowly, in 1 KB steps every `slowMs`. */
  | 'slow'

export class FakeFiles {
  readonly requests: ServedRequest[] = []
  private readonly files = new Map<string, Buffer>()
  private mode: FileMode = 'normal'
  private dropped = false
  dropAfter = 64 * 1024
  slowMs = 20

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<FakeFiles> {
    const server = http.createServer()
    const fake = new FakeFiles(server)
    server.on('request', (req, res) => fake.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return fake
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  serve(path: string, content: Buffer): string {
    this.files.set(path, content)
    return `${this.url}${path}`
  }

  setMode(mode: FileMode): void {
    this.mode = mode
    this.dropped = false
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    this.requests.push({
      path,
      range: req.headers.range,
      ifRange: req.headers['if-range'] as string | undefined,
    })
    let body = this.files.get(path)
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
    if (this.mode === 'corrupt') {
      body = Buffer.from(body)
      for (let i = 100; i < body.length; i += 4096) body[i] = (body[i] ?? 0) ^ 0xff
    }
    const match = req.headers.range?.match(/^bytes=(\d+)-$/)
    const start = match ? Number(match[1]) : 0
    if (start >= body.length && match) {
      res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end()
      return
    }
    const part = body.subarray(start)
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/octet-stream',
      'content-length': part.length,
      'accept-ranges': 'bytes',
      etag,
    }
    if (match) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`
    res.writeHead(match ? 206 : 200, headers)
    if (this.mode === 'drop-once' && !this.dropped) {
      this.dropped = true
      res.write(part.subarray(0, this.dropAfter), () => res.destroy())
      return
    }
    if (this.mode === 'slow') {
      this.trickle(res, part)
      return
    }
    res.end(part)
  }

  private trickle(res: http.ServerResponse, part: Buffer, offset = 0): void {
    if (res.destroyed) return
    if (offset >= part.length) {
      res.end()
      return
    }
    res.write(part.subarray(offset, offset + 1024))
    setTimeout(() => this.trickle(res, part, offset + 1024), this.slowMs)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
