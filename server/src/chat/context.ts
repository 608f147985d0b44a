// What a reply is generated from: the system prompt and the branch from the root down to the
// message being answered. When that would not fit the model's context, the oldest turns are
// left out (never the system prompt, never the newest message) and the count is reported.
import type { Db } from '../db/index.js'
import type { ChatMessage } from '../providers/types.js'
import { branchUpFrom } from './message-tree.js'

/** For models whose context length the catalog does not know. */
export const FALLBACK_CONTEXT_TOKENS = 32_768
const PAGE = 200
const PER_MESSAGE_OVERHEAD = 4

/** A rough token count (about four characters per token) until a tokenizer is wired in. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + PER_MESSAGE_OVERHEAD
}

export interface ContextInput {
  conversationId: string
  /** The newest stored message of the branch (null for a new root). */
  leafId: string | null
  /** Messages not stored yet that come after the leaf (the new user message). */
  extra: ChatMessage[]
  systemPrompt: string | null
  contextLength: number | null
  maxTokens: number | null
  /** A partial reply to continue: sent last, as the assistant's turn. */
  prefill?: string
}

export interface BuiltContext {
  messages: ChatMessage[]
  /** Messages of the branch left out. */
  trimmed: number
}

export async function buildContext(db: Db, input: ContextInput): Promise<BuiltContext> {
  const contextLength = input.contextLength ?? FALLBACK_CONTEXT_TOKENS
  const reserve = input.maxTokens ?? Math.min(1024, Math.floor(contextLength / 4))
  const system = input.systemPrompt?.trim() ? input.systemPrompt : null
  let budget = contextLength - reserve - (system ? estimateTokens(system) : 0)
  if (input.prefill) budget -= estimateTokens(input.prefill)

  const kept: ChatMessage[] = []
  const newestFirst = [...input.extra].reverse()
  let total = input.extra.length
  let full = false
  const take = (message: ChatMessage) => {
    const cost = estimateTokens(message.content)
    if (kept.length > 0 && cost > budget) {
      full = true
      return
    }
    budget -= cost
    kept.push(message)
  }
  for (const message of newestFirst) if (!full) take(message)

  let cursor = input.leafId
  let first = true
  while (cursor && !full) {
    const page = await branchUpFrom(db, input.conversationId, cursor, PAGE)
    const oldest = page[0]
    if (!oldest) break
    // The leaf's depth tells how long the whole branch is without reading it.
    if (first) total += (page.at(-1)?.depth ?? 0) + 1
    first = false
    for (const row of [...page].reverse()) {
      take({ role: row.role, content: row.content })
      if (full) break
    }
    cursor = oldest.parent_id
  }
  // A context should open with the user's turn, not a reply whose question was cut.
  if (kept.length < total && kept.length > 1 && kept.at(-1)?.role === 'assistant') kept.pop()

  const messages: ChatMessage[] = []
  if (system) messages.push({ role: 'system', content: system })
  messages.push(...kept.reverse())
  if (input.prefill) messages.push({ role: 'assistant', content: input.prefill })
  return { messages, trimmed: total - kept.length }
}
