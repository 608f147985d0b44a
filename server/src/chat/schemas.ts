// Request and response schemas of the chat API, shared by its route files.
import { z } from 'zod'

export const tags = ['chat']

const tag = z.string().trim().min(1).max(40)
export const settingsFields = {
  modelId: z.string().min(1).max(64).nullable(),
  systemPrompt: z.string().max(20_000).nullable(),
  temperature: z.number().min(0).max(2).nullable(),
  topP: z.number().min(0).max(1).nullable(),
  maxTokens: z.number().int().min(1).max(1_000_000).nullable(),
}

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  pinned: z.boolean(),
  archived: z.boolean(),
  ...settingsFields,
  selectedLeafId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})

export const messageStateSchema = z.enum(['complete', 'streaming', 'stopped', 'error', 'interrupted'])

export const usageSchema = z.object({
  inputTokens: z.number().nullable(),
  outputTokens: z.number().nullable(),
  ttftMs: z.number().nullable(),
  durationMs: z.number().nullable(),
  cost: z.number().nullable(),
})

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  state: messageStateSchema,
  error: z.string().nullable(),
  modelId: z.string().nullable(),
  modelName: z.string().nullable(),
  generationId: z.string().nullable(),
  usage: usageSchema.nullable(),
  contextTrimmed: z.number(),
  feedback: z.object({ rating: z.enum(['up', 'down']), comment: z.string().nullable() }).nullable(),
  siblingCount: z.number(),
  siblingIndex: z.number(),
  siblingIds: z.array(z.string()).describe('Ids of this message and its siblings, in order'),
  streamSeq: z
    .number()
    .nullable()
    .describe('While a reply streams: the event id its content includes; apply deltas with a higher seq'),
  createdAt: z.string(),
  updatedAt: z.string(),
})

export const conversationDetailSchema = conversationSchema.extend({
  messages: z.object({
    items: z.array(messageSchema).describe('The selected branch, oldest first, ending at the newest'),
    hasMore: z.boolean(),
    before: z.string().nullable().describe('Pass as `before` to load the older page'),
  }),
})

const title = z.string().trim().min(1).max(200)
const folder = z.string().trim().min(1).max(100).nullable()
export const createConversationBody = z.strictObject({
  title: title.optional(),
  folder: folder.optional(),
  tags: z.array(tag).max(20).optional(),
  pinned: z.boolean().optional(),
  presetId: z.string().max(64).optional().describe('Start from a preset’s model and settings'),
  modelId: settingsFields.modelId.optional(),
  systemPrompt: settingsFields.systemPrompt.optional(),
  temperature: settingsFields.temperature.optional(),
  topP: settingsFields.topP.optional(),
  maxTokens: settingsFields.maxTokens.optional(),
})

export const updateConversationBody = z.strictObject({
  title: title.optional(),
  folder: folder.optional(),
  tags: z.array(tag).max(20).optional(),
  pinned: z.boolean().optional(),
  archived: z.boolean().optional(),
  modelId: settingsFields.modelId.optional(),
  systemPrompt: settingsFields.systemPrompt.optional(),
  temperature: settingsFields.temperature.optional(),
  topP: settingsFields.topP.optional(),
  maxTokens: settingsFields.maxTokens.optional(),
  selectedLeafId: z
    .string()
    .max(64)
    .optional()
    .describe('Any message of the branch to show; the newest leaf below it is selected'),
})

const flag = z.enum(['true', 'false']).transform((v) => v === 'true')
export const listConversationsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z.string().max(200).optional(),
  folder: z.string().max(100).optional(),
  tag: z.string().max(40).optional(),
  pinned: flag.optional(),
  archived: flag.optional().describe('Default false: archived conversations are listed only on request'),
})

export const conversationPageSchema = z.object({
  items: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
})

export const detailQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(64).optional(),
})

export const sendMessageBody = z.strictObject({
  content: z.string().min(1).max(200_000),
  parentId: z
    .string()
    .max(64)
    .nullable()
    .optional()
    .describe('The reply this message answers; null starts a new root; omitted = the selected leaf'),
  model: z.string().min(1).max(200).optional().describe('Model id (or name) for this and later replies'),
})

export const replyBody = z.strictObject({
  model: z.string().min(1).max(200).optional(),
})

export const startedSchema = z.object({
  conversationId: z.string(),
  userMessageId: z.string().nullable(),
  assistantMessageId: z.string(),
  generationId: z.string(),
  contextTrimmed: z.number(),
})

export const feedbackBody = z.strictObject({
  rating: z.enum(['up', 'down']).nullable().describe('null clears the rating'),
  comment: z.string().trim().max(2000).optional(),
})

export const presetSchema = z.object({
  id: z.string(),
  name: z.string(),
  ...settingsFields,
  createdAt: z.string(),
  updatedAt: z.string(),
})

export const presetBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  modelId: settingsFields.modelId.optional(),
  systemPrompt: settingsFields.systemPrompt.optional(),
  temperature: settingsFields.temperature.optional(),
  topP: settingsFields.topP.optional(),
  maxTokens: settingsFields.maxTokens.optional(),
})

export const generationStateSchema = z.object({
  generationId: z.string(),
  messageId: z.string(),
  state: messageStateSchema,
})

export const searchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
})

export const searchResultSchema = z.object({
  items: z.array(
    z.object({
      conversationId: z.string(),
      conversationTitle: z.string(),
      messageId: z.string().nullable().describe('null when the title matched'),
      role: z.enum(['user', 'assistant']).nullable(),
      snippet: z
        .array(z.object({ text: z.string(), highlight: z.boolean() }))
        .describe('The snippet as plain-text pieces; matched words have highlight: true'),
      createdAt: z.string(),
    }),
  ),
})

export const exportQuery = z.strictObject({
  format: z.enum(['markdown', 'json']).default('json'),
})

export const exportedConversationSchema = z.object({
  conversation: conversationSchema,
  messages: z.array(
    messageSchema.omit({ siblingCount: true, siblingIndex: true, siblingIds: true, streamSeq: true }),
  ),
})
