// Conversations: create, list (newest first, by cursor), open at the selected branch's latest
// page, change, delete. Every lookup is by owner: another user's conversation does not exist.
import type { AuditService } from '../audit/service.js'
import type { Db } from '../db/index.js'
import type { Conversation, ConversationsTable, Role } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, notFound } from '../lib/problem.js'
import type { ModelInvoker } from '../models/invoker.js'
import type { GenerationRunner } from './generations.js'
import { branchUpFrom, findMessage, newestLeafUnder, siblingsOf } from './message-tree.js'
import type { PresetService } from './presets.js'
import {
  type PublicConversation,
  type PublicMessage,
  toPublicConversation,
  toPublicMessage,
} from './views.js'

export interface Actor {
  userId: string
  role: Role
  ip: string | null
}

export interface ConversationSettings {
  modelId?: string | null
  systemPrompt?: string | null
  temperature?: number | null
  topP?: number | null
  maxTokens?: number | null
}

export interface ConversationInput extends ConversationSettings {
  title?: string
  folder?: string | null
  tags?: string[]
  pinned?: boolean
  presetId?: string
}

export interface ConversationPatch extends ConversationSettings {
  title?: string
  folder?: string | null
  tags?: string[]
  pinned?: boolean
  archived?: boolean
  selectedLeafId?: string
}

export interface ListFilter {
  limit: number
  cursor?: string
  folder?: string
  tag?: string
  pinned?: boolean
  archived?: boolean
}

export interface MessagePage {
  items: PublicMessage[]
  hasMore: boolean
  before: string | null
}

export const DEFAULT_TITLE = 'New chat'

function encodeCursor(row: Conversation): string {
  return Buffer.from(JSON.stringify([row.updated_at, row.id])).toString('base64url')
}

function decodeCursor(cursor: string): [string, string] {
  const parsed: unknown = (() => {
    try {
      return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    } catch {
      return null
    }
  })()
  if (!Array.isArray(parsed) || parsed.length !== 2 || !parsed.every((v) => typeof v === 'string')) {
    throw badRequest('The cursor is not one this server gave out', [{ field: 'cursor', message: 'invalid' }])
  }
  return parsed as [string, string]
}

/** The settings' columns, which conversations and presets share; only the fields given. */
export function settingsColumns(
  s: ConversationSettings,
): Partial<Pick<ConversationsTable, 'model_id' | 'system_prompt' | 'temperature' | 'top_p' | 'max_tokens'>> {
  const columns: ReturnType<typeof settingsColumns> = {}
  if (s.modelId !== undefined) columns.model_id = s.modelId
  if (s.systemPrompt !== undefined) columns.system_prompt = s.systemPrompt
  if (s.temperature !== undefined) columns.temperature = s.temperature
  if (s.topP !== undefined) columns.top_p = s.topP
  if (s.maxTokens !== undefined) columns.max_tokens = s.maxTokens
  return columns
}

export class ConversationService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly presets: PresetService,
    private readonly invoker: ModelInvoker,
    private readonly runner: GenerationRunner,
  ) {}

  async owned(userId: string, id: string): Promise<Conversation> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!row) throw notFound('Conversation')
    return row
  }

  async view(row: Conversation): Promise<PublicConversation> {
    return toPublicConversation(row, (await this.tagsOf([row.id])).get(row.id) ?? [])
  }

  async create(actor: Actor, input: ConversationInput): Promise<PublicConversation> {
    const preset = input.presetId ? await this.presets.owned(actor.userId, input.presetId) : undefined
    const settings: ConversationSettings = {
      modelId: preset?.model_id ?? null,
      systemPrompt: preset?.system_prompt ?? null,
      temperature: preset?.temperature ?? null,
      topP: preset?.top_p ?? null,
      maxTokens: preset?.max_tokens ?? null,
      ...Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
    }
    if (settings.modelId) await this.invoker.usableModel(settings.modelId, actor.role)
    const now = nowIso()
    const row: Conversation = {
      id: newId(),
      user_id: actor.userId,
      title: input.title ?? DEFAULT_TITLE,
      title_state: input.title ? 'user' : 'default',
      folder: input.folder ?? null,
      model_id: null,
      system_prompt: null,
      temperature: null,
      top_p: null,
      max_tokens: null,
      ...settingsColumns(settings),
      selected_leaf_id: null,
      pinned_at: input.pinned ? now : null,
      archived_at: null,
      created_at: now,
      updated_at: now,
    }
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('conversations').values(row).execute()
      await this.replaceTags(trx, row.id, input.tags ?? [])
    })
    await this.record(actor, 'conversation.create', row.id)
    return toPublicConversation(row, [...new Set(input.tags ?? [])])
  }

  async list(
    userId: string,
    filter: ListFilter,
  ): Promise<{ items: PublicConversation[]; nextCursor: string | null }> {
    let query = this.db.selectFrom('conversations').selectAll().where('user_id', '=', userId)
    query = filter.archived
      ? query.where('archived_at', 'is not', null)
      : query.where('archived_at', 'is', null)
    if (filter.folder !== undefined) query = query.where('folder', '=', filter.folder)
    if (filter.pinned !== undefined) query = query.where('pinned_at', filter.pinned ? 'is not' : 'is', null)
    if (filter.tag !== undefined) {
      const tag = filter.tag
      query = query.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('conversation_tags')
            .select('tag')
            .whereRef('conversation_tags.conversation_id', '=', 'conversations.id')
            .where('tag', '=', tag),
        ),
      )
    }
    if (filter.cursor) {
      const [updatedAt, id] = decodeCursor(filter.cursor)
      query = query.where((eb) =>
        eb.or([
          eb('updated_at', '<', updatedAt),
          eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)]),
        ]),
      )
    }
    const rows = await query
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute()
    const page = rows.slice(0, filter.limit)
    const tags = await this.tagsOf(page.map((r) => r.id))
    const last = page.at(-1)
    return {
      items: page.map((r) => toPublicConversation(r, tags.get(r.id) ?? [])),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null,
    }
  }

  /** The conversation with one page of its selected branch: the newest messages, or those before `before`. */
  async detail(
    userId: string,
    id: string,
    page: { limit: number; before?: string },
  ): Promise<PublicConversation & { messages: MessagePage }> {
    const conversation = await this.owned(userId, id)
    let start = conversation.selected_leaf_id
    if (page.before) {
      const anchor = await findMessage(this.db, id, page.before)
      if (!anchor) throw notFound('Message')
      start = anchor.parent_id
    }
    const rows = start ? await branchUpFrom(this.db, id, start, page.limit + 1) : []
    const hasMore = rows.length > page.limit
    const shown = hasMore ? rows.slice(1) : rows
    const siblings = await siblingsOf(this.db, id, shown)
    const items = shown.map((row) => {
      const live = this.runner.writing(row.id)
      // A reply being written shows the job's text, which is fresher than the last flush.
      if (live) return toPublicMessage({ ...row, content: live.text }, siblings.get(row.id), live.seq)
      return toPublicMessage(row, siblings.get(row.id))
    })
    return {
      ...(await this.view(conversation)),
      messages: { items, hasMore, before: hasMore ? (shown[0]?.id ?? null) : null },
    }
  }

  async update(actor: Actor, id: string, patch: ConversationPatch): Promise<PublicConversation> {
    const current = await this.owned(actor.userId, id)
    if (patch.modelId) await this.invoker.usableModel(patch.modelId, actor.role)
    const now = nowIso()
    const changes: Partial<ConversationsTable> = { ...settingsColumns(patch), updated_at: now }
    if (patch.title !== undefined) {
      changes.title = patch.title
      changes.title_state = 'user'
    }
    if (patch.folder !== undefined) changes.folder = patch.folder
    if (patch.pinned !== undefined) changes.pinned_at = patch.pinned ? (current.pinned_at ?? now) : null
    if (patch.archived !== undefined)
      changes.archived_at = patch.archived ? (current.archived_at ?? now) : null
    if (patch.selectedLeafId !== undefined) {
      const leaf = await newestLeafUnder(this.db, id, patch.selectedLeafId)
      if (!leaf)
        throw badRequest('No such message in this conversation', [
          { field: 'selectedLeafId', message: 'not found' },
        ])
      changes.selected_leaf_id = leaf
    }
    const row = await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('conversations')
        .set(changes)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow()
      if (patch.tags) await this.replaceTags(trx, id, patch.tags)
      return updated
    })
    const fields = Object.keys(patch).filter((k) => k !== 'selectedLeafId')
    if (fields.length) await this.record(actor, 'conversation.update', id, { fields })
    return this.view(row)
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.owned(actor.userId, id)
    await Promise.all(this.runner.activeIn(id).map((g) => this.runner.stop(g.spec.id)))
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('messages').where('conversation_id', '=', id).execute()
      await trx.deleteFrom('conversations').where('id', '=', id).execute()
    })
    await this.record(actor, 'conversation.delete', id)
  }

  /** Sets an automatic title unless the owner has named the conversation meanwhile. */
  async applyAutoTitle(id: string, title: string): Promise<Conversation | undefined> {
    return this.db
      .updateTable('conversations')
      .set({ title, title_state: 'auto' })
      .where('id', '=', id)
      .where('title_state', '=', 'default')
      .returningAll()
      .executeTakeFirst()
  }

  async tagsOf(ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>()
    if (ids.length === 0) return result
    const rows = await this.db
      .selectFrom('conversation_tags')
      .selectAll()
      .where('conversation_id', 'in', ids)
      .orderBy('tag')
      .execute()
    for (const row of rows)
      result.set(row.conversation_id, [...(result.get(row.conversation_id) ?? []), row.tag])
    return result
  }

  private async replaceTags(db: Db, id: string, tags: string[]): Promise<void> {
    await db.deleteFrom('conversation_tags').where('conversation_id', '=', id).execute()
    const unique = [...new Set(tags)]
    if (unique.length) {
      await db
        .insertInto('conversation_tags')
        .values(unique.map((tag) => ({ conversation_id: id, tag })))
        .execute()
    }
  }

  private record(actor: Actor, action: string, id: string, details: Record<string, unknown> = {}) {
    return this.audit.record({
      action,
      actorId: actor.userId,
      actorIp: actor.ip,
      targetType: 'conversation',
      targetId: id,
      details,
    })
  }
}
