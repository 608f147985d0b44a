// What a generation writes to the database: the text so far while it streams, the outcome and
// usage at the end, and — after a crash — `interrupted` for replies no process is writing.
import type { Db } from '../db/index.js'
import type { Generation, MessageState } from '../db/schema.js'
import { nowIso } from '../lib/ids.js'

export type FinalState = Exclude<MessageState, 'streaming'>

export const INTERRUPTED = 'The server stopped while this reply was being written'

export interface ReplyUsage {
  inputTokens: number | null
  outputTokens: number | null
  ttftMs: number | null
  durationMs: number
  cost: number | null
}

export interface GenerationOutcome {
  state: FinalState
  error: string | null
  text: string
  usage: ReplyUsage
  contextTrimmed: number
}

export async function saveText(db: Db, messageId: string, text: string): Promise<void> {
  await db
    .updateTable('messages')
    .set({ content: text, updated_at: nowIso() })
    .where('id', '=', messageId)
    .where('state', '=', 'streaming')
    .execute()
}

const add = (a: number | null, b: number | null) => (a === null && b === null ? null : (a ?? 0) + (b ?? 0))

/** The final write; a continued reply adds its tokens, time and cost to what the message had. */
export async function saveOutcome(
  db: Db,
  ids: { generationId: string; messageId: string },
  outcome: GenerationOutcome,
  seq: number,
): Promise<void> {
  const now = nowIso()
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('messages')
      .select(['input_tokens', 'output_tokens', 'duration_ms', 'cost', 'generation_id'])
      .where('id', '=', ids.messageId)
      .executeTakeFirst()
    if (!before) return
    const continued = before.duration_ms !== null
    const { usage } = outcome
    await trx
      .updateTable('messages')
      .set({
        content: outcome.text,
        state: outcome.state,
        error: outcome.error,
        input_tokens: continued ? add(before.input_tokens, usage.inputTokens) : usage.inputTokens,
        output_tokens: continued ? add(before.output_tokens, usage.outputTokens) : usage.outputTokens,
        ttft_ms: usage.ttftMs,
        duration_ms: (continued ? (before.duration_ms ?? 0) : 0) + usage.durationMs,
        cost: continued ? add(before.cost, usage.cost) : usage.cost,
        updated_at: now,
      })
      .where('id', '=', ids.messageId)
      .where('generation_id', '=', ids.generationId)
      .execute()
    await trx
      .updateTable('generations')
      .set({ state: outcome.state, error: outcome.error, seq, finished_at: now })
      .where('id', '=', ids.generationId)
      .execute()
  })
}

/** At start-up: replies left `streaming` by a process that is gone keep their text as `interrupted`. */
export async function markInterrupted(db: Db): Promise<number> {
  const now = nowIso()
  const result = await db
    .updateTable('messages')
    .set({
      state: 'interrupted',
      error: INTERRUPTED,
      updated_at: now,
    })
    .where('state', '=', 'streaming')
    .executeTakeFirst()
  await db
    .updateTable('generations')
    .set({ state: 'interrupted', error: INTERRUPTED, finished_at: now })
    .where('state', '=', 'streaming')
    .execute()
  return Number(result.numUpdatedRows)
}

export interface StoredGeneration {
  generation: Generation
  conversationId: string
  text: string
  messageState: MessageState
}

/** A generation of `userId`'s, with its message's stored text; undefined for anyone else's. */
export async function findStoredGeneration(
  db: Db,
  userId: string,
  id: string,
): Promise<StoredGeneration | undefined> {
  const row = await db
    .selectFrom('generations')
    .innerJoin('messages', 'messages.id', 'generations.message_id')
    .selectAll('generations')
    .select(['messages.content', 'messages.state as message_state', 'messages.conversation_id'])
    .where('generations.id', '=', id)
    .where('generations.user_id', '=', userId)
    .executeTakeFirst()
  if (!row) return undefined
  const { content, message_state, conversation_id, ...generation } = row
  return { generation, conversationId: conversation_id, text: content, messageState: message_state }
}
