// Web+ for the gateway benchmark, in its own process: a fresh SQLite data dir, the benchmark
// backend connected as an OpenAI-compatible provider, and one gateway API key.
// Usage: tsx gateway-server.ts <backendBaseUrl>; prints {url, key, model} as one JSON line.
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { benchApp, callApp } from './bench-app.js'

const backend = process.argv[2] ?? ''
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-gw-'))
const app = await benchApp({ dataDir })
const call = <T>(method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
  callApp<T>(app, method, url, token, payload)

const email = 'bench@example.com'
const password = 'a long passphrase for the benchmark'
await call('POST', '/api/v1/auth/register', undefined, { email, password, name: 'Bench' })
const { accessToken } = await call<{ accessToken: string }>('POST', '/api/v1/auth/login', undefined, {
  email,
  password,
})
await call('POST', '/api/v1/providers', accessToken, {
  name: 'bench',
  kind: 'openai-compatible',
  baseUrl: backend,
})
await app.services.control.reconcileNow()
const { key } = await call<{ key: string }>('POST', '/api/v1/api-keys', accessToken, {
  name: 'bench',
  scopes: ['gateway'],
})
await app.listen({ host: '127.0.0.1', port: 0 })
const { port } = app.server.address() as AddressInfo
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, key, model: 'bench-model' })}\n`)

process.on('SIGTERM', () => {
  app
    .close()
    .then(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    .finally(() => process.exit(0))
})
