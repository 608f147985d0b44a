// How chat rows look to clients: camelCase objects matching the schemas in schemas.ts.
import type { z } from 'zod'
import type { ChatPreset, Conversation, Message } from '../db/schema.js'
import type { conversationSchema, messageSchema, presetSchema } from './schemas.js'

export type PublicConversation = z.infer<typeof conversationSchema>
export type PublicMessage = z.infer<typeof messageSchema>
export type PublicPreset = z.infer<typeof presetSchema>

export function toPublicConversation(row: Conversation, tags: string[]): PublicConversation {
  return {
    id: row.id,
    title: row.title,
    folder: row.folder,
    tags,
    pinned: row.pinned_at !== null,
    archived: row.archived_at !== null,
    modelId: row.model_id,
    systemPrompt: row.system_prompt,
    temperature: row.temperature,
    topP: row.top_p,
    maxTokens: row.max_tokens,
    selectedLeafId: row.selected_leaf_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export interface Siblings {
  count: number
  index: number
  /** The siblings' ids in order (itself included), so a client can switch branches directly. */
  ids: string[]
}

export function toPublicMessage(
  row: Message,
  siblings?: Siblings,
  streamSeq: number | null = null,
): PublicMessage {
  const hasUsage = row.role === 'assistant' && row.state !== 'streaming' && row.duration_ms !== null
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    state: row.state,
    error: row.error,
    modelId: row.model_id,
    modelName: row.model_name,
    generationId: row.generation_id,
    usage: hasUsage
      ? {
          inputTokens: row.input_tokens,
          outputTokens: row.output_tokens,
          ttftMs: row.ttft_ms,
          durationMs: row.duration_ms,
          cost: row.cost,
        }
      : null,
    contextTrimmed: row.context_trimmed,
    feedback: row.feedback_rating ? { rating: row.feedback_rating, comment: row.feedback_comment } : null,
    siblingCount: siblings?.count ?? 1,
    siblingIndex: siblings?.index ?? 0,
    siblingIds: siblings?.ids ?? [row.id],
    streamSeq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

export function toPublicPreset(row: ChatPreset): PublicPreset {
  return {
    id: row.id,
    name: row.name,
    modelId: row.model_id,
    systemPrompt: row.system_prompt,
    temperature: row.temperature,
    topP: row.top_p,
    maxTokens: row.max_tokens,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}
