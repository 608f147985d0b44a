// The model catalog: every model of every enabled provider, one entry per model with a status
// per host. Local engines (Ollama hosts) share entries by model name; external APIs get their own.
import type { Db } from '../db/index.js'
import type { HostModelStatus, Model, ModelHost, Provider, Role } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, notFound } from '../lib/problem.js'
import type { ModelInfo, RunningModel } from '../providers/types.js'
import type { EventBus } from '../realtime/bus.js'
import { catalogKey, type PublicModel, toPublicModel } from './public-model.js'
import {
  metadataChanged,
  nextHostState,
  type SyncedHost,
  type SyncedModel,
  syncedModelColumns,
} from './sync-rules.js'

const allRoles: Role[] = ['admin', 'developer', 'user']

export interface ModelPatch {
  enabled?: boolean
  displayName?: string | null
  allowedRoles?: Role[]
  pricing?: { inputPerMTok: number; outputPerMTok: number }
  fallbackModelId?: string | null
}

/** A model's hosts on enabled providers: each provider row with the model's status there. */
export function enabledHostsOf(db: Db, modelId: string) {
  return db
    .selectFrom('model_hosts')
    .innerJoin('providers', 'providers.id', 'model_hosts.provider_id')
    .selectAll('providers')
    .select('model_hosts.status as host_status')
    .where('model_hosts.model_id', '=', modelId)
    .where('providers.enabled', '=', 1)
}

export class CatalogService {
  private readonly changeListeners = new Set<(modelId: string) => void>()

  constructor(
    private readonly db: Db,
    private readonly bus: EventBus,
  ) {}

  /** Brings one provider's rows in line with what it reports. Transitional states that Web+
   * itself set (loading, unloading, pulling) are kept until the operation settles them. */
  async applyProviderState(provider: Provider, models: ModelInfo[], running: RunningModel[] | null) {
    const now = nowIso()
    // What the provider had, with its models' metadata, in one read: on a steady host this is
    // every model it reports. Only names new to it are looked up by catalog key.
    const hosts = await this.db
      .selectFrom('model_hosts')
      .innerJoin('models', 'models.id', 'model_hosts.model_id')
      .select([
        'model_hosts.model_id',
        'model_hosts.status',
        'model_hosts.vram_bytes',
        'model_hosts.expires_at',
        'model_hosts.error',
        'model_hosts.size_bytes',
        'models.catalog_key',
        'models.family',
        'models.parameter_size',
        'models.quantization',
        'models.context_length',
        'models.capabilities',
        'models.size_bytes as model_size_bytes',
      ])
      .where('model_hosts.provider_id', '=', provider.id)
      .execute()
    const byKey = new Map<string, SyncedModel>()
    const hostByModel = new Map<string, SyncedHost>()
    for (const host of hosts) {
      hostByModel.set(host.model_id, host)
      byKey.set(host.catalog_key, { ...host, id: host.model_id, size_bytes: host.model_size_bytes })
    }
    const unknownKeys = [...new Set(models.map((m) => catalogKey(provider, m.name)))].filter(
      (k) => !byKey.has(k),
    )
    if (unknownKeys.length) {
      const others = await this.db
        .selectFrom('models')
        .select(syncedModelColumns)
        .where('catalog_key', 'in', unknownKeys)
        .execute()
      for (const model of others) byKey.set(model.catalog_key, model)
    }
    const runningByName = new Map((running ?? []).map((r) => [r.name, r]))
    const seen = new Set<string>()
    const changed: string[] = []
    const upserts: ModelHost[] = []
    // One transaction per provider: on SQLite a commit per row would cost more than the work.
    await this.db.transaction().execute(async (trx) => {
      for (const info of models) {
        const key = catalogKey(provider, info.name)
        let model = byKey.get(key)
        if (!model) {
          model = await trx
            .insertInto('models')
            .values({
              id: newId(),
              catalog_key: key,
              name: info.name,
              kind: provider.kind,
              display_name: null,
              family: info.family ?? null,
              parameter_size: info.parameterSize ?? null,
              quantization: info.quantization ?? null,
              context_length: info.contextLength ?? null,
              capabilities: JSON.stringify(info.capabilities),
              size_bytes: info.sizeBytes ?? null,
              enabled: 1,
              allowed_roles: JSON.stringify(allRoles),
              price_input_per_mtok: 0,
              price_output_per_mtok: 0,
              fallback_model_id: null,
              created_at: now,
              updated_at: now,
            })
            .returning(syncedModelColumns)
            .executeTakeFirstOrThrow()
          changed.push(model.id)
        } else if (metadataChanged(model, info)) {
          await trx
            .updateTable('models')
            .set({
              family: info.family ?? model.family,
              parameter_size: info.parameterSize ?? model.parameter_size,
              quantization: info.quantization ?? model.quantization,
              context_length: info.contextLength ?? model.context_length,
              capabilities: JSON.stringify(info.capabilities),
              size_bytes: info.sizeBytes ?? model.size_bytes,
              updated_at: now,
            })
            .where('id', '=', model.id)
            .execute()
          changed.push(model.id)
        }
        seen.add(model.id)
        const live = runningByName.get(info.name)
        const host = hostByModel.get(model.id)
        const next = nextHostState(host, live, running !== null)
        const differs =
          !host ||
          host.status !== next.status ||
          host.vram_bytes !== next.vram_bytes ||
          host.expires_at !== next.expires_at
        if (differs) {
          upserts.push({
            model_id: model.id,
            provider_id: provider.id,
            ...next,
            size_bytes: info.sizeBytes ?? host?.size_bytes ?? null,
            updated_at: now,
          })
          changed.push(model.id)
        }
      }
      // One statement for every changed row, whatever their number.
      for (let i = 0; i < upserts.length; i += 500) {
        await trx
          .insertInto('model_hosts')
          .values(upserts.slice(i, i + 500))
          .onConflict((oc) =>
            oc.columns(['model_id', 'provider_id']).doUpdateSet((eb) => ({
              status: eb.ref('excluded.status'),
              vram_bytes: eb.ref('excluded.vram_bytes'),
              expires_at: eb.ref('excluded.expires_at'),
              error: eb.ref('excluded.error'),
              size_bytes: eb.ref('excluded.size_bytes'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute()
      }
      const gone = hosts.filter((h) => !seen.has(h.model_id) && h.status !== 'pulling').map((h) => h.model_id)
      if (gone.length) {
        await trx
          .deleteFrom('model_hosts')
          .where('provider_id', '=', provider.id)
          .where('model_id', 'in', gone)
          .execute()
        changed.push(...gone)
      }
    })
    if (changed.length) await this.announce(changed)
  }

  /** After a restart nothing is mid-load or mid-pull in this process any more. */
  async resetTransitional(): Promise<void> {
    await this.db.deleteFrom('model_hosts').where('status', '=', 'pulling').execute()
    await this.db
      .updateTable('model_hosts')
      .set({ status: 'available', updated_at: nowIso() })
      .where('status', 'in', ['loading', 'unloading'])
      .execute()
  }

  async setHostStatus(
    modelId: string,
    providerId: string,
    status: HostModelStatus,
    extra: {
      error?: string | null
      vramBytes?: number | null
      sizeBytes?: number | null
      expiresAt?: string | null
    } = {},
  ): Promise<void> {
    const now = nowIso()
    const values = {
      status,
      error: extra.error ?? null,
      vram_bytes: extra.vramBytes ?? null,
      expires_at: extra.expiresAt ?? null,
      ...(extra.sizeBytes !== undefined ? { size_bytes: extra.sizeBytes } : {}),
      updated_at: now,
    }
    await this.db
      .insertInto('model_hosts')
      .values({ model_id: modelId, provider_id: providerId, size_bytes: null, ...values })
      .onConflict((oc) => oc.columns(['model_id', 'provider_id']).doUpdateSet(values))
      .execute()
    await this.announce([modelId])
  }

  /** Ensures a catalog row exists for a model name on a provider (e.g. while it is pulled). */
  async ensureModel(provider: Provider, name: string): Promise<Model> {
    const key = catalogKey(provider, name)
    const now = nowIso()
    await this.db
      .insertInto('models')
      .values({
        id: newId(),
        catalog_key: key,
        name,
        kind: provider.kind,
        display_name: null,
        family: null,
        parameter_size: null,
        quantization: null,
        context_length: null,
        capabilities: '["chat"]',
        size_bytes: null,
        enabled: 1,
        allowed_roles: JSON.stringify(allRoles),
        price_input_per_mtok: 0,
        price_output_per_mtok: 0,
        fallback_model_id: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('catalog_key').doNothing())
      .execute()
    return this.db.selectFrom('models').selectAll().where('catalog_key', '=', key).executeTakeFirstOrThrow()
  }

  async removeHost(modelId: string, providerId: string): Promise<void> {
    await this.db
      .deleteFrom('model_hosts')
      .where('model_id', '=', modelId)
      .where('provider_id', '=', providerId)
      .execute()
    await this.announce([modelId])
  }

  async modelIdsOn(providerId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('model_hosts')
      .select('model_id')
      .where('provider_id', '=', providerId)
      .execute()
    return rows.map((r) => r.model_id)
  }

  async find(id: string): Promise<Model> {
    const model = await this.db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst()
    if (!model) throw notFound('Model')
    return model
  }

  async findByName(name: string): Promise<Model | undefined> {
    return this.db.selectFrom('models').selectAll().where('name', '=', name).orderBy('id').executeTakeFirst()
  }

  /** Models with hosts, for one caller. Admins see everything; others what their role may use. */
  async list(role: Role, ids?: string[]): Promise<PublicModel[]> {
    let query = this.db.selectFrom('models').selectAll().orderBy('name')
    if (ids) query = query.where('id', 'in', ids.length ? ids : [''])
    const models = await query.execute()
    let hostQuery = this.db.selectFrom('model_hosts').selectAll()
    if (ids) hostQuery = hostQuery.where('model_id', 'in', ids.length ? ids : [''])
    const [hosts, providers] = await Promise.all([
      hostQuery.execute(),
      this.db.selectFrom('providers').selectAll().execute(),
    ])
    const providerById = new Map(providers.map((p) => [p.id, p]))
    const hostsByModel = new Map<string, Array<ModelHost & { provider: Provider }>>()
    for (const host of hosts) {
      const provider = providerById.get(host.provider_id)
      if (!provider) continue
      const list = hostsByModel.get(host.model_id) ?? []
      list.push({ ...host, provider })
      hostsByModel.set(host.model_id, list)
    }
    return models
      .map((m) => toPublicModel(m, hostsByModel.get(m.id) ?? []))
      .filter((m) => m.hosts.length > 0 || role === 'admin')
      .filter((m) => role === 'admin' || (m.enabled && m.allowedRoles.includes(role)))
  }

  async getFor(role: Role, id: string): Promise<PublicModel> {
    const [model] = await this.list(role, [id])
    if (!model) throw notFound('Model')
    return model
  }

  async update(id: string, patch: ModelPatch): Promise<Model> {
    await this.find(id)
    if (patch.fallbackModelId) {
      const invalid = (message: string) =>
        badRequest(`fallbackModelId ${message}`, [{ field: 'fallbackModelId', message }])
      if (patch.fallbackModelId === id) throw invalid('cannot be the model itself')
      const fallback = await this.db
        .selectFrom('models')
        .select('id')
        .where('id', '=', patch.fallbackModelId)
        .executeTakeFirst()
      if (!fallback) throw invalid('is not a known model')
    }
    const changes: Partial<Model> = { updated_at: nowIso() }
    if (patch.enabled !== undefined) changes.enabled = patch.enabled ? 1 : 0
    if (patch.displayName !== undefined) changes.display_name = patch.displayName || null
    if (patch.allowedRoles) changes.allowed_roles = JSON.stringify([...new Set(patch.allowedRoles)])
    if (patch.pricing) {
      changes.price_input_per_mtok = patch.pricing.inputPerMTok
      changes.price_output_per_mtok = patch.pricing.outputPerMTok
    }
    if (patch.fallbackModelId !== undefined) changes.fallback_model_id = patch.fallbackModelId
    const model = await this.db
      .updateTable('models')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    await this.announce([id])
    return model
  }

  /**
   * Calls `listener` with a model's id whenever a change to it is announced: at once for a change
   * made by this process, through the bus for one made by another. For caches of catalog rows.
   */
  onModelChanged(listener: (modelId: string) => void): () => void {
    this.changeListeners.add(listener)
    const unsubscribe = this.bus.onMessage(({ event }) => {
      if (event.type === 'model.status') listener((event.model as PublicModel).id)
      else if (event.type === 'model.hidden') listener(event.modelId as string)
    })
    return () => {
      this.changeListeners.delete(listener)
      unsubscribe()
    }
  }

  /** Pushes the current state of changed models to every connected user who may see them. */
  async announce(modelIds: string[]): Promise<void> {
    const unique = [...new Set(modelIds)]
    for (const id of unique) for (const listener of this.changeListeners) listener(id)
    const models = await this.list('admin', unique)
    for (const model of models) {
      const roles: Role[] = model.enabled ? model.allowedRoles : []
      await this.bus.broadcast({ type: 'model.status', model }, [...new Set<Role>(['admin', ...roles])])
      // Roles that may not use it are told only its id, so that a list showing it drops it.
      const hiddenFrom = NON_ADMIN_ROLES.filter((role) => !roles.includes(role))
      if (hiddenFrom.length > 0)
        await this.bus.broadcast({ type: 'model.hidden', modelId: model.id }, hiddenFrom)
    }
  }
}

const NON_ADMIN_ROLES: Role[] = ['developer', 'user']
