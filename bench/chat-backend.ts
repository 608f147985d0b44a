// An OpenAI-compatible backend for the chat benchmark, in its own process. `bench-model` streams
// TOKENS tokens, one every TOKEN_MS per stream (each stream on its own timer); each token's text
// is the time it was written (performance.timeOrigin + now, ms), so a client can tell how long it
// took to arrive. `hold-model` sends the opening frame and then nothing until the client leaves:
// an idle stream. With a barrier of N, `bench-model` streams hold their first token until N of
// them are open (then all start together, after a short settle), so that every stream of a batch
// runs at once however long the client took to start them. Usage:
// tsx chat-backend.ts <tokens> <tokenMs> [barrier]; prints its base URL as one line.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const TOKENS = Number(process.argv[2] ?? 300)
const TOKEN_MS = Number(process.argv[3] ?? 20)
const BARRIER = Number(process.argv[4] ?? 0)
/** Between the last stream of a batch opening and the first token: the client subscribes. */
const SETTLE_MS = 1000
const MODELS = ['bench-model', 'hold-model']
/** A batch that stops growing for this long starts anyway (a client gave up on some streams). */
const STALL_MS = 30_000
let waiting: Array<() => void> = []
let stalled: NodeJS.Timeout | undefined

const base = (model: string) =>
  `"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"${model}"`
const frame = (model: string, delta: string, finish: string | null) =>
  `data: {${base(model)},"choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish === null ? 'null' : `"${finish}"`}}]}\n\n`
const now = () => (performance.timeOrigin + performance.now()).toFixed(3)
const token = (model: string) => frame(model, `{"content":" t${now()}"}`, null)
const last = (model: string) =>
  `${frame(model, '{}', 'stop')}data: {${base(model)},"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":${TOKENS},"total_tokens":${TOKENS + 5}}}\n\ndata: [DONE]\n\n`

/** Runs `start` once BARRIER streams wait (at once without a barrier). */
function whenAllOpen(start: () => void): void {
  if (BARRIER <= 1) {
    start()
    return
  }
  waiting.push(start)
  clearTimeout(stalled)
  if (waiting.length < BARRIER) {
    stalled = setTimeout(release, STALL_MS)
    return
  }
  setTimeout(release, SETTLE_MS)
}

function release(): void {
  const batch = waiting
  waiting = []
  for (const go of batch) go()
}

function stream(res: ServerResponse, model: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  res.write(frame(model, '{"role":"assistant","content":""}', null))
  if (model === 'hold-model') return
  whenAllOpen(() => tokens(res, model))
}

function tokens(res: ServerResponse, model: string): void {
  if (res.destroyed) return
  res.write(token(model))
  let sent = 1
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer)
      return
    }
    if (sent < TOKENS) {
      res.write(token(model))
      sent += 1
      return
    }
    clearInterval(timer)
    res.end(last(model))
  }, TOKEN_MS)
  res.on('close', () => clearInterval(timer))
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    if (req.method === 'GET' && req.url?.endsWith('/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          object: 'list',
          data: MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'bench' })),
        }),
      )
      return
    }
    if (req.method !== 'POST' || !req.url?.endsWith('/v1/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":null}}')
      return
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: string }
    stream(res, body.model === 'hold-model' ? 'hold-model' : 'bench-model')
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
