// Instance-wide settings an admin can change, stored as JSON rows with defaults in code.
import { z } from 'zod'
import type { Db } from '../db/index.js'
import { nowIso } from '../lib/ids.js'

export const instanceSettingsSchema = z.object({
  registrationOpen: z.boolean(),
  /** Chat tokens (in + out) one user may spend per UTC day; null = no limit. */
  chatTokensPerDayPerUser: z.number().int().min(1).nullable(),
})
export type InstanceSettings = z.infer<typeof instanceSettingsSchema>

const defaults: InstanceSettings = { registrationOpen: true, chatTokensPerDayPerUser: null }
const KEY = 'instance'

export class SettingsService {
  constructor(private readonly db: Db) {}

  async get(db: Db = this.db): Promise<InstanceSettings> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst()
    if (!row) return defaults
    return { ...defaults, ...instanceSettingsSchema.partial().parse(JSON.parse(row.value)) }
  }

  async registrationOpen(db: Db = this.db): Promise<boolean> {
    return (await this.get(db)).registrationOpen
  }

  async update(patch: Partial<InstanceSettings>): Promise<InstanceSettings> {
    const next = { ...(await this.get()), ...patch }
    const value = JSON.stringify(next)
    const updatedAt = nowIso()
    await this.db
      .insertInto('settings')
      .values({ key: KEY, value, updated_at: updatedAt })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: updatedAt }))
      .execute()
    return next
  }
}
