// Auto-titles: after the first reply of a conversation completes, the conversation's model is
// asked for a short title. It runs after the reply, never delays it, and never overwrites a
// title the owner chose.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/index.js'
import type { ModelInvoker } from '../models/invoker.js'
import type { EventBus } from '../realtime/bus.js'
import type { ConversationService } from './conversations.js'
import type { GenerationOutcome } from './generation-store.js'
import type { GenerationSpec } from './generations.js'

const INSTRUCTION =
  'Write a short title (at most six words) for a conversation that starts with the exchange below. ' +
  'Answer with the title only: no quotes, no punctuation at the end.'
const EXCERPT_CHARS = 1500
const MAX_TITLE = 80

/** The model's answer as a one-line title, or null when nothing usable is left. */
export function cleanTitle(text: string): string | null {
  const line =
    text
      .replaceAll('\u0000', '')
      .replace(/<think>[\s\S]*?<\/think>/g, '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? ''
  const title = line
    .replace(/^(title|titre|titel)\s*:\s*/i, '')
    .replace(/^[#*_`"'“”«»\s]+|[*_`"'“”«»\s]+$/g, '')
    .replace(/\s+/g, ' ')
    .replace(/[.!?:;,]+$/, '')
    .trim()
  if (!title) return null
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1).trimEnd()}…` : title
}

export interface AutoTitlerDeps {
  db: Db
  invoker: ModelInvoker
  conversations: ConversationService
  bus: EventBus
  log: FastifyBaseLogger
}

export class AutoTitler {
  private readonly running = new Map<Promise<void>, AbortController>()

  constructor(private readonly deps: AutoTitlerDeps) {}

  /** Called when a reply finishes; starts titling in the background when it is the first one. */
  afterReply(spec: GenerationSpec, outcome: GenerationOutcome): void {
    if (outcome.state !== 'complete') return
    const controller = new AbortController()
    const task = this.title(spec, outcome.text, controller.signal)
      .catch((error: unknown) =>
        this.deps.log.warn({ err: error, conversationId: spec.conversationId }, 'auto-title failed'),
      )
      .finally(() => this.running.delete(task))
    this.running.set(task, controller)
  }

  async close(): Promise<void> {
    for (const controller of this.running.values()) controller.abort()
    await Promise.all([...this.running.keys()])
  }

  private async title(spec: GenerationSpec, reply: string, signal: AbortSignal): Promise<void> {
    const { db, invoker, conversations, bus } = this.deps
    const row = await db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .innerJoin('messages as question', 'question.id', 'messages.parent_id')
      .select(['messages.depth', 'conversations.title_state', 'question.content as question'])
      .where('messages.id', '=', spec.messageId)
      .executeTakeFirst()
    if (row?.depth !== 1 || row.title_state !== 'default') return
    let text = ''
    for await (const event of invoker.chat({
      modelId: spec.model.id,
      request: {
        messages: [
          { role: 'system', content: INSTRUCTION },
          {
            role: 'user',
            content: `User: ${row.question.slice(0, EXCERPT_CHARS)}\n\nAssistant: ${reply.slice(0, EXCERPT_CHARS)}`,
          },
        ],
        maxTokens: 24,
        temperature: 0.2,
      },
      caller: spec.caller,
      source: 'chat-title',
      signal,
    })) {
      if (event.type === 'delta') text += event.text
    }
    const title = signal.aborted ? null : cleanTitle(text)
    if (!title) return
    const updated = await conversations.applyAutoTitle(spec.conversationId, title)
    if (updated) {
      await bus.publish(spec.userId, {
        type: 'conversation.updated',
        conversationId: updated.id,
        title: updated.title,
      })
    }
  }
}
