// Benchmark: Chat (issue 4). One run measures, against Web+ in its own process on SQLite:
// opening a 10,000-message conversation (API and first paint in Chromium), full-text search over
// 1,000,000 messages, and 1,000 concurrent reply streams (added inter-token delay, memory per
// idle stream). The seeded database lives in a temporary folder for the run only.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { benchFirstPaint, CHROMIUM, type PaintFigures, webBuilt } from './chat-browser.js'
import { benchOpen, benchSearch, type OpenFigures, type SearchFigures } from './chat-data.js'
import { agent, Child, type ServerInfo, type Spread } from './chat-kit.js'
import { type Seeded, seed, vocabulary } from './chat-seed.js'
import { benchStreams, type MemoryFigures, type StreamFigures } from './chat-streams.js'
import { writeFloor } from './write-floor.js'

const MESSAGES = 1_000_000
const USERS = 5

export interface ChatFigures {
  seeded: Seeded
  open: OpenFigures
  paint: PaintFigures | string
  search: SearchFigures
  streams: StreamFigures
  memory: MemoryFigures
  /** Microseconds per write of one SSE frame to a loopback socket, over as many sockets as streams. */
  writeUs: number
}

async function databaseParts(): Promise<Omit<ChatFigures, 'streams' | 'memory' | 'writeUs'>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-chat-'))
  const server = Child.tsx('chat-server.ts', [dataDir, String(USERS), '', 'true'])
  try {
    const info = JSON.parse(await server.nextLine()) as ServerInfo
    const vocab = vocabulary()
    const seeded = seed(
      path.join(dataDir, 'webplus.sqlite'),
      info.users.map((u) => u.id),
      MESSAGES,
      vocab,
    )
    const open = await benchOpen(info, seeded.longConversationId)
    const paint = !fs.existsSync(CHROMIUM)
      ? `skipped: no Chromium at ${CHROMIUM}`
      : !webBuilt()
        ? 'skipped: web/dist is missing (run `npm run build` first)'
        : await benchFirstPaint(info, seeded.longConversationId)
    const search = await benchSearch(info, vocab)
    return { seeded, open, paint, search }
  } finally {
    await server.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

export async function benchChat(): Promise<ChatFigures> {
  try {
    const data = await databaseParts()
    const { streams, memory } = await benchStreams()
    const writeUs = await writeFloor(streams.streams)
    return { ...data, streams, memory, writeUs }
  } finally {
    agent.destroy()
  }
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : 'n/a')
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const ratio = (measured: number, target: number) => (measured / target).toFixed(2)
const verdict = (measured: number, target: number) => (measured < target ? 'met' : 'NOT met')
const spreadLine = (s: Spread) =>
  `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)} (n=${s.n})`

function printOpen(f: ChatFigures): void {
  const { seeded, open } = f
  console.log(
    `Chat: seeded ${seeded.messages.toLocaleString('en')} messages in ${seeded.conversations.toLocaleString('en')} conversations of ${USERS} users in ${seeded.seconds.toFixed(1)} s (long conversation: ${seeded.longMessages.toLocaleString('en')} messages, branch of ${open.branchLength.toLocaleString('en')})`,
  )
  console.log(
    `  open the 10,000-message conversation: GET /api/v1/conversations/:id?limit=${open.page}, HTTP on 127.0.0.1`,
  )
  console.log(`    newest page : ${spreadLine(open.firstPage)}`)
  console.log(`    older pages : ${spreadLine(open.olderPage)}`)
  console.log(
    `    target API < 50 ms: p95 ${ms(open.firstPage.p95)}, ratio ${ratio(open.firstPage.p95, 50)}: ${verdict(open.firstPage.p95, 50)}`,
  )
}

function printPaint(paint: PaintFigures | string): void {
  console.log('  first paint in headless Chromium (0 = navigation start; sign-in not timed)')
  if (typeof paint === 'string') {
    console.log(`    ${paint}`)
    return
  }
  for (const [name, runs, note] of [
    [
      'cold',
      paint.cold,
      `fresh context, empty HTTP cache: ${paint.scriptKb.toFixed(0)} KB of JS fetched by the time the app was running`,
    ],
    ['warm', paint.warm, 'same context: JS from the HTTP cache'],
  ] as const) {
    console.log(`    ${name} (${note})`)
    console.log(`      HTML arrived           : ${spreadLine(runs.htmlEnd)}`)
    console.log(`      first contentful paint : ${spreadLine(runs.fcp)}`)
    console.log(
      `      conversation API done  : ${runs.apiEnd.max < 0 ? 'not requested (the HTML carried it)' : spreadLine(runs.apiEnd)}`,
    )
    console.log(`      first message in DOM   : ${spreadLine(runs.inserted)}`)
    console.log(`      first message painted  : ${spreadLine(runs.painted)}`)
    console.log(`      app running (hydrated) : ${spreadLine(runs.running)}`)
    console.log(
      `      target first paint < 300 ms: p95 ${ms(runs.painted.p95)}, ratio ${ratio(runs.painted.p95, 300)}: ${verdict(runs.painted.p95, 300)}`,
    )
  }
}

function printSearch(search: SearchFigures): void {
  console.log(
    `  search: GET /api/v1/search?q=…&limit=20 over ${MESSAGES.toLocaleString('en')} messages, one at a time, users in turn`,
  )
  for (const c of search.classes) {
    console.log(`    ${c.name.padEnd(27)}: ${spreadLine(c.figures)}, hits p50 ${c.hitsP50}`)
  }
  console.log(`    all ${search.queries} queries          : ${spreadLine(search.all)}`)
  console.log(
    `    target p95 < 50 ms: p95 ${ms(search.all.p95)}, ratio ${ratio(search.all.p95, 50)}: ${verdict(search.all.p95, 50)}`,
  )
}

function printStreams({ streams: s, memory: m, writeUs }: ChatFigures): void {
  console.log(
    `  ${s.streams} concurrent streams of ${s.tokens} tokens, one every ${s.tokenMs} ms per stream, from a local OpenAI-compatible backend`,
  )
  console.log(
    '  (the backend starts all streams together once all are open; figures over the window in which every stream was running; same client for every path)',
  )
  console.log(
    `    directly    inter-token gap : ${spreadLine(s.direct.gaps)} (window ${(s.direct.windowMs / 1000).toFixed(1)} s, ${s.direct.failures} failed)`,
  )
  console.log(`                token latency   : ${spreadLine(s.direct.latency)}`)
  console.log(
    `    bare proxy  inter-token gap : ${spreadLine(s.relay.gaps)} (window ${(s.relay.windowMs / 1000).toFixed(1)} s, ${s.relay.failures} failed)`,
  )
  console.log(`                token latency   : ${spreadLine(s.relay.latency)}`)
  console.log(
    `    via Web+    inter-token gap : ${spreadLine(s.webplus.gaps)} (window ${(s.webplus.windowMs / 1000).toFixed(1)} s, ${s.webplus.failures} failed)`,
  )
  console.log(`                token latency   : ${spreadLine(s.webplus.latency)}`)
  const addedP50 = s.webplus.gaps.p50 - s.direct.gaps.p50
  const addedP99 = s.webplus.gaps.p99 - s.direct.gaps.p99
  const latencyP99 = s.webplus.latency.p99 - s.direct.latency.p99
  console.log(
    `    added by Web+: inter-token gap p50 ${ms(addedP50)}, p99 ${ms(addedP99)}; token latency p50 ${ms(s.webplus.latency.p50 - s.direct.latency.p50)}, p99 ${ms(latencyP99)}`,
  )
  console.log(
    `    target added inter-token delay < 5 ms p99: ${ms(addedP99)}, ratio ${ratio(addedP99, 5)}: ${verdict(addedP99, 5)}`,
  )
  console.log(
    `    floor on this machine: a bare Node proxy adds inter-token gap p50 ${ms(s.relay.gaps.p50 - s.direct.gaps.p50)}, p99 ${ms(s.relay.gaps.p99 - s.direct.gaps.p99)}; token latency p50 ${ms(s.relay.latency.p50 - s.direct.latency.p50)}, p99 ${ms(s.relay.latency.p99 - s.direct.latency.p99)}`,
  )
  console.log(
    `    one SSE frame written to a loopback socket costs ${writeUs.toFixed(1)} µs, so passing one burst of ${s.streams} tokens on takes a one-process proxy at least ${ms((writeUs * s.streams) / 1000)} of writes`,
  )
  console.log(
    `  memory per idle stream (${m.streams} generations held by the backend, each followed over SSE; GC forced: ${m.gcForced ? 'yes' : 'no'})`,
  )
  console.log(
    `    whole stream (generation, upstream request, SSE) : RSS ${kb(m.perStream.rss)}, JS heap ${kb(m.perStream.heapUsed)}, external ${kb(m.perStream.external)}`,
  )
  console.log(
    `    SSE subscription alone                           : RSS ${kb(m.perSubscription.rss)}, JS heap ${kb(m.perSubscription.heapUsed)}, external ${kb(m.perSubscription.external)}`,
  )
  const worst = Math.max(m.perStream.rss, m.perStream.heapUsed + m.perStream.external)
  console.log(
    `    target < 50 KB per idle stream: ${kb(worst)}, ratio ${ratio(worst, 50 * 1024)}: ${verdict(worst, 50 * 1024)}`,
  )
}

export function printChat(figures: ChatFigures): void {
  printOpen(figures)
  printPaint(figures.paint)
  printSearch(figures.search)
  printStreams(figures)
}
