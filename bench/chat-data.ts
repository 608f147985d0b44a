// The chat benchmark's database parts, against one Web+ process over a seeded SQLite file:
// opening the 10,000-message conversation (GET /api/v1/conversations/:id) and searching
// 1,000,000 messages (GET /api/v1/search), both over real HTTP on 127.0.0.1, one request at a time.
import { callJson, type ServerInfo, type Spread, spread } from './chat-kit.js'
import { random, type Vocabulary } from './chat-seed.js'

export interface OpenFigures {
  page: number
  branchLength: number
  firstPage: Spread
  olderPage: Spread
}

interface Detail {
  messages: { items: Array<{ id: string }>; hasMore: boolean; before: string | null }
}

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await work()
  return [performance.now() - started, result]
}

/** The newest page as the web app asks for it (50), then a page from the middle of the branch. */
export async function benchOpen(
  server: ServerInfo,
  conversationId: string,
  runs = 200,
): Promise<OpenFigures> {
  const owner = server.users[0]
  if (!owner) throw new Error('no user')
  const url = `${server.url}/api/v1/conversations/${conversationId}`
  const open = (query = '') => callJson<Detail>(`${url}?limit=50${query}`, { token: owner.token })
  for (let i = 0; i < 30; i++) await open()
  const first: number[] = []
  for (let i = 0; i < runs; i++) first.push((await timed(open))[0])

  // Walk back once to count the branch and keep anchors from all along it.
  const anchors: string[] = []
  let page = await open()
  let branchLength = page.messages.items.length
  while (page.messages.hasMore && page.messages.before) {
    anchors.push(page.messages.before)
    page = await open(`&before=${page.messages.before}`)
    branchLength += page.messages.items.length
  }
  const older: number[] = []
  for (let i = 0; i < runs; i++) {
    const anchor = anchors[Math.floor((i * anchors.length) / runs)] ?? ''
    older.push((await timed(() => open(`&before=${anchor}`)))[0])
  }
  return { page: 50, branchLength, firstPage: spread(first), olderPage: spread(older) }
}

export interface SearchClass {
  name: string
  figures: Spread
  hitsP50: number
}

export interface SearchFigures {
  classes: SearchClass[]
  all: Spread
  queries: number
}

/** Query kinds people type, with words picked by their rank in the vocabulary (0 = commonest). */
function queries(vocab: Vocabulary, perClass: number): Array<{ kind: string; q: string }> {
  const rng = random(99)
  const rank = (from: number, to: number) => vocab.at(from + Math.floor(rng() * (to - from)))
  const kinds: Array<[string, () => string]> = [
    ['common word (rank 20-200)', () => rank(20, 200)],
    ['mid word (rank 200-5k)', () => rank(200, 5000)],
    ['rare word (rank 5k-40k)', () => rank(5000, 40_000)],
    ['two mid words', () => `${rank(100, 3000)} ${rank(100, 3000)}`],
    ['word prefix (4 letters)', () => rank(200, 5000).slice(0, 4)],
    ['stop word (rank 0-20)', () => rank(0, 20)],
  ]
  const list: Array<{ kind: string; q: string }> = []
  for (let i = 0; i < perClass; i++) for (const [kind, make] of kinds) list.push({ kind, q: make() })
  return list
}

export async function benchSearch(
  server: ServerInfo,
  vocab: Vocabulary,
  perClass = 60,
): Promise<SearchFigures> {
  const list = queries(vocab, perClass)
  const search = (i: number, q: string) => {
    const user = server.users[i % server.users.length]
    return callJson<{ items: unknown[] }>(`${server.url}/api/v1/search?q=${encodeURIComponent(q)}&limit=20`, {
      token: user?.token ?? '',
    })
  }
  for (const [i, { q }] of list.slice(0, 30).entries()) await search(i, `${q} warm`)
  const byKind = new Map<string, { times: number[]; hits: number[] }>()
  const all: number[] = []
  for (const [i, { kind, q }] of list.entries()) {
    const [ms, result] = await timed(() => search(i, q))
    const entry = byKind.get(kind) ?? { times: [], hits: [] }
    entry.times.push(ms)
    entry.hits.push(result.items.length)
    byKind.set(kind, entry)
    all.push(ms)
  }
  const classes = [...byKind].map(([name, { times, hits }]) => ({
    name,
    figures: spread(times),
    hitsP50: spread(hits).p50,
  }))
  return { classes, all: spread(all), queries: list.length }
}
