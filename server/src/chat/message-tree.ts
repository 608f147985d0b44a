// Queries over a conversation's message tree. Branches are walked with recursive CTEs (SQLite and
// PostgreSQL both have them), bounded by a page size, so a long chat never loads its whole tree.
import { sql } from 'kysely'
import type { Db } from '../db/index.js'
import type { Message } from '../db/schema.js'
import type { Siblings } from './views.js'

export const MESSAGE_COLUMNS = [
  'id',
  'conversation_id',
  'parent_id',
  'depth',
  'role',
  'content',
  'state',
  'error',
  'model_id',
  'model_name',
  'generation_id',
  'input_tokens',
  'output_tokens',
  'ttft_ms',
  'duration_ms',
  'cost',
  'context_trimmed',
  'feedback_rating',
  'feedback_comment',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof Message>

const columnsOf = (alias: string) => sql.join(MESSAGE_COLUMNS.map((c) => sql.ref(`${alias}.${c}`)))

export async function findMessage(db: Db, conversationId: string, id: string): Promise<Message | undefined> {
  return db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('id', '=', id)
    .where('conversation_id', '=', conversationId)
    .executeTakeFirst()
}

/** `startId` and up to `limit - 1` of its ancestors, oldest first. */
export async function branchUpFrom(
  db: Db,
  conversationId: string,
  startId: string,
  limit: number,
): Promise<Message[]> {
  const { rows } = await branchQuery(conversationId, startId, limit).execute(db)
  return rows
}

/** The query behind branchUpFrom: each step is one primary-key lookup, and it stops at `limit`. */
export function branchQuery(conversationId: string, startId: string, limit: number) {
  return sql<Message>`
    with recursive branch as (
      select ${columnsOf('m')}, 1 as n from messages m
        where m.id = ${startId} and m.conversation_id = ${conversationId}
      union all
      select ${columnsOf('m')}, b.n + 1 from messages m
        join branch b on m.id = b.parent_id
        where b.n < ${limit}
    )
    select ${columnsOf('branch')} from branch order by n desc`
}

/** The newest leaf below `id` (or `id` itself), following the newest child at each level. */
export async function newestLeafUnder(db: Db, conversationId: string, id: string): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    with recursive down as (
      select m.id, 0 as n from messages m where m.id = ${id} and m.conversation_id = ${conversationId}
      union all
      select c.id, d.n + 1 from down d
        join messages c on c.id = (
          select c2.id from messages c2
            where c2.conversation_id = ${conversationId} and c2.parent_id = d.id
            order by c2.id desc limit 1)
    )
    select id from down order by n desc limit 1`.execute(db)
  return rows[0]?.id ?? null
}

/** `id` and every message below it. */
export async function subtreeIds(db: Db, conversationId: string, id: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`${subtree(conversationId, id)} select id from sub`.execute(db)
  return rows.map((r) => r.id)
}

export async function deleteSubtree(db: Db, conversationId: string, id: string): Promise<void> {
  // One statement, so the parent_id foreign key is checked once, after the whole subtree is gone.
  await sql`delete from messages where id in (${subtree(conversationId, id)} select id from sub)`.execute(db)
}

function subtree(conversationId: string, id: string) {
  return sql`with recursive sub as (
      select m.id from messages m where m.id = ${id} and m.conversation_id = ${conversationId}
      union all
      select m.id from messages m join sub on m.parent_id = sub.id
        where m.conversation_id = ${conversationId}
    )`
}

export async function newestMessageId(db: Db, conversationId: string): Promise<string | null> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.id ?? null
}

/** For each message, how many siblings it has (itself included) and its place among them. */
export async function siblingsOf(
  db: Db,
  conversationId: string,
  messages: Message[],
): Promise<Map<string, Siblings>> {
  if (messages.length === 0) return new Map()
  const parents = [...new Set(messages.flatMap((m) => (m.parent_id ? [m.parent_id] : [])))]
  const hasRoot = messages.some((m) => m.parent_id === null)
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'parent_id'])
    .where('conversation_id', '=', conversationId)
    .where((eb) => {
      const branches = []
      if (parents.length) branches.push(eb('parent_id', 'in', parents))
      if (hasRoot) branches.push(eb('parent_id', 'is', null))
      return eb.or(branches)
    })
    .orderBy('id')
    .execute()
  const byParent = new Map<string | null, string[]>()
  for (const row of rows) {
    const list = byParent.get(row.parent_id) ?? []
    list.push(row.id)
    byParent.set(row.parent_id, list)
  }
  const result = new Map<string, Siblings>()
  for (const message of messages) {
    const list = byParent.get(message.parent_id) ?? [message.id]
    result.set(message.id, { count: list.length, index: Math.max(0, list.indexOf(message.id)), ids: list })
  }
  return result
}
