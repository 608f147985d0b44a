// A conversation of 10,000 messages opens at the selected branch's latest page, pages back with
// `before`, and the branch query reads only the page (its plan never scans the messages table).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { branchQuery } from '../src/chat/message-tree.js'
import { newMessage } from '../src/chat/messages.js'
import type { Message } from '../src/db/schema.js'
import { type ChatWorld, createConversation, finished, open, send, startChat } from './chat-kit.js'
import { fakeOllamaModel } from './fakes/fake-ollama.js'
import { dbKinds } from './helpers.js'

const COUNT = 10_000
const CHUNK = 500

function row(conversationId: string, parent: Message | null, content: string): Message {
  const depth = parent ? parent.depth + 1 : 0
  return newMessage({
    conversation_id: conversationId,
    parent_id: parent?.id ?? null,
    depth,
    role: depth % 2 === 0 ? 'user' : 'assistant',
    content,
  })
}

/** Every plan node that reads the messages table, with the rows it returned over all its loops. */
function messageScans(plan: unknown, found: Array<{ type: string; rows: number }> = []) {
  const node = plan as {
    'Relation Name'?: string
    'Node Type': string
    'Actual Rows': number
    'Actual Loops': number
    Plans?: unknown[]
  }
  if (node['Relation Name'] === 'messages') {
    found.push({ type: node['Node Type'], rows: node['Actual Rows'] * node['Actual Loops'] })
  }
  for (const child of node.Plans ?? []) messageScans(child, found)
  return found
}

describe.each(dbKinds)('a 10,000-message conversation on %s', (kind) => {
  let w: ChatWorld
  let conversationId: string
  let branch: Message[]

  beforeAll(async () => {
    w = await startChat(kind, {
      fake: { models: [fakeOllamaModel('llama3.2:1b'), fakeOllamaModel('tiny:1b', { contextLength: 64 })] },
    })
    const conversation = await createConversation(w.app, w.user, {
      modelId: w.models['tiny:1b'],
      title: 'Long',
    })
    conversationId = conversation.id
    branch = []
    let parent: Message | null = null
    for (let i = 0; i < COUNT; i++) {
      parent = row(conversationId, parent, `message ${i}`)
      branch.push(parent)
    }
    // A regenerated reply beside the last one, newer than the selected leaf.
    const last = branch.at(-1) as Message
    const alternative = row(conversationId, branch.at(-2) ?? null, 'alternative reply')
    const db = w.app.services.db
    for (let i = 0; i < branch.length; i += CHUNK) {
      await db
        .insertInto('messages')
        .values(branch.slice(i, i + CHUNK))
        .execute()
    }
    await db.insertInto('messages').values(alternative).execute()
    await db
      .updateTable('conversations')
      .set({ selected_leaf_id: last.id })
      .where('id', '=', conversationId)
      .execute()
    if (kind === 'postgres') await sql`analyze messages`.execute(db)
  })
  afterAll(() => w.close())

  it('opens with the newest page of the selected branch and pages back with `before`', async () => {
    const first = await open(w.app, w.user, conversationId, { limit: '50' })
    expect(first.messages.items).toHaveLength(50)
    expect(first.messages.items.map((m) => m.id)).toEqual(branch.slice(-50).map((m) => m.id))
    expect(first.messages).toMatchObject({ hasMore: true, before: branch[COUNT - 50]?.id })
    expect(first.messages.items.at(-1)).toMatchObject({
      content: `message ${COUNT - 1}`,
      siblingCount: 2,
      siblingIndex: 0,
    })

    const second = await open(w.app, w.user, conversationId, {
      limit: '50',
      before: first.messages.before ?? '',
    })
    expect(second.messages.items.map((m) => m.id)).toEqual(
      branch.slice(COUNT - 100, COUNT - 50).map((m) => m.id),
    )

    const oldest = await open(w.app, w.user, conversationId, { limit: '50', before: branch[30]?.id ?? '' })
    expect(oldest.messages.items.map((m) => m.content)).toEqual(branch.slice(0, 30).map((m) => m.content))
    expect(oldest.messages).toMatchObject({ hasMore: false, before: null })
  })

  it('reads only the page: each step of the branch walk is an index lookup', async () => {
    const db = w.app.services.db
    const query = branchQuery(conversationId, branch.at(-1)?.id ?? '', 51)
    if (kind === 'sqlite') {
      const compiled = query.compile(db)
      const { rows } = await db.executeQuery<{ detail: string }>({
        ...compiled,
        sql: `explain query plan ${compiled.sql}`,
      })
      const details = rows.map((r) => r.detail)
      expect(details.some((d) => /SEARCH m USING (INDEX|PRIMARY KEY)/.test(d))).toBe(true)
      expect(details.filter((d) => /SCAN (m|messages)\b/.test(d))).toEqual([])
    } else {
      const compiled = query.compile(db)
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': unknown }>({
        ...compiled,
        sql: `explain (analyze, format json) ${compiled.sql}`,
      })
      const plan = (rows[0]?.['QUERY PLAN'] as Array<{ Plan: unknown }> | undefined)?.[0]?.Plan
      const scans = messageScans(plan)
      expect(scans.length).toBeGreaterThan(0)
      expect(scans.filter((s) => s.type === 'Seq Scan')).toEqual([])
      expect(scans.reduce((total, s) => total + s.rows, 0)).toBeLessThanOrEqual(51)
    }
  })

  it('answers in a small context by leaving out the oldest turns without reading the whole branch', async () => {
    const started = await send(w.app, w.user, conversationId, { content: 'And now?' })
    expect(started.contextTrimmed).toBeGreaterThan(COUNT - 20)
    expect((await finished(w.app, w.user, started)).data.state).toBe('complete')
    const sent = w.fake.requestsTo('/api/chat').find((r) => JSON.stringify(r.body).includes('And now?'))
    const messages = (sent?.body as { messages: Array<{ content: string }> } | undefined)?.messages ?? []
    expect(messages.at(-1)?.content).toBe('And now?')
    expect(messages.length).toBe(COUNT + 1 - started.contextTrimmed)
  })
})
