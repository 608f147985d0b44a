import { type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely'

// Chat: conversations with tags, the message tree, generations (one per reply job), presets,
// and full-text search over titles and message text — FTS5 on SQLite, tsvector on PostgreSQL.
// On SQLite the searchable tables carry an INTEGER PRIMARY KEY `seq` (a rowid alias that VACUUM
// keeps) for the FTS5 external-content index; their text `id` stays unique and is what rows reference.

type Table = CreateTableBuilder<string, never>

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

function keys(table: Table, postgres: boolean): Table {
  return postgres
    ? table.addColumn('id', 'text', (c) => c.primaryKey())
    : table
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db)
  await keys(db.schema.createTable('conversations'), postgres)
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_state', 'text', (c) =>
      c.notNull().check(sql`title_state in ('default', 'auto', 'user')`),
    )
    .addColumn('folder', 'text')
    .addColumn('model_id', 'text')
    .addColumn('system_prompt', 'text')
    .addColumn('temperature', 'double precision')
    .addColumn('top_p', 'double precision')
    .addColumn('max_tokens', 'integer')
    .addColumn('selected_leaf_id', 'text')
    .addColumn('pinned_at', 'text')
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('conversations_user_updated_idx')
    .on('conversations')
    .columns(['user_id', 'updated_at', 'id'])
    .execute()

  await db.schema
    .createTable('conversation_tags')
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_tags_pk', ['conversation_id', 'tag'])
    .execute()

  // parent_id has no ON DELETE action: a subtree is deleted in one statement (a cascade would
  // recurse once per level and hit SQLite's trigger depth on long chats).
  await keys(db.schema.createTable('messages'), postgres)
    .addColumn('conversation_id', 'text', (c) =>
      c.notNull().references('conversations.id').onDelete('cascade'),
    )
    .addColumn('parent_id', 'text', (c) => c.references('messages.id'))
    .addColumn('depth', 'integer', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('user', 'assistant')`))
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('complete', 'streaming', 'stopped', 'error', 'interrupted')`),
    )
    .addColumn('error', 'text')
    .addColumn('model_id', 'text')
    .addColumn('model_name', 'text')
    .addColumn('generation_id', 'text')
    .addColumn('input_tokens', 'integer')
    .addColumn('output_tokens', 'integer')
    .addColumn('ttft_ms', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('cost', 'double precision')
    .addColumn('context_trimmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('feedback_rating', 'text')
    .addColumn('feedback_comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('messages_tree_idx')
    .on('messages')
    .columns(['conversation_id', 'parent_id', 'id'])
    .execute()
  await db.schema.createIndex('messages_state_idx').on('messages').column('state').execute()

  await db.schema
    .createTable('generations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute()
  await db.schema.createIndex('generations_message_idx').on('generations').column('message_id').execute()

  await db.schema
    .createTable('chat_presets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text')
    .addColumn('system_prompt', 'text')
    .addColumn('temperature', 'double precision')
    .addColumn('top_p', 'double precision')
    .addColumn('max_tokens', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('chat_presets_user_idx')
    .on('chat_presets')
    .columns(['user_id', 'name'])
    .execute()

  if (postgres) await postgresSearch(db)
  else await sqliteSearch(db)
}

async function postgresSearch(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add column search tsvector
    generated always as (to_tsvector('simple', content)) stored`.execute(db)
  await sql`create index messages_search_idx on messages using gin (search)`.execute(db)
  await sql`alter table conversations add column search tsvector
    generated always as (to_tsvector('simple', title)) stored`.execute(db)
  await sql`create index conversations_search_idx on conversations using gin (search)`.execute(db)
}

/** External-content FTS5 tables kept in sync by triggers (only on the indexed column). */
async function sqliteSearch(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of [
    ['messages', 'content'],
    ['conversations', 'title'],
  ] as const) {
    const fts = sql.raw(`${table}_fts`)
    const t = sql.raw(table)
    const col = sql.raw(column)
    await sql`create virtual table ${fts} using fts5(${col}, content='${t}', content_rowid='seq',
      tokenize='unicode61 remove_diacritics 2')`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_fts_insert`)} after insert on ${t} begin
      insert into ${fts}(rowid, ${col}) values (new.seq, new.${col}); end`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_fts_delete`)} after delete on ${t} begin
      insert into ${fts}(${fts}, rowid, ${col}) values ('delete', old.seq, old.${col}); end`.execute(db)
    await sql`create trigger ${sql.raw(`${table}_fts_update`)} after update of ${col} on ${t} begin
      insert into ${fts}(${fts}, rowid, ${col}) values ('delete', old.seq, old.${col});
      insert into ${fts}(rowid, ${col}) values (new.seq, new.${col}); end`.execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    await sql`drop table if exists messages_fts`.execute(db)
    await sql`drop table if exists conversations_fts`.execute(db)
  }
  for (const table of ['chat_presets', 'generations', 'messages', 'conversation_tags', 'conversations']) {
    await db.schema.dropTable(table).execute()
  }
}
