import { type Kysely, PostgresAdapter, sql } from 'kysely'

// SQLite: a reply's text enters the full-text index once it is final, not on every save while it
// streams (each save re-tokenized the whole reply: at hundreds of concurrent replies that was most
// of the server's CPU). Search skips `streaming` messages on both databases, so PostgreSQL — whose
// generated tsvector column has no such cost on the server process — answers the same.
function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return
  await sql`drop trigger messages_fts_insert`.execute(db)
  await sql`drop trigger messages_fts_update`.execute(db)
  // Replies streaming now leave the index; they come back when they finish (or are interrupted).
  await sql`insert into messages_fts(messages_fts, rowid, content)
    select 'delete', seq, content from messages where state = 'streaming'`.execute(db)
  await sql`create trigger messages_fts_insert after insert on messages
    when new.state <> 'streaming' begin
      insert into messages_fts(rowid, content) values (new.seq, new.content); end`.execute(db)
  // One trigger, so the old text always leaves the index before the new one enters it.
  await sql`create trigger messages_fts_update after update of content, state on messages begin
    insert into messages_fts(messages_fts, rowid, content)
      select 'delete', old.seq, old.content where old.state <> 'streaming';
    insert into messages_fts(rowid, content)
      select new.seq, new.content where new.state <> 'streaming'; end`.execute(db)
  // The delete trigger stays as it was, except for rows that were never indexed.
  await sql`drop trigger messages_fts_delete`.execute(db)
  await sql`create trigger messages_fts_delete after delete on messages
    when old.state <> 'streaming' begin
      insert into messages_fts(messages_fts, rowid, content) values ('delete', old.seq, old.content); end`.execute(
    db,
  )
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) return
  for (const name of ['messages_fts_insert', 'messages_fts_update', 'messages_fts_delete']) {
    await sql`drop trigger ${sql.raw(name)}`.execute(db)
  }
  await sql`insert into messages_fts(rowid, content)
    select seq, content from messages where state = 'streaming'`.execute(db)
  await sql`create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts(rowid, content) values (new.seq, new.content); end`.execute(db)
  await sql`create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts(messages_fts, rowid, content) values ('delete', old.seq, old.content); end`.execute(
    db,
  )
  await sql`create trigger messages_fts_update after update of content on messages begin
    insert into messages_fts(messages_fts, rowid, content) values ('delete', old.seq, old.content);
    insert into messages_fts(rowid, content) values (new.seq, new.content); end`.execute(db)
}
