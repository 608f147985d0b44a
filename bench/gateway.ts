// Benchmark: time to first token and total time of 200-token chat streams at 1, 50 and 500
// concurrent streams, straight from a local OpenAI-compatible backend vs through Web+'s gateway
// vs through @portkey-ai/gateway 1.15.2, and through a bare Node.js proxy (bare-proxy.ts: the
// floor, what a second hop alone costs on this machine). The backend, Web+, Portkey and the
// proxy each run in their own process; this process is only the client. Portkey is installed
// into a temporary folder.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import { Agent, request } from 'node:http'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'

export const TOKENS = 200
export const TOKEN_MS = 10
const PORTKEY_VERSION = '1.15.2'
const ALL_LEVELS = [
  { concurrency: 1, samples: 15 },
  { concurrency: 50, samples: 150 },
  { concurrency: 500, samples: 1000 },
]
/** GATEWAY_BENCH_LEVELS=1,50 measures only those levels (a quicker before/after comparison). */
const onlyLevels = process.env.GATEWAY_BENCH_LEVELS?.split(',').map(Number)
export const LEVELS = onlyLevels ? ALL_LEVELS.filter((l) => onlyLevels.includes(l.concurrency)) : ALL_LEVELS
/** GATEWAY_BENCH_PORTKEY=0 leaves Portkey out (its figures are then printed as n/a). */
const withPortkey = process.env.GATEWAY_BENCH_PORTKEY !== '0'

export interface Figures {
  ttftP50: number
  ttftP99: number
  totalP50: number
  totalP99: number
  samples: number
  failures: number
  firstFailure?: string
}
export type TargetName = 'direct' | 'Web+' | 'Portkey' | 'bare proxy'
export interface LevelResult {
  concurrency: number
  figures: Record<'direct' | 'Web+' | 'bare proxy', Figures> & { Portkey?: Figures }
}

interface Target {
  name: TargetName
  port: number
  path: string
  headers: Record<string, string>
  agent: Agent
}

interface Sample {
  ttft: number
  total: number
  error?: string
}

const here = import.meta.dirname
const body = JSON.stringify({
  model: 'bench-model',
  messages: [{ role: 'user', content: 'Write two hundred words.' }],
  stream: true,
  stream_options: { include_usage: true },
  max_tokens: 256,
})
const firstContent = /"content":"[^"]/

function child(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
}

function stop(process: ChildProcess): Promise<void> {
  if (process.exitCode !== null || process.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      process.kill('SIGKILL')
      resolve()
    }, 10_000)
    process.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    process.kill('SIGTERM')
  })
}

async function firstLine(process: ChildProcess): Promise<string> {
  if (!process.stdout) throw new Error('no stdout')
  return new Promise((resolve) => createInterface({ input: process.stdout! }).once('line', resolve))
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (!address || typeof address === 'string') throw new Error('no port')
  return address.port
}

/** Installs Portkey once per machine into the temp folder and starts it with the fetch fix. */
async function startPortkey(): Promise<{ port: number; process: ChildProcess }> {
  const dir = path.join(os.tmpdir(), `webplus-bench-portkey-${PORTKEY_VERSION}`)
  const entry = path.join(dir, 'node_modules/@portkey-ai/gateway/build/start-server.js')
  if (!fs.existsSync(entry)) {
    fs.mkdirSync(dir, { recursive: true })
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        dir,
        `@portkey-ai/gateway@${PORTKEY_VERSION}`,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
  }
  // Node 20's fetch hands out responses with immutable headers, which Portkey's streaming path
  // tries to change ("immutable"): give it mutable copies.
  const preload = path.join(dir, 'mutable-fetch.mjs')
  fs.writeFileSync(
    preload,
    'const original = globalThis.fetch\n' +
      'globalThis.fetch = async (...args) => {\n' +
      '  const r = await original(...args)\n' +
      '  return new Response(r.body, { status: r.status, statusText: r.statusText, headers: new Headers(r.headers) })\n' +
      '}\n',
  )
  const port = await freePort()
  const portkey = spawn(process.execPath, ['--import', preload, entry, `--port=${port}`, '--headless'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  })
  const deadline = Date.now() + 30_000
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return { port, process: portkey }
    if (Date.now() > deadline) throw new Error('Portkey did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
}

function oneStream(target: Target): Promise<Sample> {
  const started = performance.now()
  return new Promise((resolve) => {
    let ttft = -1
    let head = ''
    let tail = ''
    const fail = (error: string) => resolve({ ttft: -1, total: -1, error })
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.path,
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/json', ...target.headers },
      },
      (res) => {
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (ttft < 0) {
            head += chunk
            if (firstContent.test(head)) ttft = performance.now() - started
          }
          tail = (tail + chunk).slice(-64)
        })
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(`${res.statusCode}: ${head.slice(0, 200)}`)
          if (ttft < 0 || !tail.includes('[DONE]')) return fail(`incomplete stream: ${head.slice(0, 200)}`)
          resolve({ ttft, total: performance.now() - started })
        })
        res.on('error', (error) => fail(error.message))
      },
    )
    req.on('error', (error) => fail(error.message))
    req.end(body)
  })
}

/**
 * N concurrent streams: N clients, each starting its next stream as soon as the last ends, with
 * starts spread over one stream's length so that arrivals are steady rather than one burst. A
 * client's first stream warms up (JIT, sockets) and is not counted; exactly `samples` are.
 */
async function runLevel(target: Target, concurrency: number, samples: number): Promise<Sample[]> {
  const results: Sample[] = []
  let claimed = 0
  const spreadMs = concurrency === 1 ? 0 : (TOKENS * TOKEN_MS) / concurrency
  const client = async (index: number) => {
    await new Promise((resolve) => setTimeout(resolve, index * spreadMs))
    await oneStream(target)
    while (claimed < samples) {
      claimed += 1
      results.push(await oneStream(target))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)))
  return results
}

/**
 * Other work on the machine comes and goes: each level is measured in ROUNDS rounds that take
 * the targets in turn (in a rotating order), so that no target gets all the quiet moments.
 */
const ROUNDS = 3

async function measureLevel(
  targets: Target[],
  concurrency: number,
  samples: number,
): Promise<LevelResult['figures']> {
  const collected = new Map<TargetName, Sample[]>(targets.map((t) => [t.name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    const share = Math.ceil(samples / ROUNDS)
    for (let i = 0; i < targets.length; i++) {
      const target = targets[(i + round) % targets.length]!
      collected.get(target.name)!.push(...(await runLevel(target, concurrency, share)))
    }
  }
  const figures = {} as LevelResult['figures']
  for (const target of targets) figures[target.name] = figuresOf(collected.get(target.name)!)
  return figures
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}

function figuresOf(samples: Sample[]): Figures {
  const good = samples.filter((s) => !s.error)
  const ttfts = good.map((s) => s.ttft).sort((a, b) => a - b)
  const totals = good.map((s) => s.total).sort((a, b) => a - b)
  const firstFailure = samples.find((s) => s.error)?.error
  return {
    ttftP50: percentile(ttfts, 50),
    ttftP99: percentile(ttfts, 99),
    totalP50: percentile(totals, 50),
    totalP99: percentile(totals, 99),
    samples: good.length,
    failures: samples.length - good.length,
    ...(firstFailure ? { firstFailure } : {}),
  }
}

/** One of this folder's TypeScript programs in its own Node.js process. */
const script = (file: string, ...args: string[]) =>
  child(process.execPath, ['--import', 'tsx', path.join(here, file), ...args])

export async function benchGateway(): Promise<LevelResult[]> {
  const backend = script('fake-openai-stream.ts', String(TOKENS), String(TOKEN_MS))
  const processes: ChildProcess[] = [backend]
  try {
    const backendUrl = new URL(await firstLine(backend))
    const webplus = script('gateway-server.ts', `${backendUrl}v1`)
    processes.push(webplus)
    const bareProxy = script('bare-proxy.ts', `${backendUrl}v1`)
    processes.push(bareProxy)
    const portkey = withPortkey ? await startPortkey() : null
    if (portkey) processes.push(portkey.process)
    const gateway = JSON.parse(await firstLine(webplus)) as { url: string; key: string }
    const bareProxyPort = Number(await firstLine(bareProxy))
    const agent = () => new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })
    const targets: Target[] = [
      {
        name: 'direct',
        port: Number(backendUrl.port),
        path: '/v1/chat/completions',
        headers: {},
        agent: agent(),
      },
      {
        name: 'Web+',
        port: Number(new URL(gateway.url).port),
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${gateway.key}` },
        agent: agent(),
      },
      { name: 'bare proxy', port: bareProxyPort, path: '/v1/chat/completions', headers: {}, agent: agent() },
    ]
    if (portkey) {
      targets.push({
        name: 'Portkey',
        port: portkey.port,
        path: '/v1/chat/completions',
        headers: {
          authorization: 'Bearer sk-bench',
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `${backendUrl}v1`,
        },
        agent: agent(),
      })
    }
    // Warm every path up (JIT, sockets, caches) before anything is measured.
    for (const target of targets) await runLevel(target, 10, 40)
    const results: LevelResult[] = []
    for (const { concurrency, samples } of LEVELS) {
      results.push({ concurrency, figures: await measureLevel(targets, concurrency, samples) })
    }
    for (const target of targets) target.agent.destroy()
    return results
  } finally {
    // Wait for the children to exit: Web+ removes its data folder on the way out.
    await Promise.all(processes.map(stop))
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a').padStart(9)
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : 'n/a')

const notMeasured: Figures = {
  ttftP50: Number.NaN,
  ttftP99: Number.NaN,
  totalP50: Number.NaN,
  totalP99: Number.NaN,
  samples: 0,
  failures: 0,
}

/** Prints every figure, the overheads over direct, and the ratios against Portkey. */
export function printGateway(results: LevelResult[]): void {
  console.log(
    `Gateway: ${TOKENS}-token chat streams from a local OpenAI-compatible backend (first token at once, then one per ${TOKEN_MS} ms)`,
  )
  console.log(
    '  directly vs through Web+ vs through @portkey-ai/gateway 1.15.2 vs through a bare Node proxy (the floor); N clients stream back to back',
  )
  console.log('  concurrency  path         TTFT p50  TTFT p99  total p50  total p99   streams')
  for (const { concurrency, figures } of results) {
    for (const [name, f] of Object.entries(figures)) {
      const failed = f.failures ? `  (${f.failures} failed: ${f.firstFailure})` : ''
      console.log(
        `  ${String(concurrency).padStart(11)}  ${name.padEnd(10)} ${ms(f.ttftP50)} ${ms(f.ttftP99)} ${ms(f.totalP50)} ${ms(f.totalP99)} ${String(f.samples).padStart(9)}${failed}`,
      )
    }
    const { direct, 'Web+': webplus, 'bare proxy': floor } = figures
    const portkey = figures.Portkey ?? notMeasured
    const added = (f: Figures, key: 'ttftP50' | 'ttftP99' | 'totalP50' | 'totalP99') => f[key] - direct[key]
    for (const key of ['ttftP50', 'ttftP99', 'totalP50', 'totalP99'] as const) {
      console.log(
        `  ${''.padStart(11)}  ${key.padEnd(10)} added: Web+ ${added(webplus, key).toFixed(2)} ms, Portkey ${added(portkey, key).toFixed(2)} ms, bare proxy ${added(floor, key).toFixed(2)} ms; ` +
          `ratio to direct: Web+ ${ratio(webplus[key], direct[key])}, Portkey ${ratio(portkey[key], direct[key])}; ` +
          `Web+/Portkey ${ratio(webplus[key], portkey[key])}`,
      )
    }
  }
  const at50 = results.find((r) => r.concurrency === 50)?.figures
  if (at50) {
    const p50 = at50['Web+'].ttftP50 - at50.direct.ttftP50
    const p99 = at50['Web+'].ttftP99 - at50.direct.ttftP99
    console.log(
      `  target at 50 streams: Web+ adds <= 1 ms p50 TTFT (${p50.toFixed(2)} ms) and <= 5 ms p99 TTFT (${p99.toFixed(2)} ms): ${p50 <= 1 && p99 <= 5 ? 'met' : 'NOT met'}`,
    )
    const floor = at50['bare proxy']
    console.log(
      `  floor at 50 streams: a bare Node proxy adds ${(floor.ttftP50 - at50.direct.ttftP50).toFixed(2)} ms p50 and ${(floor.ttftP99 - at50.direct.ttftP99).toFixed(2)} ms p99 TTFT; ` +
        `Web+ adds ${(at50['Web+'].ttftP50 - floor.ttftP50).toFixed(2)} ms p50 / ${(at50['Web+'].ttftP99 - floor.ttftP99).toFixed(2)} ms p99 on top of it`,
    )
  }
  const beats = results.every(
    ({ figures: f }) =>
      f.Portkey !== undefined &&
      f['Web+'].ttftP50 < f.Portkey.ttftP50 &&
      f['Web+'].ttftP99 < f.Portkey.ttftP99,
  )
  console.log(
    `  target: Web+ adds less TTFT than Portkey (p50 and p99) at every level: ${beats ? 'met' : 'NOT met'}`,
  )
}
