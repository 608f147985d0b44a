// Test harness: a real app over a real database. Every database test runs on a fresh SQLite
// file and, when TEST_DATABASE_URL is given (always in CI), on a fresh PostgreSQL database.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import pg from 'pg'
import { vi } from 'vitest'
import { buildApp } from '../src/app.js'
import { type ConfigInput, loadConfig } from '../src/config.js'

export type DbKind = 'sqlite' | 'postgres'

export const dbKinds: DbKind[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite']
export const redisUrl = process.env.TEST_REDIS_URL

export function tempDir(prefix = 'webplus-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Creates an empty PostgreSQL database and returns its URL and a function that drops it. */
export async function createPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set')
  const name = `webplus_t_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl })
      await client.connect()
      try {
        // An autovacuum worker in the database can make a forced drop fail for a role without
        // pg_signal_backend; it finishes quickly, so try a few times.
        for (let attempt = 1; ; attempt++) {
          try {
            await client.query(`drop database if exists ${name} with (force)`)
            break
          } catch (error) {
            if (attempt >= 10) throw error
            await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
          }
        }
      } finally {
        await client.end()
      }
    },
  }
}

export interface TestDatabase {
  dataDir: string
  databaseUrl?: string
  cleanup(): Promise<void>
}

export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  const dataDir = tempDir()
  if (kind === 'sqlite') {
    return { dataDir, cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }) }
  }
  const { url, drop } = await createPgDatabase()
  return {
    dataDir,
    databaseUrl: url,
    cleanup: async () => {
      await drop()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface TestApp {
  app: FastifyInstance
  db: TestDatabase
  close(): Promise<void>
}

/** Builds an app over an existing database (two apps can share one; a restart reuses it). */
export async function buildTestApp(db: TestDatabase, overrides: ConfigInput = {}): Promise<FastifyInstance> {
  const config = loadConfig(
    {
      dataDir: db.dataDir,
      databaseUrl: db.databaseUrl,
      logLevel: 'silent',
      serveWeb: 'false',
      loginAttemptsPerMinute: '1000',
      rateLimitPerMinute: '100000',
      ollamaHost: 'off',
      reconcileIntervalMs: '0',
      ...overrides,
    },
    {},
  )
  return buildApp(config)
}

export async function startTestApp(kind: DbKind, overrides: ConfigInput = {}): Promise<TestApp> {
  const db = await createTestDatabase(kind)
  const app = await buildTestApp(db, overrides)
  return {
    app,
    db,
    close: async () => {
      await app.close()
      await db.cleanup()
    },
  }
}

export const PASSWORD = 'a long passphrase for tests'

export interface SignedIn {
  id: string
  email: string
  token: string
  refreshCookie: string
  auth: { authorization: string }
}

export function cookieValue(response: LightMyRequestResponse, name: string): string | undefined {
  const cookie = response.cookies.find((c) => c.name === name)
  return cookie?.value
}

let counter = 0
export function uniqueEmail(label = 'user'): string {
  counter += 1
  return `${label}-${counter}-${randomBytes(3).toString('hex')}@example.com`
}

export async function register(app: FastifyInstance, email = uniqueEmail(), name = 'Test User') {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email, password: PASSWORD, name },
  })
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`)
  return response.json<{ user: { id: string; role: string; email: string } }>().user
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<SignedIn> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const body = response.json<{ accessToken: string; user: { id: string } }>()
  return {
    id: body.user.id,
    email,
    token: body.accessToken,
    refreshCookie: cookieValue(response, 'wp_refresh') ?? '',
    auth: { authorization: `Bearer ${body.accessToken}` },
  }
}

/** Registers and signs in; the first call on a fresh database yields the admin. */
export async function signUp(app: FastifyInstance, label = 'user'): Promise<SignedIn> {
  const user = await register(app, uniqueEmail(label))
  return login(app, user.email)
}

/** Makes an account with the given role (via the admin) and signs it in. */
export async function userWithRole(
  app: FastifyInstance,
  admin: SignedIn,
  role: 'admin' | 'developer' | 'user',
): Promise<SignedIn> {
  const signedIn = await signUp(app, role)
  if (role !== 'user') {
    const response = await app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/users/${signedIn.id}`,
      headers: admin.auth,
      payload: { role },
    })
    if (response.statusCode !== 200) throw new Error(`role change failed: ${response.body}`)
  }
  return signedIn
}

export function expectProblem(response: LightMyRequestResponse, status: number): Record<string, unknown> {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`)
  }
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${response.headers['content-type']}`)
  }
  const body = response.json<Record<string, unknown>>()
  if (body.status !== status || typeof body.title !== 'string' || typeof body.type !== 'string') {
    throw new Error(`not a problem body: ${response.body}`)
  }
  return body
}

export function fieldsOf(problem: Record<string, unknown>): string[] {
  return ((problem.errors ?? []) as Array<{ field: string }>).map((e) => e.field)
}

/** The session id inside an access token (its `sid` claim). */
export function sessionIdOf(accessToken: string): string {
  const [, payload] = accessToken.split('.')
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()).sid
}

export async function createApiKey(
  app: FastifyInstance,
  owner: SignedIn,
  scopes: string[] = ['read', 'write'],
  expiresAt?: string,
): Promise<{ key: string; id: string; auth: { authorization: string } }> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/api-keys',
    headers: owner.auth,
    payload: { name: 'test key', scopes, ...(expiresAt ? { expiresAt } : {}) },
  })
  if (response.statusCode !== 201) throw new Error(`api key failed: ${response.statusCode} ${response.body}`)
  const body = response.json<{ key: string; apiKey: { id: string } }>()
  return { key: body.key, id: body.apiKey.id, auth: { authorization: `Bearer ${body.key}` } }
}

/**
 * Runs `fn` with the clock (Date only; timers stay real) set just after an ISO time, e.g. an
 * expiry a little ahead: deterministic, unlike waiting for the wall clock.
 */
export async function atClockAfter<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true })
  vi.setSystemTime(Date.parse(iso) + 1000)
  try {
    return await fn()
  } finally {
    vi.useRealTimers()
  }
}

export interface AuditItem {
  seq: number
  action: string
  actorId: string | null
  actorIp: string | null
  targetType: string | null
  targetId: string | null
  outcome: 'success' | 'failure'
  details: Record<string, unknown>
}

export async function auditEvents(
  app: FastifyInstance,
  admin: SignedIn,
  query: Record<string, string> = {},
): Promise<AuditItem[]> {
  const response = await app.inject({
    url: '/api/v1/admin/audit',
    query: { limit: '500', ...query },
    headers: admin.auth,
  })
  if (response.statusCode !== 200) throw new Error(`audit failed: ${response.statusCode} ${response.body}`)
  return response.json<{ items: AuditItem[] }>().items
}

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The environment for a CLI child: this one without any Web+ settings, plus `env`. */
export function cliEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(WEBPLUS_|DATABASE_URL$|REDIS_URL$)/.test(name)) clean[name] = value
  }
  return { ...clean, ...env }
}

/** Runs `server/src/main.ts …` from the repository root with tsx's loader (what `npx tsx` does,
 * minus its wrapper process, so signals reach the server directly). */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts', ...args], {
    cwd: repoRoot,
    env: cliEnv(env),
  })
}

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
