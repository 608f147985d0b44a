// Benchmark: CPU the server spends per reconciliation cycle over 3 Ollama hosts × 200 models
// (target < 50 ms). The hosts run in a child process; only this process's CPU is measured, cycle
// by cycle, and the median is reported with its spread (the machine is shared and noisy).
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { benchApp } from './bench-app.js'

const HOSTS = 3
const PER_HOST = 200
const WARMUP_CYCLES = 10
const CYCLES = 60
const TARGET_MS = 50

export interface CycleStats {
  cycles: number
  medianMs: number
  p10Ms: number
  p90Ms: number
  minMs: number
  maxMs: number
}

export interface ReconcileResult {
  steady: CycleStats
  changing: CycleStats
  changedRowsPerCycle: number
  targetMs: number
}

/** Fake Ollama hosts in a child process (see fake-hosts.ts for `names`). */
export async function startFakeHosts(
  hosts: number,
  perHost: number,
  names: 'shared' | 'distinct' = 'shared',
): Promise<{ urls: string[]; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'fake-hosts.ts'),
      String(hosts),
      String(perHost),
      names,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve)
    child.once('exit', (code) => reject(new Error(`fake hosts exited with ${code}`)))
  })
  return {
    urls: JSON.parse(line) as string[],
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

export function cycleStats(samples: number[]): CycleStats {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return {
    cycles: sorted.length,
    medianMs: at(0.5),
    p10Ms: at(0.1),
    p90Ms: at(0.9),
    minMs: sorted[0] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** CPU (user + system, all threads of this process) of one call, in ms. */
async function cpuOf(run: () => Promise<void>): Promise<number> {
  const start = process.cpuUsage()
  await run()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1000
}

export async function benchReconcile(): Promise<ReconcileResult> {
  const hosts = await startFakeHosts(HOSTS, PER_HOST)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-'))
  const app = await benchApp({ dataDir, logLevel: 'silent' })
  try {
    await app.ready()
    for (const [i, url] of hosts.urls.entries()) {
      await app.services.connections.create(
        { name: `host-${i}`, kind: 'ollama', baseUrl: url },
        { id: null, ip: null },
      )
    }
    await app.services.control.reconcileNow() // first sync creates every row
    const entries = (await app.services.catalog.list('admin')).filter((m) => m.kind === 'ollama').length
    if (entries !== PER_HOST * 2) throw new Error(`expected ${PER_HOST * 2} catalog entries, got ${entries}`)
    for (let i = 0; i < WARMUP_CYCLES; i++) await app.services.control.reconcileNow()

    const steady: number[] = []
    for (let i = 0; i < CYCLES; i++) steady.push(await cpuOf(() => app.services.control.reconcileNow()))

    // Every cycle some statuses change: the hosts' rows are marked unloaded (outside the measured
    // time), so each cycle finds the loaded quarter loaded again, rewrites and announces it.
    const loadedRows = () =>
      app.services.db
        .selectFrom('model_hosts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'loaded')
        .executeTakeFirstOrThrow()
    const changing: number[] = []
    let changedRowsPerCycle = 0
    for (let i = 0; i < CYCLES; i++) {
      await app.services.db
        .updateTable('model_hosts')
        .set({ status: 'available', vram_bytes: null, expires_at: null })
        .execute()
      changing.push(await cpuOf(() => app.services.control.reconcileNow()))
      changedRowsPerCycle = Number((await loadedRows()).n)
    }
    return {
      steady: cycleStats(steady),
      changing: cycleStats(changing),
      changedRowsPerCycle,
      targetMs: TARGET_MS,
    }
  } finally {
    await app.close()
    await hosts.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const fmt = (n: number) => n.toFixed(1)

export function formatCycle(label: string, stats: CycleStats, targetMs: number): string {
  return (
    `  ${label} : median ${fmt(stats.medianMs)} ms  (p10 ${fmt(stats.p10Ms)}, p90 ${fmt(stats.p90Ms)}, ` +
    `min ${fmt(stats.minMs)}, max ${fmt(stats.maxMs)}; ${stats.cycles} cycles)  ` +
    `target < ${targetMs} ms, ratio ${(stats.medianMs / targetMs).toFixed(2)}`
  )
}

export function printReconcile(result: ReconcileResult): void {
  console.log(
    `LLM Manager: status reconciliation, ${HOSTS} hosts x ${PER_HOST} models (server CPU per cycle)`,
  )
  console.log(formatCycle('nothing changed', result.steady, result.targetMs))
  console.log(
    formatCycle(`${result.changedRowsPerCycle} loaded rows changed`, result.changing, result.targetMs),
  )
}
