// Export: one conversation as Markdown (its selected branch) or JSON (its whole tree), or all of
// a user's conversations as JSON.
import type { Db } from '../db/index.js'
import type { Conversation, Message } from '../db/schema.js'
import type { ConversationService } from './conversations.js'
import { branchUpFrom, MESSAGE_COLUMNS } from './message-tree.js'
import {
  type PublicConversation,
  type PublicMessage,
  toPublicConversation,
  toPublicMessage,
} from './views.js'

export type ExportedMessage = Omit<
  PublicMessage,
  'siblingCount' | 'siblingIndex' | 'siblingIds' | 'streamSeq'
>

export interface ExportedConversation {
  conversation: PublicConversation
  messages: ExportedMessage[]
}

const roleHeading: Record<Message['role'], string> = { user: 'User', assistant: 'Assistant' }

function exportedMessage(row: Message): ExportedMessage {
  const {
    siblingCount: _c,
    siblingIndex: _i,
    siblingIds: _ids,
    streamSeq: _s,
    ...message
  } = toPublicMessage(row)
  return message
}

export function toMarkdown(conversation: PublicConversation, branch: Message[], exportedAt: string): string {
  const lines = [`# ${conversation.title}`, '']
  const facts = [`Exported ${exportedAt}`]
  if (conversation.tags.length) facts.push(`tags: ${conversation.tags.join(', ')}`)
  lines.push(`_${facts.join(' · ')}_`, '')
  if (conversation.systemPrompt) lines.push('## System', '', conversation.systemPrompt, '')
  for (const message of branch) {
    const who = message.role === 'assistant' && message.model_name ? ` (${message.model_name})` : ''
    const state = message.state === 'complete' ? '' : ` — ${message.state}`
    lines.push(`## ${roleHeading[message.role]}${who}${state}`, '', message.content, '')
  }
  return `${lines.join('\n').trimEnd()}\n`
}

export class ChatExporter {
  constructor(
    private readonly db: Db,
    private readonly conversations: ConversationService,
  ) {}

  async markdown(userId: string, id: string): Promise<{ title: string; text: string }> {
    const row = await this.conversations.owned(userId, id)
    const conversation = await this.conversations.view(row)
    const branch = await this.selectedBranch(row)
    return { title: row.title, text: toMarkdown(conversation, branch, new Date().toISOString()) }
  }

  async json(userId: string, id: string): Promise<ExportedConversation> {
    const row = await this.conversations.owned(userId, id)
    return (await this.many([row]))[0] as ExportedConversation
  }

  /** Every conversation of the user, archived ones included, each with its whole message tree. */
  async all(userId: string): Promise<ExportedConversation[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return this.many(rows)
  }

  private async many(rows: Conversation[]): Promise<ExportedConversation[]> {
    const tags = await this.conversations.tagsOf(rows.map((r) => r.id))
    const result: ExportedConversation[] = []
    for (const row of rows) {
      const messages = await this.db
        .selectFrom('messages')
        .select(MESSAGE_COLUMNS)
        .where('conversation_id', '=', row.id)
        .orderBy('id')
        .execute()
      result.push({
        conversation: toPublicConversation(row, tags.get(row.id) ?? []),
        messages: messages.map(exportedMessage),
      })
    }
    return result
  }

  private async selectedBranch(row: Conversation): Promise<Message[]> {
    if (!row.selected_leaf_id) return []
    const leaf = await this.db
      .selectFrom('messages')
      .select('depth')
      .where('id', '=', row.selected_leaf_id)
      .executeTakeFirst()
    return leaf ? branchUpFrom(this.db, row.id, row.selected_leaf_id, leaf.depth + 1) : []
  }
}
