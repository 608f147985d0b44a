// Starts the built Web+ server on a free port with a fresh data folder, and Debian's Chromium
// driven by playwright-core. Under CI=true a missing browser or build is a failure, not a skip.
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
export const artifactsDir = path.join(repoRoot, 'e2e', 'test-results')
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ci = process.env.CI === 'true'

/** Why browser tests cannot run here, or null when they can. Under CI this throws instead. */
export function missingPrerequisite(): string | null {
  const missing = !fs.existsSync(chromiumPath)
    ? `Chromium not found at ${chromiumPath}`
    : !fs.existsSync(path.join(repoRoot, 'web', 'dist', 'index.html')) ||
        !fs.existsSync(path.join(repoRoot, 'server', 'dist', 'cli.js'))
      ? 'the app is not built (npm run build)'
      : null
  if (missing && ci) throw new Error(`CI=true: ${missing}`)
  return missing
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export interface RunningServer {
  baseUrl: string
  dataDir: string
  stop(): Promise<void>
}

/** `env` adds to (or overrides) the server's environment, e.g. OLLAMA_HOST for a fake Ollama. */
export async function startServer(options: { env?: Record<string, string> } = {}): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-e2e-'))
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'server', 'bin', 'webplus.js'),
      'start',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
    ],
    {
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', WEBPLUS_LOG_LEVEL: 'warn', ...options.env },
      stdio: 'inherit',
    },
  )
  const baseUrl = `http://127.0.0.1:${port}`
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    baseUrl,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

export function artifact(name: string): string {
  fs.mkdirSync(artifactsDir, { recursive: true })
  return path.join(artifactsDir, name)
}
