// Calling a model: pick a host (loaded first, then one that has it pulled), fail over to the
// next when a host fails before the first token, and record one usage row per call. A model's
// row and hosts are kept in memory between calls, dropped when the catalog announces a change
// to the model (on any instance) and read again after ROUTE_TTL_MS at the latest.
import type { Db } from '../db/index.js'
import type { HostModelStatus, Model, Provider, Role } from '../db/schema.js'
import { forbidden, notFound } from '../lib/problem.js'
import type { ChatEvent, ChatRequest } from '../providers/types.js'
import { type CatalogService, enabledHostsOf } from './catalog.js'
import type { ConnectionService } from './connections.js'
import type { UsageService } from './usage.js'

export interface Invocation {
  modelId: string
  request: Omit<ChatRequest, 'model'>
  caller: { userId: string | null; role: Role; apiKeyId?: string | null }
  source: string
  signal: AbortSignal
}

/** What a caller sees while a reply streams: provider events plus which host answered. */
export type InvocationEvent = ChatEvent | { type: 'host'; providerId: string; providerName: string }

const COOLDOWN_MS = 30_000
/** A safety net for changes that are not announced (a host that recovers is only re-ranked). */
const ROUTE_TTL_MS = 5_000
const ROUTES_MAX = 10_000
const hostOrder: Record<string, number> = { loaded: 0, loading: 1, available: 2, error: 3, unloading: 4 }

type HostRow = Provider & { host_status: HostModelStatus }

interface Cached<T> {
  value: T
  at: number
}

export class ModelInvoker {
  private readonly cooldownUntil = new Map<string, number>()
  private readonly models = new Map<string, Cached<Model & { roles: Role[] }>>()
  private readonly hosts = new Map<string, Cached<HostRow[]>>()
  /** Bumped on every announced change, so that a read that raced one is not kept. */
  private generation = 0

  constructor(
    private readonly db: Db,
    private readonly connections: ConnectionService,
    private readonly catalog: CatalogService,
    private readonly usage: UsageService,
  ) {
    catalog.onModelChanged((modelId) => {
      this.generation += 1
      this.models.delete(modelId)
      this.hosts.delete(modelId)
    })
  }

  /** The model a caller may use, or a 404 (unknown or hidden) / 403 (role not allowed). */
  async usableModel(modelId: string, role: Role): Promise<Model> {
    const model = await this.cached(this.models, modelId, async () => {
      const row = await this.catalog.find(modelId)
      return { ...row, roles: JSON.parse(row.allowed_roles) as Role[] }
    })
    if (role !== 'admin' && !model.enabled) throw notFound('Model')
    if (!model.enabled) throw forbidden('This model is stopped; start it first')
    if (!model.roles.includes(role)) throw forbidden('Your role may not use this model')
    const { roles: _roles, ...row } = model
    return row
  }

  /** Hosts to try in order: loaded, then pulled; hosts that failed lately go last. */
  async candidates(modelId: string): Promise<Provider[]> {
    const rows = await this.cached(this.hosts, modelId, () =>
      enabledHostsOf(this.db, modelId).where('model_hosts.status', '!=', 'pulling').execute(),
    )
    const now = Date.now()
    const score = (r: (typeof rows)[number]) =>
      (r.status === 'unreachable' || (this.cooldownUntil.get(r.id) ?? 0) > now ? 10 : 0) +
      (hostOrder[r.host_status] ?? 5)
    return [...rows].sort((a, b) => score(a) - score(b)).map(({ host_status: _s, ...provider }) => provider)
  }

  private async cached<T>(
    cache: Map<string, Cached<T>>,
    modelId: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const hit = cache.get(modelId)
    const now = Date.now()
    if (hit && now - hit.at < ROUTE_TTL_MS) return hit.value
    const generation = this.generation
    const value = await read()
    if (generation === this.generation) {
      if (cache.size >= ROUTES_MAX) cache.clear()
      cache.set(modelId, { value, at: now })
    }
    return value
  }

  markFailed(providerId: string): void {
    this.cooldownUntil.set(providerId, Date.now() + COOLDOWN_MS)
  }

  async *chat(invocation: Invocation): AsyncGenerator<InvocationEvent> {
    const model = await this.usableModel(invocation.modelId, invocation.caller.role)
    const hosts = await this.candidates(model.id)
    if (hosts.length === 0) {
      yield {
        type: 'error',
        message: `No host has ${model.name}; pull it first`,
        retryable: false,
        kind: 'not_found',
      }
      return
    }
    const started = performance.now()
    let lastError = 'no host answered'
    for (const provider of hosts) {
      let ttft: number | null = null
      let input = 0
      let output = 0
      let failure: string | null = null
      let produced = false
      const request: ChatRequest = { ...invocation.request, model: model.name }
      try {
        for await (const event of this.connections.adapterFor(provider).chat(request, invocation.signal)) {
          if (event.type === 'error') {
            failure = event.message
            if (!produced) break
            yield event
            continue
          }
          if (event.type === 'delta') {
            if (!produced) {
              produced = true
              ttft = Math.round(performance.now() - started)
              yield { type: 'host', providerId: provider.id, providerName: provider.name }
            }
          }
          if (event.type === 'usage') {
            input = event.inputTokens
            output = event.outputTokens
          }
          yield event
        }
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error)
        if (produced) yield { type: 'error', message: failure, retryable: false, kind: 'upstream' }
      }
      const aborted = invocation.signal.aborted
      if (failure && !produced && !aborted) {
        this.markFailed(provider.id)
        lastError = `${provider.name}: ${failure}`
        continue
      }
      await this.usage.record({
        user_id: invocation.caller.userId,
        api_key_id: invocation.caller.apiKeyId ?? null,
        model_id: model.id,
        model_name: model.name,
        provider_id: provider.id,
        source: invocation.source,
        input_tokens: input,
        output_tokens: output,
        ttft_ms: ttft,
        duration_ms: Math.round(performance.now() - started),
        outcome: aborted ? 'cancelled' : failure ? 'error' : 'success',
        error: failure,
        cost: (input * model.price_input_per_mtok + output * model.price_output_per_mtok) / 1_000_000,
      })
      return
    }
    await this.usage.record({
      user_id: invocation.caller.userId,
      api_key_id: invocation.caller.apiKeyId ?? null,
      model_id: model.id,
      model_name: model.name,
      provider_id: null,
      source: invocation.source,
      input_tokens: 0,
      output_tokens: 0,
      ttft_ms: null,
      duration_ms: Math.round(performance.now() - started),
      outcome: 'error',
      error: lastError,
      cost: 0,
    })
    yield { type: 'error', message: lastError, retryable: true, kind: 'unreachable' }
  }
}
