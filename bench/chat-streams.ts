// 1,000 concurrent chat replies on one Web+ process (its own process, SQLite) against a local
// OpenAI-compatible backend (its own process) that writes a token every TOKEN_MS per stream, each
// token carrying the time it was written. This process is the only client: it reads the same
// number of streams from the backend directly, through a bare Node.js proxy (bare-proxy.ts: the
// floor, what a second hop alone costs here), then through Web+ (POST a message, follow the
// generation's SSE), and compares inter-token gaps and token latencies while all streams run. The
// backend holds the first token of a batch until all its streams are open, so that they all run
// at once however long the client took to start them.
// Then memory: N generations held open by the backend (no token yet) with N idle SSE
// subscriptions; server RSS and heap after forced GCs, minus a baseline, divided by N.
import { setMaxListeners } from 'node:events'
import fs from 'node:fs'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { Child, callJson, pool, type ServerInfo, type Spread, spread } from './chat-kit.js'

/** One path's figures over the window in which all its streams ran; failed streams are left out and counted. */
export interface PathFigures {
  gaps: Spread
  latency: Spread
  windowMs: number
  failures: number
}

export interface StreamFigures {
  streams: number
  tokens: number
  tokenMs: number
  direct: PathFigures
  /** Through bare-proxy.ts: a second hop that only copies bytes. */
  relay: PathFigures
  webplus: PathFigures
}

export interface MemoryFigures {
  streams: number
  /** Bytes per stream: generation + upstream request + SSE subscription. */
  perStream: { rss: number; heapUsed: number; external: number }
  /** Bytes per SSE subscription alone. */
  perSubscription: { rss: number; heapUsed: number; external: number }
  gcForced: boolean
}

interface Memory {
  rss: number
  heapUsed: number
  external: number
  gc: boolean
}

/** Arrival times and backend write times of one stream's tokens. */
interface Trace {
  arrivals: number[]
  sent: number[]
  error?: string
}

const clock = () => performance.timeOrigin + performance.now()
const TOKEN = / t(\d+\.\d+)/g

/**
 * Reads a streaming response, handing each complete SSE frame to `frame`. Resolves when the
 * response ends; `opened` resolves on the first frame (the stream is live).
 */
function readStream(
  options: { port: number; path: string; method: string; headers: Record<string, string>; body?: string },
  frame: (text: string, at: number) => void,
  signal?: AbortSignal,
): { opened: Promise<void>; ended: Promise<string | undefined> } {
  let open: () => void = () => undefined
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  const ended = new Promise<string | undefined>((resolve) => {
    const req = request({ host: '127.0.0.1', ...options, signal }, (res) => {
      if (res.statusCode !== 200) {
        res.resume()
        open()
        resolve(`status ${res.statusCode}`)
        return
      }
      res.setEncoding('utf8')
      let buffer = ''
      res.on('data', (chunk: string) => {
        const at = clock()
        buffer += chunk
        let end = buffer.indexOf('\n\n')
        while (end >= 0) {
          frame(buffer.slice(0, end), at)
          open()
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      })
      res.on('end', () => resolve(undefined))
      res.on('error', (error) => resolve(signal?.aborted ? undefined : error.message))
    })
    req.on('error', (error) => {
      open()
      resolve(signal?.aborted ? undefined : error.message)
    })
    req.end(options.body)
  })
  return { opened, ended }
}

function record(trace: Trace, text: string, at: number): void {
  for (const match of text.matchAll(TOKEN)) {
    trace.arrivals.push(at)
    trace.sent.push(Number(match[1]))
  }
}

/** Gaps and latencies of tokens that arrived while every stream was running. */
function steady(traces: Trace[]): PathFigures {
  const live = traces.filter((t) => !t.error && t.arrivals.length > 1)
  const from = live.reduce((max, t) => Math.max(max, t.arrivals[0] ?? 0), 0)
  const to = live.reduce((min, t) => Math.min(min, t.arrivals.at(-1) ?? 0), Number.POSITIVE_INFINITY)
  const gaps: number[] = []
  const latency: number[] = []
  for (const { arrivals, sent } of live) {
    for (let i = 0; i < arrivals.length; i++) {
      const at = arrivals[i] ?? 0
      if (at < from || at > to) continue
      latency.push(at - (sent[i] ?? at))
      const before = arrivals[i - 1]
      if (before !== undefined && before >= from) gaps.push(at - before)
    }
  }
  return {
    gaps: spread(gaps),
    latency: spread(latency),
    windowMs: to - from,
    failures: traces.filter((t) => t.error).length,
  }
}

/** `streams` chat completions read straight from an OpenAI-compatible server (the backend, or the bare proxy in front of it). */
async function completions(server: URL, streams: number): Promise<Trace[]> {
  const body = JSON.stringify({
    model: 'bench-model',
    stream: true,
    messages: [{ role: 'user', content: 'Go.' }],
  })
  return Promise.all(
    Array.from({ length: streams }, async () => {
      const trace: Trace = { arrivals: [], sent: [] }
      const { ended } = readStream(
        {
          port: Number(server.port),
          path: '/v1/chat/completions',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        },
        (text, at) => record(trace, text, at),
      )
      const error = await ended
      return error ? { ...trace, error } : trace
    }),
  )
}

interface Started {
  generationId: string
}

function follow(server: ServerInfo, token: string, generationId: string, trace: Trace, signal?: AbortSignal) {
  return readStream(
    {
      port: Number(new URL(server.url).port),
      path: `/api/v1/generations/${generationId}/events`,
      method: 'GET',
      headers: { authorization: `Bearer ${token}` },
    },
    (text, at) => {
      if (text.includes('event: delta')) record(trace, text, at)
    },
    signal,
  )
}

/** One conversation per stream, spread over the users (each may have 100 replies at once). */
async function conversations(
  server: ServerInfo,
  count: number,
): Promise<Array<{ id: string; token: string }>> {
  return pool(Array.from({ length: count }), 20, async (_, i) => {
    const token = server.users[i % server.users.length]?.token ?? ''
    const { id } = await callJson<{ id: string }>(`${server.url}/api/v1/conversations`, {
      method: 'POST',
      token,
      body: { title: `Stream ${i}` },
    })
    return { id, token }
  })
}

function send(server: ServerInfo, chat: { id: string; token: string }, model: string): Promise<Started> {
  return callJson<Started>(`${server.url}/api/v1/conversations/${chat.id}/messages`, {
    method: 'POST',
    token: chat.token,
    body: { content: 'Write a long answer, please.', model },
  })
}

function stopAll(server: ServerInfo, held: Array<{ token: string; generationId: string }>) {
  return pool(held, 20, ({ token, generationId }) =>
    callJson(`${server.url}/api/v1/generations/${generationId}/stop`, { method: 'POST', token }),
  )
}

/** The median of a few samples, each after forced full GCs, so one late collection does not count. */
async function memory(child: Child): Promise<Memory> {
  const samples: Memory[] = []
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300))
    samples.push(JSON.parse(await child.send('memory')) as Memory)
  }
  const median = (key: 'rss' | 'heapUsed' | 'external') =>
    samples.map((m) => m[key]).sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? Number.NaN
  return {
    rss: median('rss'),
    heapUsed: median('heapUsed'),
    external: median('external'),
    gc: samples.every((m) => m.gc),
  }
}

const per = (after: Memory, before: Memory, n: number) => ({
  rss: (after.rss - before.rss) / n,
  heapUsed: (after.heapUsed - before.heapUsed) / n,
  external: (after.external - before.external) / n,
})

async function idleMemory(child: Child, server: ServerInfo, chats: Array<{ id: string; token: string }>) {
  const hold = server.models['hold-model'] ?? ''
  // Warm-up (JIT, pools), then the baseline with nothing running.
  const warm = await pool(chats.slice(0, 50), 20, async (chat) => ({
    token: chat.token,
    generationId: (await send(server, chat, hold)).generationId,
  }))
  await stopAll(server, warm)
  const baseline = await memory(child)
  const held = await pool(chats, 20, async (chat) => ({
    token: chat.token,
    generationId: (await send(server, chat, hold)).generationId,
  }))
  const generationsOnly = await memory(child)
  const controller = new AbortController()
  setMaxListeners(0, controller.signal)
  const subscriptions = held.map((h) =>
    follow(server, h.token, h.generationId, { arrivals: [], sent: [] }, controller.signal),
  )
  await Promise.all(subscriptions.map((s) => s.opened))
  const subscribed = await memory(child)
  controller.abort()
  await stopAll(server, held)
  const n = chats.length
  return {
    streams: n,
    perStream: per(subscribed, baseline, n),
    perSubscription: per(subscribed, generationsOnly, n),
    gcForced: subscribed.gc,
  }
}

async function throughWebplus(server: ServerInfo, chats: Array<{ id: string; token: string }>) {
  const model = server.models['bench-model'] ?? ''
  const traces: Trace[] = chats.map(() => ({ arrivals: [], sent: [] }))
  // Wrapped, so that the pool waits for the start of each stream and not for its end.
  const streams = await pool(chats, 20, async (chat, i) => {
    const { generationId } = await send(server, chat, model)
    return { ended: follow(server, chat.token, generationId, traces[i] as Trace).ended }
  })
  const errors = await Promise.all(streams.map((s) => s.ended))
  return traces.map((trace, i) => (errors[i] ? { ...trace, error: errors[i] } : trace))
}

export async function benchStreams(
  streams = 1000,
  // 20 ms per token (50k tokens/s in all) saturates this 2-core machine even reading the backend
  // directly, so the client and the backend, not Web+, would be measured: 10k tokens/s instead.
  tokens = 200,
  tokenMs = 100,
): Promise<{ streams: StreamFigures; memory: MemoryFigures }> {
  const backend = Child.tsx('chat-backend.ts', [String(tokens), String(tokenMs), String(streams)])
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-chat-streams-'))
  const children = [backend]
  try {
    const backendUrl = new URL(await backend.nextLine())
    const users = Math.ceil(streams / 100)
    const webplus = Child.tsx(
      'chat-server.ts',
      [dataDir, String(users), `${backendUrl.origin}/v1`],
      // CHAT_BENCH_SERVER_FLAGS: extra Node flags for Web+, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
      ['--expose-gc', ...(process.env.CHAT_BENCH_SERVER_FLAGS?.split(' ').filter(Boolean) ?? [])],
    )
    children.push(webplus)
    const relay = Child.tsx('bare-proxy.ts', [`${backendUrl.origin}/v1`])
    children.push(relay)
    const relayUrl = new URL(`http://127.0.0.1:${await relay.nextLine()}`)
    const server = JSON.parse(await webplus.nextLine()) as ServerInfo
    const chats = await conversations(server, streams)
    const memoryFigures = await idleMemory(webplus, server, chats)

    const directTraces = await completions(backendUrl, streams)
    const relayTraces = await completions(relayUrl, streams)
    const web = await throughWebplus(server, chats)
    return {
      streams: {
        streams,
        tokens,
        tokenMs,
        direct: steady(directTraces),
        relay: steady(relayTraces),
        webplus: steady(web),
      },
      memory: memoryFigures,
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()))
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
