// A minimal OpenAI-compatible backend for the gateway benchmark, run in its own process so that
// its CPU is not counted as the gateway's. Every chat completion streams TOKENS tokens: the
// first at once (as a model with a warm prompt cache would), then one every TOKEN_MS on a shared
// ticker. Frames are built once, so the backend stays cheap at 500 concurrent streams.
// Usage: tsx fake-openai-stream.ts <tokens> <tokenMs>; prints its base URL as one line.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const TOKENS = Number(process.argv[2] ?? 200)
const TOKEN_MS = Number(process.argv[3] ?? 5)
const MODEL = 'bench-model'

const base = `"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"${MODEL}"`
const frame = (delta: string, finish: string | null) =>
  `data: {${base},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`
const tokenFrames = Array.from({ length: TOKENS }, (_, i) => frame(`{"content":" w${i}"}`, null))
const first = `${frame('{"role":"assistant","content":""}', null)}${tokenFrames[0]}`
const usage = `data: {${base},"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":${TOKENS},"total_tokens":${TOKENS + 5}}}\n\n`
const last = (includeUsage: boolean) => `${frame('{}', 'stop')}${includeUsage ? usage : ''}data: [DONE]\n\n`

interface Live {
  res: ServerResponse
  next: number
  includeUsage: boolean
}
const live = new Set<Live>()

setInterval(() => {
  for (const stream of live) {
    if (stream.res.destroyed) {
      live.delete(stream)
      continue
    }
    if (stream.next < TOKENS) {
      stream.res.write(tokenFrames[stream.next])
      stream.next += 1
      continue
    }
    stream.res.end(last(stream.includeUsage))
    live.delete(stream)
  }
}, TOKEN_MS)

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    if (req.method === 'GET' && req.url?.endsWith('/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          object: 'list',
          data: [{ id: MODEL, object: 'model', created: 0, owned_by: 'bench' }],
        }),
      )
      return
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/v1/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}')
      return
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      stream?: boolean
      stream_options?: { include_usage?: boolean }
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    res.write(first)
    live.add({ res, next: 1, includeUsage: body.stream_options?.include_usage === true })
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
