// Start (load) and stop (unload) models, and the reconciliation loop that keeps statuses true
// when models are loaded or unloaded outside Web+ or a host stops answering.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/index.js'
import type { Provider } from '../db/schema.js'
import { badRequest, cleanMessage, conflict, notFound } from '../lib/problem.js'
import type { ModelDetails, ModelInfo, RunningModel } from '../providers/types.js'
import { type CatalogService, enabledHostsOf } from './catalog.js'
import type { ConnectionService } from './connections.js'
import type { PublicModel } from './public-model.js'
import { localKinds } from './public-model.js'

const HEALTH_WRITE_EVERY_MS = 30_000

export class ModelControl {
  private timer: NodeJS.Timeout | null = null
  private cycle: Promise<void> | null = null
  private followUp: Promise<void> | null = null
  private readonly syncing = new Map<string, Promise<void>>()

  constructor(
    private readonly db: Db,
    private readonly connections: ConnectionService,
    private readonly catalog: CatalogService,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Loads a model on a host (the given one, else the first that has it). For external APIs,
   * starting means making the model available to users. */
  async start(modelId: string, hostId?: string, keepAlive?: string): Promise<PublicModel> {
    const model = await this.catalog.find(modelId)
    if (!localKinds.includes(model.kind)) {
      await this.catalog.update(modelId, { enabled: true })
      return this.catalog.getFor('admin', modelId)
    }
    const provider = await this.pickHost(modelId, hostId)
    const adapter = this.connections.adapterFor(provider)
    if (!adapter.load) throw badRequest(`${provider.kind} hosts cannot load models`)
    await this.catalog.setHostStatus(modelId, provider.id, 'loading')
    this.settle(modelId, provider, () => adapter.load?.(model.name, keepAlive), 'load')
    return this.catalog.getFor('admin', modelId)
  }

  async stop(modelId: string, hostId?: string): Promise<PublicModel> {
    const model = await this.catalog.find(modelId)
    if (!localKinds.includes(model.kind)) {
      await this.catalog.update(modelId, { enabled: false })
      return this.catalog.getFor('admin', modelId)
    }
    const provider = await this.pickHost(modelId, hostId, true)
    const adapter = this.connections.adapterFor(provider)
    if (!adapter.unload) throw badRequest(`${provider.kind} hosts cannot unload models`)
    await this.catalog.setHostStatus(modelId, provider.id, 'unloading')
    this.settle(modelId, provider, () => adapter.unload?.(model.name), 'unload')
    return this.catalog.getFor('admin', modelId)
  }

  /** Modelfile, parameters, template and license, as the host reports them. */
  async details(modelId: string, hostId?: string): Promise<ModelDetails> {
    const model = await this.catalog.find(modelId)
    const provider = await this.pickHost(modelId, hostId)
    const adapter = this.connections.adapterFor(provider)
    if (!adapter.show) {
      return {
        name: model.name,
        capabilities: JSON.parse(model.capabilities) as ModelDetails['capabilities'],
      }
    }
    return adapter.show(model.name)
  }

  /** Deletes a model's files from a host. */
  async remove(providerId: string, name: string): Promise<void> {
    const provider = await this.connections.get(providerId)
    const adapter = this.connections.adapterFor(provider)
    if (!adapter.remove) throw badRequest(`${provider.kind} providers cannot delete models`)
    await adapter.remove(name)
    await this.syncProvider(provider)
  }

  /** Runs the load/unload in the background, then confirms the outcome with the host's own
   * list of loaded models (for Ollama, /api/ps). */
  private settle(
    modelId: string,
    provider: Provider,
    action: () => Promise<void> | undefined,
    verb: string,
  ): void {
    const adapter = this.connections.adapterFor(provider)
    const run = async () => {
      try {
        await action()
        const model = await this.catalog.find(modelId)
        const live = (await adapter.running?.())?.find((r) => r.name === model.name)
        if (live) {
          await this.catalog.setHostStatus(modelId, provider.id, 'loaded', {
            vramBytes: live.vramBytes,
            expiresAt: live.expiresAt ?? null,
          })
        } else {
          await this.catalog.setHostStatus(modelId, provider.id, 'available')
        }
      } catch (error) {
        const message = cleanMessage(error instanceof Error ? error.message : String(error))
        this.log.warn({ modelId, providerId: provider.id, err: error }, `model ${verb} failed`)
        await this.catalog.setHostStatus(modelId, provider.id, 'error', {
          error: `${verb} failed: ${message}`,
        })
      }
    }
    run().catch((error: unknown) => this.log.error({ err: error }, 'model status bookkeeping failed'))
  }

  private async pickHost(
    modelId: string,
    hostId: string | undefined,
    mustBeLoaded = false,
  ): Promise<Provider> {
    const hosts = await enabledHostsOf(this.db, modelId).execute()
    const candidates = hostId ? hosts.filter((h) => h.id === hostId) : hosts
    if (candidates.length === 0) throw notFound(hostId ? 'Model on that host' : 'A host with this model')
    const busy = candidates.find((h) => h.host_status === 'pulling')
    if (busy && candidates.length === 1) throw conflict('The model is still being pulled on that host')
    const preferred = mustBeLoaded ? candidates.find((h) => h.host_status === 'loaded') : undefined
    const { host_status: _status, ...provider } = preferred ?? candidates[0]!
    return provider
  }

  /** Asks one provider what it has and what is loaded, and records it (or that it is down).
   * Syncs of one provider run one at a time so that their writes cannot interleave. */
  syncProvider(provider: Provider): Promise<void> {
    const previous = this.syncing.get(provider.id) ?? Promise.resolve()
    const next = previous.then(() => this.syncOnce(provider))
    const tracked = next
      .catch(() => undefined)
      .finally(() => {
        if (this.syncing.get(provider.id) === tracked) this.syncing.delete(provider.id)
      })
    this.syncing.set(provider.id, tracked)
    return next
  }

  private async syncOnce(provider: Provider): Promise<void> {
    const adapter = this.connections.adapterFor(provider)
    const started = performance.now()
    let state: [ModelInfo[], RunningModel[] | null]
    try {
      state = await Promise.all([adapter.listModels(), adapter.running ? adapter.running() : null])
    } catch (error) {
      const message = cleanMessage(error instanceof Error ? error.message : String(error))
      const current = await this.db
        .selectFrom('providers')
        .select('status')
        .where('id', '=', provider.id)
        .executeTakeFirst()
      await this.connections.markHealth(provider.id, false, null, message)
      if (current?.status !== 'unreachable') {
        this.log.warn({ providerId: provider.id, err: message }, 'provider unreachable')
        const hosts = await this.db
          .selectFrom('model_hosts')
          .select('model_id')
          .where('provider_id', '=', provider.id)
          .execute()
        await this.catalog.announce(hosts.map((h) => h.model_id))
      }
      return
    }
    // A healthy host seen healthy moments ago needs no write on every cycle.
    const recent = provider.checked_at && Date.now() - Date.parse(provider.checked_at) < HEALTH_WRITE_EVERY_MS
    if (provider.status !== 'ok' || !recent) {
      await this.connections.markHealth(provider.id, true, Math.round(performance.now() - started), null)
    }
    await this.catalog.applyProviderState({ ...provider, status: 'ok' }, state[0], state[1])
  }

  async syncAll(): Promise<void> {
    const providers = await this.db.selectFrom('providers').selectAll().where('enabled', '=', 1).execute()
    await Promise.all(providers.map((p) => this.syncProvider(p)))
  }

  /** One reconciliation at a time; a slow host delays the next cycle rather than piling up.
   * `fresh`: the answer must reflect the hosts as of now, so a cycle already under way (which may
   * have read them before this call) is followed by one more, shared by every such caller. */
  reconcileNow(fresh = false): Promise<void> {
    if (fresh && this.cycle) {
      this.followUp ??= this.cycle
        .catch(() => undefined)
        .then(() => {
          this.followUp = null
          return this.reconcileNow()
        })
      return this.followUp
    }
    this.cycle ??= this.syncAll().finally(() => {
      this.cycle = null
    })
    return this.cycle
  }

  startLoop(intervalMs: number): void {
    if (intervalMs <= 0 || this.timer) return
    this.timer = setInterval(() => {
      this.reconcileNow().catch((error: unknown) => this.log.error({ err: error }, 'reconciliation failed'))
    }, intervalMs)
    this.timer.unref()
  }

  async stopLoop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.cycle
  }
}
