// Helpers shared by the chat benchmark's parts: child processes, HTTP calls and percentiles.
import { type ChildProcess, spawn } from 'node:child_process'
import { Agent, request } from 'node:http'
import path from 'node:path'
import { createInterface, type Interface } from 'node:readline'

export const here = import.meta.dirname

export interface BenchUser {
  id: string
  email: string
  password: string
  token: string
}

export interface ServerInfo {
  url: string
  users: BenchUser[]
  models: Record<string, string>
}

/** A process of this benchmark (Web+, the fake backend) with its stdout read line by line. */
export class Child {
  private readonly lines: Interface
  private readonly queue: string[] = []
  private readonly waiting: Array<(line: string) => void> = []

  constructor(readonly process: ChildProcess) {
    if (!process.stdout) throw new Error('no stdout')
    this.lines = createInterface({ input: process.stdout })
    this.lines.on('line', (line) => {
      const waiter = this.waiting.shift()
      if (waiter) waiter(line)
      else this.queue.push(line)
    })
  }

  static tsx(script: string, args: string[], nodeFlags: string[] = []): Child {
    return new Child(
      spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(here, script), ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
        // As `npm start` runs the server (React renders pages with its production build).
        env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'production' },
      }),
    )
  }

  nextLine(): Promise<string> {
    const queued = this.queue.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    return new Promise((resolve, reject) => {
      const exited = () => reject(new Error(`child exited with ${this.process.exitCode}`))
      this.process.once('exit', exited)
      this.waiting.push((line) => {
        this.process.off('exit', exited)
        resolve(line)
      })
    })
  }

  async send(line: string): Promise<string> {
    this.process.stdin?.write(`${line}\n`)
    return this.nextLine()
  }

  stop(): Promise<void> {
    const child = this.process
    this.lines.close()
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve()
      }, 10_000)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      child.kill('SIGTERM')
    })
  }
}

export const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })

export interface Reply {
  status: number
  body: string
}

/** One HTTP request on 127.0.0.1 (keep-alive), the whole body read. */
export function call(
  url: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<Reply> {
  const target = new URL(url)
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? 'GET',
        agent,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

export async function callJson<T>(
  url: string,
  options: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const reply = await call(url, options)
  if (reply.status >= 300) throw new Error(`${options.method ?? 'GET'} ${url}: ${reply.status} ${reply.body}`)
  return JSON.parse(reply.body) as T
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  )
}

export interface Spread {
  p50: number
  p95: number
  p99: number
  max: number
  n: number
}

export function spread(values: number[]): Spread {
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? values.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY) : Number.NaN,
    n: values.length,
  }
}

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>) {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index] as T, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
