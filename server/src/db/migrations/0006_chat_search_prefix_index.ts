import { type Kysely, PostgresAdapter, sql } from 'kysely'

// SQLite: every search term is a prefix query (`word*`). Without a prefix index FTS5 answers a
// short prefix by merging the doclists of every word it begins (`the*`: the, them, then, there,
// they…) in memory, ~100 ms on a million messages. Both full-text tables are remade with indexes
// for 2-, 3- and 4-character prefixes (longer prefixes begin few words) and refilled from their
// content, with the same rows as before: messages whose text is final (see 0005), every title.
// The triggers name the tables, not their layout, so they stay as they are.
function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

async function remake(db: Kysely<unknown>, prefix: string): Promise<void> {
  const option = sql.raw(prefix ? `, prefix='${prefix}'` : '')
  await sql`drop table messages_fts`.execute(db)
  await sql`create virtual table messages_fts using fts5(content, content='messages', content_rowid='seq',
    tokenize='unicode61 remove_diacritics 2'${option})`.execute(db)
  await sql`insert into messages_fts(rowid, content)
    select seq, content from messages where state <> 'streaming'`.execute(db)
  await sql`drop table conversations_fts`.execute(db)
  await sql`create virtual table conversations_fts using fts5(title, content='conversations',
    content_rowid='seq', tokenize='unicode61 remove_diacritics 2'${option})`.execute(db)
  await sql`insert into conversations_fts(conversations_fts) values ('rebuild')`.execute(db)
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) await remake(db, '2 3 4')
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) await remake(db, '')
}
