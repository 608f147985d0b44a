// Full-text search over one user's conversation titles and message text, with highlighted
// snippets: FTS5 on SQLite, tsvector + GIN on PostgreSQL, behind this one function.
import { sql } from 'kysely'
import type { Db, Dialect } from '../db/index.js'
import type { MessageRole } from '../db/schema.js'

export interface SnippetPiece {
  text: string
  highlight: boolean
}

export interface SearchHit {
  conversationId: string
  conversationTitle: string
  messageId: string | null
  role: MessageRole | null
  snippet: SnippetPiece[]
  createdAt: string
}

interface Row {
  conversation_id: string
  title: string
  message_id: string | null
  role: MessageRole | null
  snippet: string
  created_at: string
}

// Private-use characters mark matches inside snippets; they never come from a tokenizer.
const OPEN = '\uE000'
const CLOSE = '\uE001'
const MAX_TERMS = 8

export interface SearchLimits {
  /**
   * Messages are ranked by relevance while the query matches at most this many messages in the
   * whole index; above it they are listed newest first. Ranking reads every match of every term
   * (the relevance of a word depends on how many messages hold it), so a word as common as "the"
   * would cost time in proportion to the index on each search; and for such a word, relevance
   * says little that recency does not.
   */
  rankedMatches: number
  /** SQLite: message matches ranked per search at most (the owner's newest). */
  rankWindow: number
}

export const SEARCH_LIMITS: SearchLimits = { rankedMatches: 20_000, rankWindow: 300 }

/** The words of a query, reduced to letters and digits so no search syntax gets through. */
export function searchTerms(query: string): string[] {
  const words =
    query
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  return [...new Set(words)].slice(0, MAX_TERMS)
}

/**
 * Each term matches the words it begins, except a one-letter term, which matches that word only
 * ("a", "I", "C"): as a prefix it would match nearly every message.
 */
function isPrefix(term: string): boolean {
  return term.length > 1
}

export function snippetPieces(marked: string): SnippetPiece[] {
  const pieces: SnippetPiece[] = []
  for (const [i, part] of marked.split(OPEN).entries()) {
    const [inside, after] = i === 0 ? [null, part] : splitOnce(part, CLOSE)
    if (inside) pieces.push({ text: inside, highlight: true })
    if (after) pieces.push({ text: after.replaceAll(CLOSE, ''), highlight: false })
  }
  return pieces
}

function splitOnce(text: string, mark: string): [string, string] {
  const at = text.indexOf(mark)
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)]
}

/**
 * Titles first, then messages, each best match first (on SQLite, messages among the owner's newest
 * `rankWindow` matches), or newest first when the query matches more than `rankedMatches`
 * messages. Only `userId`'s conversations are searched, and only text that is final: a reply
 * being written is found once it is done (SQLite indexes it then; see migration 0005).
 */
export async function searchChats(
  db: Db,
  dialect: Dialect,
  userId: string,
  query: string,
  limit: number,
  limits: SearchLimits = SEARCH_LIMITS,
): Promise<SearchHit[]> {
  const terms = searchTerms(query)
  if (terms.length === 0) return []
  const rows =
    dialect === 'postgres'
      ? await postgres(db, userId, terms, limit, limits)
      : await sqlite(db, userId, terms, limit, limits)
  return rows.slice(0, limit).map((row) => ({
    conversationId: row.conversation_id,
    conversationTitle: row.title,
    messageId: row.message_id,
    role: row.role,
    snippet: snippetPieces(row.snippet),
    createdAt: row.created_at,
  }))
}

async function sqlite(
  db: Db,
  userId: string,
  terms: string[],
  limit: number,
  limits: SearchLimits,
): Promise<Row[]> {
  const match = terms.map((t) => (isPrefix(t) ? `"${t}"*` : `"${t}"`)).join(' ')
  const titles = await sql<Row>`
    select c.id as conversation_id, c.title, null as message_id, null as role, c.created_at,
      highlight(conversations_fts, 0, ${OPEN}, ${CLOSE}) as snippet
    from conversations_fts join conversations c on c.seq = conversations_fts.rowid
    where conversations_fts match ${match} and c.user_id = ${userId}
    order by conversations_fts.rank limit ${limit}`.execute(db)
  const select = sql`
    select m.conversation_id, c.title, m.id as message_id, m.role, m.created_at,
      snippet(messages_fts, 0, ${OPEN}, ${CLOSE}, '…', 24) as snippet
    from messages_fts
      join messages m on m.seq = messages_fts.rowid
      join conversations c on c.id = m.conversation_id
    where messages_fts match ${match} and c.user_id = ${userId}`
  // Counting stops at the limit: reading the first matches' rowids costs little.
  const counted = await sql<{ matches: number }>`
    select count(*) as matches from (
      select rowid from messages_fts where messages_fts match ${match} limit ${limits.rankedMatches + 1})`.execute(
    db,
  )
  if ((counted.rows[0]?.matches ?? 0) > limits.rankedMatches) {
    const newest = await sql<Row>`${select} order by messages_fts.rowid desc limit ${limit}`.execute(db)
    return [...titles.rows, ...newest.rows]
  }
  // Scoring every match of the owner costs time in proportion to them (FTS5's bm25() reads each
  // one's term positions), so messages are ranked among the owner's newest rankWindow matches:
  // all of them for most queries. `seq` grows with every new message, so the window is the rowids
  // from the owner's rankWindow-th newest match up.
  const floor = await sql<{ seq: number }>`
    select messages_fts.rowid as seq
    from messages_fts
      join messages m on m.seq = messages_fts.rowid
      join conversations c on c.id = m.conversation_id
    where messages_fts match ${match} and c.user_id = ${userId}
    order by messages_fts.rowid desc limit 1 offset ${limits.rankWindow - 1}`.execute(db)
  const ranked = await sql<Row>`${select} and messages_fts.rowid >= ${floor.rows[0]?.seq ?? 0}
    order by bm25(messages_fts) limit ${limit}`.execute(db)
  return [...titles.rows, ...ranked.rows]
}

async function postgres(
  db: Db,
  userId: string,
  terms: string[],
  limit: number,
  limits: SearchLimits,
): Promise<Row[]> {
  const tsquery = terms.map((t) => (isPrefix(t) ? `${t}:*` : t)).join(' & ')
  const options = `StartSel=${OPEN}, StopSel=${CLOSE}, MaxWords=24, MinWords=8, MaxFragments=1, FragmentDelimiter=" … "`
  const titles = await sql<Row>`
    select c.id as conversation_id, c.title, null as message_id, null as role, c.created_at,
      ts_headline('simple', c.title, q, ${options}) as snippet
    from conversations c, to_tsquery('simple', ${tsquery}) q
    where c.user_id = ${userId} and c.search @@ q
    order by ts_rank(c.search, q) desc limit ${limit}`.execute(db)
  const counted = await sql<{ matches: number }>`
    select count(*)::int as matches from (
      select 1 from messages m, to_tsquery('simple', ${tsquery}) q
      where m.search @@ q and m.state <> 'streaming' limit ${limits.rankedMatches + 1}) found`.execute(db)
  const order =
    (counted.rows[0]?.matches ?? 0) > limits.rankedMatches
      ? sql`m.created_at desc, m.id desc`
      : sql`ts_rank(m.search, q) desc`
  const messages = await sql<Row>`
    select m.conversation_id, c.title, m.id as message_id, m.role, m.created_at,
      ts_headline('simple', m.content, q, ${options}) as snippet
    from messages m join conversations c on c.id = m.conversation_id, to_tsquery('simple', ${tsquery}) q
    where c.user_id = ${userId} and m.search @@ q and m.state <> 'streaming'
    order by ${order} limit ${limit}`.execute(db)
  return [...titles.rows, ...messages.rows]
}
