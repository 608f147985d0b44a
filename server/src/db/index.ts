// The database: Kysely over better-sqlite3 (embedded default) or pg (scale-out), chosen by URL.
import fs from 'node:fs'
import path from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import {
  Kysely,
  type SqliteDatabase as KyselySqliteDatabase,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
} from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

export type Dialect = 'sqlite' | 'postgres'
export type Db = Kysely<Database>

export interface DbHandle {
  db: Db
  dialect: Dialect
  destroy(): Promise<void>
}

// pg returns int8/numeric as strings; counts here always fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

// SQLite has transactional DDL, but Kysely's adapter says it has not, so its migrator would run
// migrations outside a transaction and a failed one would leave half its tables behind.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

/**
 * better-sqlite3 compiles SQL on every prepare(), and Kysely prepares every query it runs: on a
 * hot path (the gateway's auth, routing and usage rows) compiling costs about as much as running.
 * Compiled statements are kept by SQL text (values are always bound parameters); one that is
 * still being iterated is not shared. SQLite recompiles a kept statement after a schema change.
 */
function withStatementCache(database: SqliteDatabase.Database): KyselySqliteDatabase {
  const statements = new Map<string, SqliteDatabase.Statement>()
  return {
    close: () => database.close(),
    prepare(sql: string) {
      const kept = statements.get(sql)
      if (kept && !kept.busy) return kept
      const statement = database.prepare(sql)
      if (statements.size >= 500) statements.clear()
      statements.set(sql, statement)
      return statement
    },
  }
}

class WebplusSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}

export function sqlitePath(dataDir: string, databaseUrl?: string): string {
  if (databaseUrl?.startsWith('sqlite:')) {
    const file = databaseUrl.slice('sqlite:'.length).replace(/^\/\//, '')
    return path.resolve(file)
  }
  return path.join(dataDir, 'webplus.sqlite')
}

/** An idle pooled connection can fail (a restart, a dropped network): report it, don't crash. */
export type PoolErrorHandler = (error: Error) => void

const reportToStderr: PoolErrorHandler = (error) =>
  console.error(`database connection failed: ${error.message}`)

export function openDb(
  options: { dataDir: string; databaseUrl?: string },
  onPoolError: PoolErrorHandler = reportToStderr,
): DbHandle {
  const url = options.databaseUrl
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 })
    pool.on('error', onPoolError)
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, dialect: 'postgres', destroy: () => db.destroy() }
  }
  const file = sqlitePath(options.dataDir, url)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const database = new SqliteDatabase(file)
  database.pragma('journal_mode = WAL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  database.pragma('synchronous = NORMAL')
  const db = new Kysely<Database>({
    dialect: new WebplusSqliteDialect({ database: withStatementCache(database) }),
  })
  return { db, dialect: 'sqlite', destroy: () => db.destroy() }
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db)
}
