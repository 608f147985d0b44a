// Configuration, the server secret, migrations and the `webplus` command, including a graceful
// shutdown of a real `webplus start` process with requests in flight.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'
import { openDb } from '../src/db/index.js'
import { MigrationError, migrateToLatest, migrations } from '../src/db/migrate.js'
import { loadOrCreateSecret } from '../src/lib/secret.js'
import {
  buildTestApp,
  createTestDatabase,
  dbKinds,
  login,
  PASSWORD,
  runCli,
  signUp,
  spawnCli,
  tempDir,
} from './helpers.js'

const foundationTables = ['api_keys', 'audit_events', 'refresh_tokens', 'sessions', 'settings', 'users']

describe('loadConfig', () => {
  const refuses = (env: Record<string, string>, name: string) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError)
    expect(() => loadConfig({}, env)).toThrow(new RegExp(`\\b${name}\\b`))
  }

  it('names the variable of an invalid value', () => {
    refuses({ WEBPLUS_PORT: 'eighty' }, 'WEBPLUS_PORT')
    refuses({ WEBPLUS_PORT: '70000' }, 'WEBPLUS_PORT')
    refuses({ WEBPLUS_SECRET: 'x'.repeat(31) }, 'WEBPLUS_SECRET')
    refuses({ DATABASE_URL: 'mysql://root@localhost/webplus' }, 'DATABASE_URL')
    refuses({ REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL')
    refuses({ WEBPLUS_ALLOWED_ORIGINS: 'not a url' }, 'WEBPLUS_ALLOWED_ORIGINS')
    expect(() => loadConfig({ port: '-1' }, {})).toThrow(/WEBPLUS_PORT \(--port\)/)
  })

  it('never echoes a refused secret', () => {
    const secret = 'too-short-but-still-secret'
    expect(() => loadConfig({}, { WEBPLUS_SECRET: secret })).toThrow(/at least 32 bytes/)
    try {
      loadConfig({}, { WEBPLUS_SECRET: secret })
    } catch (error) {
      expect(String(error)).not.toContain(secret)
    }
  })

  it('defaults to 127.0.0.1:8080 and ./data; flags win over the environment', () => {
    const config = loadConfig({}, {})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, dataDir: path.resolve('data') })
    expect(config.secret).toBeUndefined()
    expect(loadConfig({}, { WEBPLUS_SECRET: 'x'.repeat(32) }).secret).toHaveLength(32)
    expect(loadConfig({ port: '9001' }, { WEBPLUS_PORT: '9000', WEBPLUS_HOST: '' }).port).toBe(9001)
    expect(loadConfig({}, { WEBPLUS_HOST: '' }).host).toBe('127.0.0.1')
  })
})

describe('server secret', () => {
  it('is generated once into the data folder: 256 bits, mode 0600', () => {
    const [dir, elsewhere, configured] = [tempDir(), tempDir(), tempDir()]
    try {
      const secret = loadOrCreateSecret(dir)
      const file = path.join(dir, 'secret.key')
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      const text = fs.readFileSync(file, 'utf8')
      expect(Buffer.from(text, 'base64url')).toHaveLength(32)
      expect(loadOrCreateSecret(dir).equals(secret)).toBe(true)
      expect(loadOrCreateSecret(elsewhere).equals(secret)).toBe(false)
      // A configured secret is used as given and writes nothing.
      expect(loadOrCreateSecret(configured, 'c'.repeat(32)).toString()).toBe('c'.repeat(32))
      expect(fs.existsSync(path.join(configured, 'secret.key'))).toBe(false)
    } finally {
      for (const d of [dir, elsewhere, configured]) fs.rmSync(d, { recursive: true, force: true })
    }
  })

  it('keeps sign-ins and the audit chain valid across a restart', async () => {
    const db = await createTestDatabase('sqlite')
    try {
      const first = await buildTestApp(db)
      const admin = await signUp(first, 'admin')
      await first.close()
      const key = fs.readFileSync(path.join(db.dataDir, 'secret.key'), 'utf8')
      const second = await buildTestApp(db)
      expect((await second.inject({ url: '/api/v1/me', headers: admin.auth })).statusCode).toBe(200)
      const verify = await second.inject({ url: '/api/v1/admin/audit/verify', headers: admin.auth })
      expect(verify.json()).toMatchObject({ ok: true })
      await second.close()
      expect(fs.readFileSync(path.join(db.dataDir, 'secret.key'), 'utf8')).toBe(key)
    } finally {
      await db.cleanup()
    }
  })
})

describe.each(dbKinds)('migrations on %s', (kind) => {
  async function withDb(body: (db: ReturnType<typeof openDb>['db']) => Promise<void>) {
    const test = await createTestDatabase(kind)
    const handle = openDb(test)
    try {
      await body(handle.db)
    } finally {
      await handle.destroy()
      await test.cleanup()
    }
  }
  const tables = async (db: ReturnType<typeof openDb>['db']) =>
    (await db.introspection.getTables()).map((t) => t.name).sort()
  const broken = {
    ...migrations,
    '9999_broken': {
      up: async (db: ReturnType<typeof openDb>['db']) => {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute()
        await sql`select * from no_such_table`.execute(db)
      },
    },
  }

  it('migrates a fresh database, then has nothing left to do', async () => {
    await withDb(async (db) => {
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).sort())
      expect(await tables(db)).toEqual(expect.arrayContaining(foundationTables))
      expect(await migrateToLatest(db)).toEqual([])
    })
  })

  it('leaves no tables behind when a migration of the run fails', async () => {
    await withDb(async (db) => {
      // The broken migration is last: everything before it in the same run is rolled back too.
      const error = await migrateToLatest(db, broken).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MigrationError)
      expect(String(error)).toMatch(/9999_broken.*no_such_table/)
      expect(await tables(db)).toEqual([])
      const applied = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(db)
      expect(Number(applied.rows[0]?.n)).toBe(0)
      // Nothing is stuck: the good migrations still apply afterwards.
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations).sort())
      await expect(migrateToLatest(db, broken)).rejects.toThrow(MigrationError)
      expect(await tables(db)).not.toContain('half_done')
      expect(await tables(db)).toEqual(expect.arrayContaining(foundationTables))
    })
  })
})

describe('the webplus command', () => {
  it.each([
    ['start', ['--host', '--port', '--data-dir', '--database-url', '--redis-url']],
    ['migrate', ['--data-dir', '--database-url']],
    ['create-admin', ['--email', '--password', '--name', '--data-dir', '--database-url']],
  ])('%s --help lists its options', async (command, options) => {
    const result = await runCli([command, '--help'])
    expect(result.code).toBe(0)
    for (const option of options) expect(result.stdout).toContain(option)
  })

  it('migrate exits 0, and create-admin makes an admin who can sign in', async () => {
    const dataDir = tempDir()
    try {
      const migrated = await runCli(['migrate', '--data-dir', dataDir])
      expect(migrated.code, migrated.stderr).toBe(0)
      expect(migrated.stdout).toContain('applied: 0001_init')
      const email = 'root@example.com'
      const created = await runCli(['create-admin', '--data-dir', dataDir, '--email', email], {
        WEBPLUS_ADMIN_PASSWORD: PASSWORD,
      })
      expect(created.code, created.stderr).toBe(0)
      expect(created.stdout).toContain(`created admin ${email}`)
      const app = await buildTestApp({ dataDir, cleanup: async () => undefined })
      try {
        const admin = await login(app, email)
        expect((await app.inject({ url: '/api/v1/me', headers: admin.auth })).json().role).toBe('admin')
      } finally {
        await app.close()
      }
      const again = await runCli([
        'create-admin',
        '--data-dir',
        dataDir,
        '--email',
        email,
        '--password',
        PASSWORD,
      ])
      expect(again.code).not.toBe(0)
      expect(again.stderr).toMatch(/already exists/)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('start refuses an invalid WEBPLUS_PORT, naming it', async () => {
    const result = await runCli(['start', '--data-dir', '/nonexistent/webplus'], {
      WEBPLUS_PORT: 'not-a-port',
    })
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/WEBPLUS_PORT/)
  })

  it('start finishes in-flight requests on SIGTERM, then exits 0 and closes the port', async () => {
    const dataDir = tempDir()
    const keepAlive = new http.Agent({ keepAlive: true })
    const child = spawnCli(['start', '--port', '0', '--data-dir', dataDir], {
      WEBPLUS_SERVE_WEB: 'false',
      WEBPLUS_LOG_LEVEL: 'info',
      OLLAMA_HOST: 'off',
    })
    const lines: Array<Record<string, unknown>> = []
    const waiters: Array<() => void> = []
    let buffered = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const complete = buffered.split('\n')
      buffered = complete.pop() ?? ''
      for (const line of complete) if (line.startsWith('{')) lines.push(JSON.parse(line))
      for (const wake of waiters.splice(0)) wake()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const logged = async (match: (line: Record<string, unknown>) => boolean, count = 1) => {
      while (lines.filter(match).length < count) {
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited])
        if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode})`)
      }
    }
    try {
      await logged((l) => String(l.msg).startsWith('Server listening at'))
      const port = Number(
        /:(\d+)$/.exec(String(lines.find((l) => String(l.msg).startsWith('Server listening'))?.msg))?.[1],
      )
      const base = `http://127.0.0.1:${port}`
      const post = (url: string, body: unknown) =>
        fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const email = 'shutdown@example.com'
      expect((await post('/api/v1/auth/register', { email, password: PASSWORD, name: 'S' })).status).toBe(201)

      // A login whose body is only half sent is in flight for as long as the test wants.
      const body = JSON.stringify({ email, password: PASSWORD })
      const request = http.request({
        // Like a browser or a proxy, the client keeps its connection open after the answer.
        agent: keepAlive,
        host: '127.0.0.1',
        port,
        path: '/api/v1/auth/login',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      })
      const status = new Promise<number>((resolve, reject) => {
        request.on('response', (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
        })
        request.on('error', reject)
      })
      request.write(body.slice(0, 10))
      await logged(
        (l) => l.msg === 'incoming request' && (l.req as { url?: string }).url === '/api/v1/auth/login',
      )
      child.kill('SIGTERM')
      await logged((l) => l.msg === 'shutting down')
      request.end(body.slice(10))
      expect(await status).toBe(200)
      expect(await exited).toBe(0)
      const refused = await new Promise<string>((resolve) => {
        const socket = net.connect(port, '127.0.0.1')
        socket.on('connect', () => {
          socket.destroy()
          resolve('connected')
        })
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
      })
      expect(refused).toBe('ECONNREFUSED')
    } finally {
      keepAlive.destroy()
      if (child.exitCode === null) child.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
