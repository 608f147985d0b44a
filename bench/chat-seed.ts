// Seeds the chat benchmark's SQLite database — created by Web+ itself, so with the app's own
// migrations, FTS5 tables and triggers — with plain bulk inserts: one conversation of 10,000
// messages (one long branch with some regenerated replies and edited questions beside it), and
// about 1,000,000 messages over many conversations of a few users, with text drawn from a
// vocabulary with a Zipf distribution so that full-text search has common and rare words.
import SqliteDatabase from 'better-sqlite3'
import { encodeTime } from 'ulid'

/** A small fast PRNG, seeded, so every run seeds the same text. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A ULID for a given time (ulid's own generator draws crypto randomness per character: slow). */
function ulidAt(at: number, rng: () => number): string {
  let id = encodeTime(at, 10)
  for (let i = 0; i < 16; i++) id += CROCKFORD[Math.floor(rng() * 32)]
  return id
}

const COMMON = (
  'the of and to a in is it you that he was for on are with as I his they be at one have this from ' +
  'or had by not word but what some we can out other were all there when up use your how said an each ' +
  'she which do their time if will way about many then them write would like so these her long make ' +
  'thing see him two has look more day could go come did number sound no most people my over know water ' +
  'than call first who may down side been now find any new work part take get place made live where after ' +
  'back little only round man year came show every good me give our under name very through just form ' +
  'sentence great think say help low line differ turn cause much mean before move right boy old too same ' +
  'tell does set three want air well also play small end put home read hand port large spell add even ' +
  'land here must big high such follow act why ask men change went light kind off need house picture try ' +
  'again animal point mother world near build self earth father function server database query index ' +
  'python error request model token stream cache memory thread branch message search table column'
).split(' ')
const SYLLABLES = (
  'ka ri to ne sa mu lo vi de fa po ru chi ba te ko mi zu ya he gra pla stri bon vel tor mar lin ' +
  'qua dor sel fin gor tam bex rol pin sul dra kel mon tis var gen lux per cal ric ton'
).split(' ')

export interface Vocabulary {
  words: string[]
  /** A word drawn with probability ∝ 1 / (rank + 2.7). */
  draw(rng: () => number): string
  /** The word at a rank (0 = most common). */
  at(rank: number): string
}

export function vocabulary(size = 40_000): Vocabulary {
  const rng = random(7)
  const words = [...new Set(COMMON)]
  const seen = new Set(words)
  while (words.length < size) {
    const syllables = 2 + Math.floor(rng() * 3)
    let word = ''
    for (let i = 0; i < syllables; i++) word += SYLLABLES[Math.floor(rng() * SYLLABLES.length)]
    if (!seen.has(word)) {
      seen.add(word)
      words.push(word)
    }
  }
  const cumulative = new Float64Array(words.length)
  let total = 0
  for (let r = 0; r < words.length; r++) {
    total += 1 / (r + 2.7)
    cumulative[r] = total
  }
  return {
    words,
    at: (rank) => words[Math.min(rank, words.length - 1)] ?? 'the',
    draw(next) {
      const x = next() * total
      let lo = 0
      let hi = cumulative.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((cumulative[mid] ?? 0) < x) lo = mid + 1
        else hi = mid
      }
      return words[lo] ?? 'the'
    },
  }
}

function sentence(vocab: Vocabulary, rng: () => number, words: number): string {
  const out: string[] = []
  for (let i = 0; i < words; i++) out.push(vocab.draw(rng))
  const text = out.join(' ')
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`
}

/** A question of 4-30 words, or a reply of 15-120 words in a few sentences. */
function messageText(vocab: Vocabulary, rng: () => number, role: 'user' | 'assistant'): string {
  if (role === 'user') return sentence(vocab, rng, 4 + Math.floor(rng() * 27))
  const sentences: string[] = []
  let left = 15 + Math.floor(rng() * 106)
  while (left > 0) {
    const n = Math.min(left, 6 + Math.floor(rng() * 14))
    sentences.push(sentence(vocab, rng, n))
    left -= n
  }
  return sentences.join(' ')
}

const MESSAGE_SQL = `insert into messages (id, conversation_id, parent_id, depth, role, content, state,
  model_name, input_tokens, output_tokens, duration_ms, created_at, updated_at)
  values (?, ?, ?, ?, ?, ?, 'complete', ?, ?, ?, ?, ?, ?)`
const CONVERSATION_SQL = `insert into conversations (id, user_id, title, title_state, created_at, updated_at)
  values (?, ?, ?, 'auto', ?, ?)`
const LEAF_SQL = 'update conversations set selected_leaf_id = ?, updated_at = ? where id = ?'

interface Writer {
  /** Messages written so far. */
  readonly count: number
  message(
    conversationId: string,
    parentId: string | null,
    depth: number,
    role: 'user' | 'assistant',
    at: number,
  ): string
  conversation(id: string, userId: string, title: string, at: number): void
  finish(id: string, leaf: string | null, at: number): void
}

function writer(db: SqliteDatabase.Database, vocab: Vocabulary, rng: () => number): Writer {
  const insertMessage = db.prepare(MESSAGE_SQL)
  const insertConversation = db.prepare(CONVERSATION_SQL)
  const setLeaf = db.prepare(LEAF_SQL)
  let count = 0
  return {
    get count() {
      return count
    },
    message(conversationId, parentId, depth, role, at) {
      count += 1
      const id = ulidAt(at, rng)
      const time = new Date(at).toISOString()
      const content = messageText(vocab, rng, role)
      const assistant = role === 'assistant'
      insertMessage.run(
        id,
        conversationId,
        parentId,
        depth,
        role,
        content,
        assistant ? 'bench-model' : null,
        assistant ? 200 : null,
        assistant ? Math.ceil(content.length / 4) : null,
        assistant ? 1500 : null,
        time,
        time,
      )
      return id
    },
    conversation(id, userId, title, at) {
      const time = new Date(at).toISOString()
      insertConversation.run(id, userId, title, time, time)
    },
    finish(id, leaf, at) {
      setLeaf.run(leaf, new Date(at).toISOString(), id)
    },
  }
}

const MINUTE = 60_000
const YEAR = 365 * 24 * 60 * MINUTE

/**
 * One conversation: a branch of `length` messages; every `regenerateEvery`-th reply has an
 * older sibling (a regenerated reply), and every `editEvery`-th question an older edited version
 * with a short answered branch of its own. Returns the conversation id.
 */
function conversation(
  w: Writer,
  rng: () => number,
  userId: string,
  title: string,
  length: number,
  start: number,
  spacing = MINUTE,
  regenerateEvery = 0,
  editEvery = 0,
): string {
  const id = ulidAt(start, rng)
  w.conversation(id, userId, title, start)
  let at = start
  let parent: string | null = null
  for (let depth = 0; depth < length; depth++) {
    const role = depth % 2 === 0 ? 'user' : 'assistant'
    at += spacing
    if (role === 'assistant' && regenerateEvery && depth % regenerateEvery === 1) {
      w.message(id, parent, depth, role, at)
      at += spacing
    }
    if (role === 'user' && editEvery && depth > 0 && depth % editEvery === 0) {
      const old = w.message(id, parent, depth, role, at)
      w.message(id, old, depth + 1, 'assistant', at + 1)
      at += spacing
    }
    parent = w.message(id, parent, depth, role, at)
  }
  w.finish(id, parent, at)
  return id
}

export interface Seeded {
  longConversationId: string
  longMessages: number
  messages: number
  conversations: number
  seconds: number
}

/**
 * Seeds `totalMessages` into the database file of a running Web+ (WAL lets both connections share
 * it). `users[0]`
 * owns the long conversation; the bulk is spread over all users. Commits every few thousand
 * conversations so the WAL stays small.
 */
export function seed(file: string, users: string[], totalMessages: number, vocab: Vocabulary): Seeded {
  const started = performance.now()
  const db = new SqliteDatabase(file)
  db.pragma('busy_timeout = 10000')
  db.pragma('synchronous = OFF')
  db.pragma('cache_size = -262144')
  // Indexing row by row through the trigger takes twice as long as one rebuild at the end: the
  // trigger is set aside for the bulk insert and put back, as the migration wrote it, afterwards.
  const trigger = db.prepare("select sql from sqlite_master where name = 'messages_fts_insert'").get() as {
    sql: string
  }
  db.exec('drop trigger messages_fts_insert')
  const rng = random(42)
  const w = writer(db, vocab, rng)
  const now = Date.now()
  const titleOf = () => sentence(vocab, rng, 2 + Math.floor(rng() * 4)).replace(/\.$/, '')
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n

  const userId = users[0] ?? ''
  // The long conversation's branch is 10,000 messages; its other versions come on top.
  const longConversationId = db.transaction(() =>
    conversation(
      w,
      rng,
      userId,
      'A very long conversation',
      10_000,
      now - 30 * 24 * 60 * MINUTE,
      MINUTE,
      50,
      400,
    ),
  )()
  const longMessages = w.count

  let conversations = 0
  const batch = db.transaction((until: number) => {
    while (w.count < until) {
      const length = 10 + Math.floor(rng() * 161)
      const owner = users[Math.floor(rng() * users.length)] ?? userId
      const start = now - YEAR + Math.floor(rng() * (YEAR - 10 * 24 * 60 * MINUTE))
      conversation(w, rng, owner, titleOf(), length, start, MINUTE, 12, 60)
      conversations += 1
    }
  })
  const total = totalMessages
  while (w.count < total) batch(Math.min(total, w.count + 50_000))
  db.exec("insert into messages_fts(messages_fts) values ('rebuild')")
  db.exec(trigger.sql)
  const messages = count('select count(*) as n from messages')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  return {
    longConversationId,
    longMessages,
    messages,
    conversations: conversations + 1,
    seconds: (performance.now() - started) / 1000,
  }
}
