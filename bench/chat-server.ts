// Web+ for the chat benchmark, in its own process: a SQLite data dir given by the parent, N
// signed-up users, and optionally a benchmark backend connected as an OpenAI-compatible provider.
// Prints {url, users, models} as one JSON line. Reads commands on stdin, one per line:
// `memory` answers one JSON line with process.memoryUsage() after full garbage collections
// (start this script with --expose-gc).
// Usage: tsx chat-server.ts <dataDir> <users> [backendBaseUrl] [serveWeb]
import type { AddressInfo } from 'node:net'
import { createInterface } from 'node:readline'
import { benchApp, callApp } from './bench-app.js'

const [dataDir = '', userCount = '1', backend = '', serveWeb = 'false'] = process.argv.slice(2)
const app = await benchApp({ dataDir, serveWeb, embedded: 'false', chatMaxConcurrentGenerations: '100' })
const call = <T>(method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
  callApp<T>(app, method, url, token, payload)

const password = 'a long passphrase for the chat benchmark'
const users: Array<{ id: string; email: string; password: string; token: string }> = []
for (let i = 0; i < Number(userCount); i++) {
  const email = `chat-bench-${i}@example.com`
  const { user } = await call<{ user: { id: string } }>('POST', '/api/v1/auth/register', undefined, {
    email,
    password,
    name: `Bench ${i}`,
  })
  const { accessToken } = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', undefined, {
    email,
    password,
  })
  users.push({ id: user.id, email, password, token: accessToken })
}

let models: Record<string, string> = {}
const admin = users[0]
if (backend && admin) {
  await call('POST', '/api/v1/providers', admin.token, {
    name: 'bench',
    kind: 'openai-compatible',
    baseUrl: backend,
  })
  await app.services.control.reconcileNow()
  const list = await call<{ items: Array<{ id: string; name: string }> }>(
    'GET',
    '/api/v1/models',
    admin.token,
  )
  models = Object.fromEntries(list.items.map((m) => [m.name, m.id]))
}

await app.listen({ host: '127.0.0.1', port: 0 })
const { port } = app.server.address() as AddressInfo
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, users, models })}\n`)

const gc = (globalThis as { gc?: () => void }).gc
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'memory') return
  for (let i = 0; i < 3; i++) gc?.()
  process.stdout.write(`${JSON.stringify({ ...process.memoryUsage(), gc: gc !== undefined })}\n`)
})

process.on('SIGTERM', () => {
  app.close().finally(() => process.exit(0))
})
