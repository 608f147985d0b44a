// Search (FTS5 on SQLite, tsvector on PostgreSQL) with highlighted snippets, kept in sync with
// inserts, streamed updates, renames and deletes; and export as Markdown and JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SEARCH_LIMITS, searchChats } from '../src/chat/search.js'
import { type ChatWorld, createConversation, FULL_REPLY, finished, send, startChat } from './chat-kit.js'
import { dbKinds, expectProblem, type SignedIn } from './helpers.js'

interface Hit {
  conversationId: string
  conversationTitle: string
  messageId: string | null
  role: string | null
  snippet: Array<{ text: string; highlight: boolean }>
}

describe.each(dbKinds)('chat search and export on %s', (kind) => {
  let w: ChatWorld
  let model: string

  beforeAll(async () => {
    w = await startChat(kind)
    model = w.models['llama3.2:1b'] as string
  })
  afterAll(() => w.close())

  const search = async (q: string, who: SignedIn = w.user): Promise<Hit[]> => {
    const response = await w.app.inject({ url: '/api/v1/search', query: { q }, headers: who.auth })
    expect(response.statusCode, response.body).toBe(200)
    return response.json<{ items: Hit[] }>().items
  }
  const highlighted = (hit: Hit | undefined) =>
    hit?.snippet.filter((p) => p.highlight).map((p) => p.text.toLowerCase())

  it('finds words and prefixes in messages and titles, with the matches highlighted', async () => {
    const owls = await createConversation(w.app, w.user, { modelId: model, title: 'Owls at night' })
    const started = await send(w.app, w.user, owls.id, {
      content:
        'Before the meeting, remember that the vault password is swordfish and nobody else should know.',
    })
    await finished(w.app, w.user, started)

    const hits = await search('swordfish')
    expect(hits).toHaveLength(1)
    expect(hits[0]).toMatchObject({
      conversationId: owls.id,
      conversationTitle: 'Owls at night',
      messageId: started.userMessageId,
      role: 'user',
    })
    expect(highlighted(hits[0])).toEqual(['swordfish'])
    expect(hits[0]?.snippet.map((p) => p.text).join('')).toContain('password is swordfish')

    expect(highlighted((await search('sword'))[0])).toEqual(['swordfish'])
    expect((await search('vault swordfish')).map((h) => h.messageId)).toEqual([started.userMessageId])
    expect(await search('vault zebra')).toEqual([])
    expect((await search('"vault" swordfish* (-:')).map((h) => h.messageId)).toEqual([started.userMessageId])
    expect(await search('!!!')).toEqual([])

    const titleHit = (await search('owls'))[0]
    expect(titleHit).toMatchObject({ conversationId: owls.id, messageId: null, role: null })
    expect(highlighted(titleHit)).toEqual(['owls'])

    // The streamed reply is indexed once written.
    const replies = await search('ollama')
    expect(replies.map((h) => h.messageId)).toContain(started.assistantMessageId)
    expect(replies.find((h) => h.messageId === started.assistantMessageId)?.role).toBe('assistant')
  })

  it('ranks the matches of a word, or lists them newest first when the word is very common', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model, title: 'Weather' })
    const ids: Array<string | null> = []
    for (const content of [
      'zephyr zephyr zephyr, the zephyr again',
      'A zephyr came through the valley this morning and then it was gone.',
      'Late in the day another zephyr, softer than the first one was.',
    ]) {
      const started = await send(w.app, w.user, conversation.id, { content })
      await finished(w.app, w.user, started)
      ids.push(started.userMessageId)
    }
    const messageIds = (hits: Array<{ messageId: string | null }>) =>
      hits.flatMap((h) => (h.messageId ? [h.messageId] : []))
    // Few matches: the best first (the oldest message says it four times).
    expect(messageIds(await search('zephyr'))[0]).toBe(ids[0])
    // More matches than are ranked (here: more than 2): the newest first, every one still found.
    const { db, dialect } = w.app.services
    const common = await searchChats(db, dialect, w.user.id, 'zephyr', 20, {
      ...SEARCH_LIMITS,
      rankedMatches: 2,
    })
    expect(messageIds(common)).toEqual([...ids].reverse())
  })

  it('matches a one-letter term as a whole word, not as the start of every word', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model, title: 'Letters' })
    const started = await send(w.app, w.user, conversation.id, { content: 'Plan q: quietly quit' })
    await finished(w.app, w.user, started)
    const other = await send(w.app, w.user, conversation.id, { content: 'quince and quail' })
    await finished(w.app, w.user, other)
    expect((await search('q')).map((h) => h.messageId)).toEqual([started.userMessageId])
    expect((await search('qu')).map((h) => h.messageId)).toHaveLength(2)
  })

  it('keeps the index in sync with renames and deletions', async () => {
    const conversation = await createConversation(w.app, w.user, { modelId: model, title: 'Pelicans' })
    const started = await send(w.app, w.user, conversation.id, { content: 'Albatross wingspan facts' })
    await finished(w.app, w.user, started)
    expect(await search('albatross')).toHaveLength(1)

    await w.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: w.user.auth,
      payload: { title: 'Seabirds' },
    })
    expect(await search('pelicans')).toEqual([])
    expect((await search('seabirds')).map((h) => h.conversationId)).toEqual([conversation.id])

    await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/messages/${started.userMessageId}`,
      headers: w.user.auth,
    })
    expect(await search('albatross')).toEqual([])
    await w.app.inject({
      method: 'DELETE',
      url: `/api/v1/conversations/${conversation.id}`,
      headers: w.user.auth,
    })
    expect(await search('seabirds')).toEqual([])
    expectProblem(await w.app.inject({ url: '/api/v1/search?q=', headers: w.user.auth }), 400)
  })

  it('exports the selected branch as Markdown and the whole tree as JSON', async () => {
    const conversation = await createConversation(w.app, w.user, {
      modelId: model,
      title: 'Export me: please!',
      systemPrompt: 'Answer kindly.',
      tags: ['demo'],
    })
    const first = await send(w.app, w.user, conversation.id, { content: 'First question' })
    await finished(w.app, w.user, first)
    const original = await send(w.app, w.user, conversation.id, { content: 'Original follow-up' })
    await finished(w.app, w.user, original)
    const edited = await send(w.app, w.user, conversation.id, {
      content: 'Edited follow-up',
      parentId: first.assistantMessageId,
    })
    await finished(w.app, w.user, edited)

    const markdown = await w.app.inject({
      url: `/api/v1/conversations/${conversation.id}/export?format=markdown`,
      headers: w.user.auth,
    })
    expect(markdown.statusCode).toBe(200)
    expect(markdown.headers['content-type']).toMatch(/^text\/markdown/)
    expect(markdown.headers['content-disposition']).toBe('attachment; filename="Export-me-please.md"')
    const text = markdown.body
    expect(text.startsWith('# Export me: please!\n')).toBe(true)
    expect(text).toContain('## System\n\nAnswer kindly.')
    expect(text).toContain('## User\n\nFirst question')
    expect(text).toContain(`## Assistant (llama3.2:1b)\n\n${FULL_REPLY}`)
    expect(text).toContain('Edited follow-up')
    expect(text).not.toContain('Original follow-up')
    expect(text.indexOf('First question')).toBeLessThan(text.indexOf('Edited follow-up'))

    const json = await w.app.inject({
      url: `/api/v1/conversations/${conversation.id}/export?format=json`,
      headers: w.user.auth,
    })
    expect(json.statusCode).toBe(200)
    const exported = json.json<{
      conversation: { title: string; tags: string[]; systemPrompt: string }
      messages: Array<{ id: string; parentId: string | null; content: string }>
    }>()
    expect(exported.conversation).toMatchObject({
      title: 'Export me: please!',
      tags: ['demo'],
      systemPrompt: 'Answer kindly.',
    })
    expect(exported.messages).toHaveLength(6)
    const byContent = new Map(exported.messages.map((m) => [m.content, m]))
    expect(byContent.get('Original follow-up')?.parentId).toBe(first.assistantMessageId)
    expect(byContent.get('Edited follow-up')?.parentId).toBe(first.assistantMessageId)

    const all = await w.app.inject({ url: '/api/v1/conversations/export', headers: w.user.auth })
    expect(all.statusCode).toBe(200)
    expect(all.headers['content-disposition']).toMatch(/attachment/)
    const everything = all.json<{ conversations: Array<{ conversation: { id: string } }> }>().conversations
    const listed = await w.app.inject({ url: '/api/v1/conversations?limit=100', headers: w.user.auth })
    expect(everything.map((c) => c.conversation.id).sort()).toEqual(
      listed
        .json<{ items: Array<{ id: string }> }>()
        .items.map((c) => c.id)
        .sort(),
    )
    expect(everything.find((c) => c.conversation.id === conversation.id)).toEqual(exported)
  })
})
