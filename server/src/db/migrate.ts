// One migration set for both dialects. Kysely runs all pending migrations in one transaction on
// SQLite and PostgreSQL (both have transactional DDL), so a failure changes nothing.
import { type Migration, type MigrationProvider, Migrator } from 'kysely'
import type { Db } from './index.js'
import * as m0001 from './migrations/0001_init.js'
import * as m0002 from './migrations/0002_llm_manager.js'
import * as m0003 from './migrations/0003_chat.js'
import * as m0004 from './migrations/0004_gateway.js'
import * as m0005 from './migrations/0005_chat_search_final_text.js'
import * as m0006 from './migrations/0006_chat_search_prefix_index.js'

export const migrations: Record<string, Migration> = {
  '0001_init': m0001,
  '0002_llm_manager': m0002,
  '0003_chat': m0003,
  '0004_gateway': m0004,
  '0005_chat_search_final_text': m0005,
  '0006_chat_search_prefix_index': m0006,
}

export class MigrationError extends Error {}

export async function migrateToLatest(
  db: Db,
  provided: Record<string, Migration> = migrations,
): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => provided }
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    const reason = error instanceof Error ? error.message : String(error)
    throw new MigrationError(`migration ${failed} failed, nothing was applied: ${reason}`)
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
