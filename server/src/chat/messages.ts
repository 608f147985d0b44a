// Messages as a tree: send (a new user message and its reply), edit (a sibling user message),
// regenerate (a sibling reply), continue (more text on a stopped or interrupted reply), delete a
// branch, and feedback. Each reply is started on the runner; the request returns at once.
import type { AuditService } from '../audit/service.js'
import type { Db } from '../db/index.js'
import type { Conversation, Message, Model, Role } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, conflict, notFound } from '../lib/problem.js'
import type { CatalogService } from '../models/catalog.js'
import type { ModelInvoker } from '../models/invoker.js'
import type { ChatRequest } from '../providers/types.js'
import { buildContext, type ContextInput } from './context.js'
import type { Actor, ConversationService } from './conversations.js'
import type { GenerationRunner } from './generations.js'
import type { ChatLimits } from './limits.js'
import {
  deleteSubtree,
  findMessage,
  MESSAGE_COLUMNS,
  newestLeafUnder,
  newestMessageId,
  siblingsOf,
  subtreeIds,
} from './message-tree.js'
import { type PublicMessage, toPublicMessage } from './views.js'

export interface Caller extends Actor {
  role: Role
  apiKeyId: string | null
}

export interface StartedReply {
  conversationId: string
  userMessageId: string | null
  assistantMessageId: string
  generationId: string
  contextTrimmed: number
}

interface ReplyPlan {
  context: Omit<ContextInput, 'conversationId' | 'systemPrompt' | 'contextLength' | 'maxTokens'>
  /** Writes the messages inside the transaction that also records the generation. */
  persist(
    db: Db,
    generationId: string,
    contextTrimmed: number,
  ): Promise<{ userId: string | null; replyId: string }>
  prefix?: string
  audit: { action: string; targetId: (ids: { userId: string | null; replyId: string }) => string }
}

export interface MessageDeps {
  db: Db
  conversations: ConversationService
  runner: GenerationRunner
  limits: ChatLimits
  invoker: ModelInvoker
  catalog: CatalogService
  audit: AuditService
}

/** Every column set, so rows of different shapes can go in one multi-row insert. */
export function newMessage(
  fields: Pick<Message, 'conversation_id' | 'parent_id' | 'depth' | 'role'> & Partial<Message>,
): Message {
  const now = nowIso()
  return {
    id: newId(),
    content: '',
    state: 'complete',
    error: null,
    model_id: null,
    model_name: null,
    generation_id: null,
    input_tokens: null,
    output_tokens: null,
    ttft_ms: null,
    duration_ms: null,
    cost: null,
    context_trimmed: 0,
    feedback_rating: null,
    feedback_comment: null,
    created_at: now,
    updated_at: now,
    ...fields,
  }
}

/** The conversation's sampling settings, only those it sets. */
function samplingOf(conversation: Conversation): Omit<ChatRequest, 'model' | 'messages'> {
  return {
    ...(conversation.temperature !== null ? { temperature: conversation.temperature } : {}),
    ...(conversation.top_p !== null ? { topP: conversation.top_p } : {}),
    ...(conversation.max_tokens !== null ? { maxTokens: conversation.max_tokens } : {}),
  }
}

export class MessageService {
  constructor(private readonly deps: MessageDeps) {}

  async ownedMessage(userId: string, id: string): Promise<{ message: Message; conversation: Conversation }> {
    const message = await this.deps.db
      .selectFrom('messages')
      .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
      .select(MESSAGE_COLUMNS.map((c) => `messages.${c}` as const))
      .where('messages.id', '=', id)
      .where('conversations.user_id', '=', userId)
      .executeTakeFirst()
    if (!message) throw notFound('Message')
    return { message, conversation: await this.deps.conversations.owned(userId, message.conversation_id) }
  }

  async send(
    caller: Caller,
    conversationId: string,
    input: { content: string; parentId?: string | null; model?: string },
  ): Promise<StartedReply> {
    const conversation = await this.deps.conversations.owned(caller.userId, conversationId)
    const parentId = input.parentId === undefined ? conversation.selected_leaf_id : input.parentId
    const parent = parentId ? await this.messageIn(conversation, parentId, 'parentId') : null
    if (parent && parent.role !== 'assistant') {
      throw badRequest(
        'A message answers a reply: give an assistant message as parentId, or null for a new start',
        [{ field: 'parentId', message: 'must be an assistant message' }],
      )
    }
    if (parent?.state === 'streaming')
      throw conflict('That reply is still being written; wait or stop it first')
    const model = await this.resolveModel(caller, input.model, conversation.model_id)
    return this.launch(caller, conversation, model, {
      context: { leafId: parent?.id ?? null, extra: [{ role: 'user', content: input.content }] },
      persist: async (trx, generationId, contextTrimmed) => {
        const depth = parent ? parent.depth + 1 : 0
        const user = newMessage({
          conversation_id: conversation.id,
          parent_id: parent?.id ?? null,
          depth,
          role: 'user',
          content: input.content,
        })
        const reply = this.replyRow(conversation.id, user.id, depth + 1, model, generationId, contextTrimmed)
        await trx.insertInto('messages').values([user, reply]).execute()
        return { userId: user.id, replyId: reply.id }
      },
      audit: { action: 'message.create', targetId: (ids) => ids.userId ?? ids.replyId },
    })
  }

  /** A new reply beside `id` (a reply), or below it (a user message whose reply is gone). */
  async regenerate(caller: Caller, id: string, input: { model?: string }): Promise<StartedReply> {
    const { message, conversation } = await this.ownedMessage(caller.userId, id)
    const question =
      message.role === 'user' ? message : await this.messageIn(conversation, message.parent_id ?? '', 'id')
    if (question.role !== 'user') throw badRequest('Only a reply to a user message can be regenerated')
    const model = await this.resolveModel(caller, input.model, message.model_id ?? conversation.model_id)
    return this.launch(caller, conversation, model, {
      context: { leafId: question.id, extra: [] },
      persist: async (trx, generationId, contextTrimmed) => {
        const reply = this.replyRow(
          conversation.id,
          question.id,
          question.depth + 1,
          model,
          generationId,
          contextTrimmed,
        )
        await trx.insertInto('messages').values(reply).execute()
        return { userId: null, replyId: reply.id }
      },
      audit: { action: 'message.create', targetId: (ids) => ids.replyId },
    })
  }

  /** Asks the model to carry on from the text a stopped, interrupted or failed reply has. */
  async continueReply(caller: Caller, id: string, input: { model?: string }): Promise<StartedReply> {
    const { message, conversation } = await this.ownedMessage(caller.userId, id)
    if (message.role !== 'assistant') throw badRequest('Only a reply can be continued')
    if (message.state === 'streaming') throw conflict('That reply is still being written')
    const model = await this.resolveModel(caller, input.model, message.model_id ?? conversation.model_id)
    return this.launch(caller, conversation, model, {
      context: { leafId: message.parent_id, extra: [], prefill: message.content },
      prefix: message.content,
      persist: async (trx, generationId, contextTrimmed) => {
        await trx
          .updateTable('messages')
          .set({
            state: 'streaming',
            error: null,
            generation_id: generationId,
            context_trimmed: contextTrimmed,
            updated_at: nowIso(),
          })
          .where('id', '=', message.id)
          .execute()
        return { userId: null, replyId: message.id }
      },
      audit: { action: 'message.update', targetId: (ids) => ids.replyId },
    })
  }

  async remove(caller: Caller, id: string): Promise<void> {
    const { db, runner } = this.deps
    const { message, conversation } = await this.ownedMessage(caller.userId, id)
    const ids = new Set(await subtreeIds(db, conversation.id, message.id))
    const writing = [...ids].flatMap((m) => runner.writing(m) ?? [])
    await Promise.all(writing.map((g) => runner.stop(g.spec.id)))
    await db.transaction().execute(async (trx) => {
      await deleteSubtree(trx, conversation.id, message.id)
      let leaf = conversation.selected_leaf_id
      if (leaf && ids.has(leaf)) {
        const from = message.parent_id ?? (await newestMessageId(trx, conversation.id))
        leaf = from ? await newestLeafUnder(trx, conversation.id, from) : null
      }
      await trx
        .updateTable('conversations')
        .set({ selected_leaf_id: leaf, updated_at: nowIso() })
        .where('id', '=', conversation.id)
        .execute()
    })
    await this.record(caller, 'message.delete', message.id, {
      conversationId: conversation.id,
      count: ids.size,
    })
  }

  async feedback(
    caller: Caller,
    id: string,
    input: { rating: 'up' | 'down' | null; comment?: string },
  ): Promise<PublicMessage> {
    const { message, conversation } = await this.ownedMessage(caller.userId, id)
    if (message.role !== 'assistant') throw badRequest('Feedback is for replies only')
    const updated = await this.deps.db
      .updateTable('messages')
      .set({
        feedback_rating: input.rating,
        feedback_comment: input.rating ? input.comment || null : null,
        updated_at: nowIso(),
      })
      .where('id', '=', id)
      .returning(MESSAGE_COLUMNS)
      .executeTakeFirstOrThrow()
    await this.record(caller, 'message.update', id, { feedback: input.rating })
    const siblings = await siblingsOf(this.deps.db, conversation.id, [updated])
    return toPublicMessage(updated, siblings.get(id))
  }

  /** Validate → check quota → persist → start the job → audit; returns without waiting for the reply. */
  private async launch(
    caller: Caller,
    conversation: Conversation,
    model: Model,
    plan: ReplyPlan,
  ): Promise<StartedReply> {
    const { db, runner, limits } = this.deps
    await limits.checkDailyTokens(caller.userId)
    const context = await buildContext(db, {
      ...plan.context,
      conversationId: conversation.id,
      systemPrompt: conversation.system_prompt,
      contextLength: model.context_length,
      maxTokens: conversation.max_tokens,
    })
    const reservation = runner.reserve(caller.userId)
    const generationId = newId()
    let ids: { userId: string | null; replyId: string }
    try {
      ids = await this.persist(caller, conversation, model, plan, generationId, context.trimmed)
    } catch (error) {
      reservation.release()
      throw error
    }
    runner.start(
      {
        id: generationId,
        messageId: ids.replyId,
        conversationId: conversation.id,
        userId: caller.userId,
        caller: { userId: caller.userId, role: caller.role, apiKeyId: caller.apiKeyId },
        model,
        request: { messages: context.messages, ...samplingOf(conversation) },
        prefix: plan.prefix ?? '',
        contextTrimmed: context.trimmed,
      },
      reservation,
    )
    await this.record(caller, plan.audit.action, plan.audit.targetId(ids), {
      conversationId: conversation.id,
      replyId: ids.replyId,
      generationId,
    })
    return {
      conversationId: conversation.id,
      userMessageId: ids.userId,
      assistantMessageId: ids.replyId,
      generationId,
      contextTrimmed: context.trimmed,
    }
  }

  /** One transaction: the plan's messages, the generation row, and the conversation's new leaf. */
  private persist(
    caller: Caller,
    conversation: Conversation,
    model: Model,
    plan: ReplyPlan,
    generationId: string,
    contextTrimmed: number,
  ) {
    return this.deps.db.transaction().execute(async (trx) => {
      const written = await plan.persist(trx, generationId, contextTrimmed)
      const now = nowIso()
      await trx
        .insertInto('generations')
        .values({
          id: generationId,
          message_id: written.replyId,
          user_id: caller.userId,
          state: 'streaming',
          error: null,
          created_at: now,
          finished_at: null,
        })
        .execute()
      await trx
        .updateTable('conversations')
        .set({ selected_leaf_id: written.replyId, model_id: model.id, updated_at: now })
        .where('id', '=', conversation.id)
        .execute()
      return written
    })
  }

  private replyRow(
    conversationId: string,
    parentId: string,
    depth: number,
    model: Model,
    generationId: string,
    contextTrimmed: number,
  ) {
    return newMessage({
      conversation_id: conversationId,
      parent_id: parentId,
      depth,
      role: 'assistant',
      state: 'streaming',
      model_id: model.id,
      model_name: model.name,
      generation_id: generationId,
      context_trimmed: contextTrimmed,
    })
  }

  private async messageIn(conversation: Conversation, id: string, field: string): Promise<Message> {
    const message = await findMessage(this.deps.db, conversation.id, id)
    if (!message) throw notFound(field === 'parentId' ? 'Parent message' : 'Message')
    return message
  }

  /** The model asked for (id or name), else the conversation's; 404/403 when the caller may not use it. */
  private async resolveModel(
    caller: Caller,
    requested: string | undefined,
    fallback: string | null,
  ): Promise<Model> {
    const ref = requested ?? fallback
    if (!ref)
      throw badRequest('Choose a model for this conversation first', [
        { field: 'model', message: 'required' },
      ])
    const byName = requested ? await this.deps.catalog.findByName(requested) : undefined
    return this.deps.invoker.usableModel(byName?.id ?? ref, caller.role)
  }

  private record(caller: Caller, action: string, id: string, details: Record<string, unknown>) {
    return this.deps.audit.record({
      action,
      actorId: caller.userId,
      actorIp: caller.ip,
      targetType: 'message',
      targetId: id,
      details,
    })
  }
}
