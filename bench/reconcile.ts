// Benchmark: CPU the server spends per reconciliation cycle over 3 Ollama hosts × 200 models
// (target < 50 ms). The hosts run in a child process; only this process's CPU is measured.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { buildApp } from '../server/src/app.js'
import { loadConfig } from '../server/src/config.js'

const HOSTS = 3
const PER_HOST = 200
const CYCLES = 20
const TARGET_MS = 50

async function startHosts(): Promise<{ urls: string[]; stop: () => void }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'fake-hosts.ts'), String(HOSTS), String(PER_HOST)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout }).once('line', resolve),
  )
  return { urls: JSON.parse(line) as string[], stop: () => child.kill('SIGTERM') }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1000
}

export async function benchReconcile(): Promise<{ steadyMs: number; changingMs: number; targetMs: number }> {
  const hosts = await startHosts()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-'))
  const app = await buildApp(
    loadConfig(
      { dataDir, logLevel: 'silent', serveWeb: 'false', ollamaHost: 'off', reconcileIntervalMs: '0' },
      {},
    ),
  )
  try {
    await app.ready()
    for (const [i, url] of hosts.urls.entries()) {
      await app.services.connections.create(
        { name: `host-${i}`, kind: 'ollama', baseUrl: url },
        { id: null, ip: null },
      )
    }
    await app.services.control.reconcileNow() // first sync creates every row
    await app.services.control.reconcileNow()
    const models = await app.services.catalog.list('admin')
    if (models.length !== PER_HOST * 2)
      throw new Error(`expected ${PER_HOST * 2} catalog entries, got ${models.length}`)

    let start = process.cpuUsage()
    for (let i = 0; i < CYCLES; i++) await app.services.control.reconcileNow()
    const steadyMs = cpuMs(start) / CYCLES

    // Every cycle some statuses change: mark hosts' rows stale so each cycle rewrites them.
    let changing = 0
    for (let i = 0; i < CYCLES; i++) {
      await app.services.db
        .updateTable('model_hosts')
        .set({ status: 'available', vram_bytes: null })
        .execute()
      start = process.cpuUsage()
      await app.services.control.reconcileNow()
      changing += cpuMs(start)
    }
    const changingMs = changing / CYCLES
    return { steadyMs, changingMs, targetMs: TARGET_MS }
  } finally {
    await app.close()
    hosts.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
