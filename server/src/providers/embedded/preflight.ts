// Reads a model's vocabulary and hyper-parameters with llama.cpp in a child process before the
// server loads it: on some damaged files llama.cpp fails an assertion and aborts the whole
// process, which must not be the server. Done once per distinct header (what it checks).
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { checkGgufHeader } from './gguf-check.js'

const TIMEOUT_MS = 120_000

// Plain JavaScript in a temporary .mjs file, so it runs the same from sources and from builds
// (not with \`node -e\`: node-llama-cpp tests its binary in a process started with our flags).
const childCode = `
const [entry, file] = process.argv.slice(2)
const { getLlama, LlamaLogLevel } = await import(entry)
const llama = await getLlama({ gpu: false, build: 'never', skipDownload: true, progressLogs: false,
  logLevel: LlamaLogLevel.error, logger: (level, message) => process.stderr.write(message + '\\n') })
const model = await llama.loadModel({ modelPath: file, vocabOnly: true, gpuLayers: 0 })
await model.dispose()
process.stdout.write('ok')
`

/** sha256 of the headers that passed. */
const passed = new Set<string>()

async function headerDigest(file: string): Promise<string> {
  const length = await checkGgufHeader(file)
  const handle = await fs.open(file, 'r')
  try {
    const header = Buffer.alloc(length)
    await handle.read(header, 0, length, 0)
    return createHash('sha256').update(header).digest('hex')
  } finally {
    await handle.close()
  }
}

/** Why the child failed, from the last lines it wrote: an assertion, or an error message. */
function reasonFrom(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const assertion = lines.find((l) => l.includes('GGML_ASSERT'))
  if (assertion) return `llama.cpp aborted while reading it: ${assertion.replace(/^.*?(GGML_ASSERT)/, '$1')}`
  const error = lines.filter((l) => /error/i.test(l) && !l.startsWith('at ')).at(-1)
  if (error) return error.replace(/^\[node-llama-cpp\]\s*/, '')
  return `llama.cpp stopped while reading it (${signal ?? `exit code ${code}`})`
}

/** Resolves when llama.cpp can read the file; rejects with the reason when it cannot. */
export async function preflight(file: string): Promise<void> {
  const digest = await headerDigest(file)
  if (passed.has(digest)) return
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('node-llama-cpp')).href
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'webplus-preflight-'))
  try {
    await fs.writeFile(path.join(dir, 'preflight.mjs'), childCode)
    await runChild(path.join(dir, 'preflight.mjs'), entry, file)
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
  passed.add(digest)
}

async function runChild(script: string, entry: string, file: string): Promise<void> {
  const child = spawn(process.execPath, [script, entry, file], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000)
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
  }).finally(() => clearTimeout(timer))
  if (code !== 0 || stdout !== 'ok') throw new Error(reasonFrom(stderr, code, signal))
}
