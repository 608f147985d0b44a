// Chat presets: a user's named model and settings to start conversations from.
import type { Db } from '../db/index.js'
import type { ChatPreset, ChatPresetsTable } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { notFound } from '../lib/problem.js'
import type { ModelInvoker } from '../models/invoker.js'
import { type Actor, type ConversationSettings, settingsColumns } from './conversations.js'
import { type PublicPreset, toPublicPreset } from './views.js'

export interface PresetInput extends ConversationSettings {
  name: string
}

function columns(input: Partial<PresetInput>): Partial<ChatPresetsTable> {
  return { ...settingsColumns(input), ...(input.name === undefined ? {} : { name: input.name }) }
}

export class PresetService {
  constructor(
    private readonly db: Db,
    private readonly invoker: ModelInvoker,
  ) {}

  async owned(userId: string, id: string): Promise<ChatPreset> {
    const row = await this.db
      .selectFrom('chat_presets')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    if (!row) throw notFound('Preset')
    return row
  }

  async get(userId: string, id: string): Promise<PublicPreset> {
    return toPublicPreset(await this.owned(userId, id))
  }

  async list(userId: string): Promise<PublicPreset[]> {
    const rows = await this.db
      .selectFrom('chat_presets')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('name')
      .orderBy('id')
      .execute()
    return rows.map(toPublicPreset)
  }

  async create(actor: Actor, input: PresetInput): Promise<PublicPreset> {
    if (input.modelId) await this.invoker.usableModel(input.modelId, actor.role)
    const now = nowIso()
    const row: ChatPreset = {
      id: newId(),
      user_id: actor.userId,
      name: input.name,
      model_id: null,
      system_prompt: null,
      temperature: null,
      top_p: null,
      max_tokens: null,
      ...columns(input),
      created_at: now,
      updated_at: now,
    }
    await this.db.insertInto('chat_presets').values(row).execute()
    return toPublicPreset(row)
  }

  async update(actor: Actor, id: string, patch: Partial<PresetInput>): Promise<PublicPreset> {
    await this.owned(actor.userId, id)
    if (patch.modelId) await this.invoker.usableModel(patch.modelId, actor.role)
    const row = await this.db
      .updateTable('chat_presets')
      .set({ ...columns(patch), updated_at: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toPublicPreset(row)
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.owned(userId, id)
    await this.db.deleteFrom('chat_presets').where('id', '=', id).execute()
  }
}
