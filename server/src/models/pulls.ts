// Model pulls as server-side state: a pull runs in the background, its progress (bytes,
// percent, speed) is stored and pushed to admins live, so a reload or a second browser sees it.
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/index.js'
import type { Provider, Pull } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, cleanMessage, conflict, notFound } from '../lib/problem.js'
import { withTag } from '../providers/index.js'
import type { PullProgress } from '../providers/types.js'
import type { EventBus } from '../realtime/bus.js'
import type { CatalogService } from './catalog.js'
import type { ConnectionService } from './connections.js'

export interface PublicPull {
  id: string
  providerId: string
  model: string
  status: Pull['status']
  detail: string | null
  completedBytes: number
  totalBytes: number | null
  percent: number | null
  bytesPerSecond: number | null
  error: string | null
  createdAt: string
  updatedAt: string
}

export function toPublicPull(p: Pull): PublicPull {
  const percent = p.total_bytes
    ? Math.min(100, Math.round((p.completed_bytes / p.total_bytes) * 1000) / 10)
    : null
  return {
    id: p.id,
    providerId: p.provider_id,
    model: p.model_name,
    status: p.status,
    detail: p.detail,
    completedBytes: p.completed_bytes,
    totalBytes: p.total_bytes,
    percent: p.status === 'succeeded' ? 100 : percent,
    bytesPerSecond: p.bytes_per_second,
    error: p.error,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  }
}

const WRITE_EVERY_MS = 500

/** What to pull: a model name (Ollama) or a file URL with an optional sha256 (embedded engine). */
export type PullRequest =
  | { model: string; url?: undefined }
  | { url: string; sha256?: string; model?: undefined }

type PullFn = (model: string, signal: AbortSignal) => AsyncIterable<PullProgress>

export class PullService {
  private readonly running = new Map<string, AbortController>()

  constructor(
    private readonly db: Db,
    private readonly connections: ConnectionService,
    private readonly catalog: CatalogService,
    private readonly bus: EventBus,
    private readonly onFinished: (providerId: string) => Promise<void>,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Pulls left running by a previous process can never finish: mark them failed. */
  async failInterrupted(): Promise<void> {
    await this.db
      .updateTable('pulls')
      .set({
        status: 'failed',
        error: 'interrupted by a server restart; start it again',
        updated_at: nowIso(),
      })
      .where('status', '=', 'running')
      .execute()
  }

  async start(providerId: string, requested: PullRequest, userId: string): Promise<PublicPull> {
    const provider = await this.connections.get(providerId)
    const { model, pullFn } = await this.pullFor(provider, requested)
    const active = await this.db
      .selectFrom('pulls')
      .select('id')
      .where('provider_id', '=', providerId)
      .where('model_name', '=', model)
      .where('status', '=', 'running')
      .executeTakeFirst()
    if (active) throw conflict(`"${model}" is already being pulled (pull ${active.id})`)
    const now = nowIso()
    const pull = await this.db
      .insertInto('pulls')
      .values({
        id: newId(),
        provider_id: providerId,
        model_name: model,
        status: 'running',
        detail: 'starting',
        completed_bytes: 0,
        total_bytes: null,
        bytes_per_second: null,
        error: null,
        started_by: userId,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const controller = new AbortController()
    this.running.set(pull.id, controller)
    const catalogModel = await this.catalog.ensureModel(provider, model)
    await this.catalog.setHostStatus(catalogModel.id, providerId, 'pulling')
    this.run(pull, pullFn, controller, catalogModel.id).catch((error: unknown) =>
      this.log.error({ err: error, pullId: pull.id }, 'pull bookkeeping failed'),
    )
    return toPublicPull(pull)
  }

  /** The model name a pull will create and how to run it; refuses the wrong kind of request. */
  private async pullFor(
    provider: Provider,
    requested: PullRequest,
  ): Promise<{ model: string; pullFn: PullFn }> {
    if (provider.kind === 'embedded') {
      if (requested.url === undefined) {
        throw badRequest('The embedded engine downloads GGUF files: send {url, sha256?} instead of {model}', [
          { field: 'url', message: 'is required for the embedded engine' },
        ])
      }
      const engine = this.connections.embeddedEngine()
      const source = {
        url: requested.url,
        ...(requested.sha256 ? { sha256: requested.sha256.toLowerCase() } : {}),
      }
      const model = engine.store.nameFromUrl(source.url)
      if (await engine.store.has(model))
        throw conflict(`A model named "${model}" already exists; delete it first`)
      return { model, pullFn: (name, signal) => engine.pullUrl(name, source, signal) }
    }
    if (requested.model === undefined) {
      throw badRequest(`${provider.kind} providers pull by model name: send {model} instead of {url}`, [
        { field: 'model', message: `is required for ${provider.kind} providers` },
      ])
    }
    const adapter = this.connections.adapterFor(provider)
    if (!adapter.pull) throw badRequest(`${provider.kind} providers cannot pull models`)
    // Ollama names `llama3` and `llama3:latest` the same model; store the name it will list.
    const model = provider.kind === 'ollama' ? withTag(requested.model) : requested.model
    return { model, pullFn: adapter.pull.bind(adapter) }
  }

  /** Adds a GGUF file already inside the embedded engine's models folder; returns its catalog id. */
  async importModel(providerId: string, path: string): Promise<string> {
    const provider = await this.connections.get(providerId)
    if (provider.kind !== 'embedded') throw badRequest(`${provider.kind} providers cannot import files`)
    const name = await this.connections.embeddedEngine().importFile(path)
    await this.onFinished(providerId)
    return (await this.catalog.ensureModel(provider, name)).id
  }

  async get(id: string): Promise<PublicPull> {
    const pull = await this.db.selectFrom('pulls').selectAll().where('id', '=', id).executeTakeFirst()
    if (!pull) throw notFound('Pull')
    return toPublicPull(pull)
  }

  async list(): Promise<PublicPull[]> {
    const rows = await this.db.selectFrom('pulls').selectAll().orderBy('id', 'desc').limit(50).execute()
    return rows.map(toPublicPull)
  }

  async cancel(id: string): Promise<PublicPull> {
    const pull = await this.get(id)
    const controller = this.running.get(id)
    if (pull.status !== 'running') return pull
    if (!controller) throw conflict('This pull runs in another server process')
    controller.abort()
    return pull
  }

  private async run(pull: Pull, pullFn: PullFn, controller: AbortController, modelId: string): Promise<void> {
    const state = { ...pull }
    let lastWrite = 0
    const samples: Array<{ at: number; bytes: number }> = []
    const save = async (final: boolean) => {
      state.updated_at = nowIso()
      await this.db
        .updateTable('pulls')
        .set({
          status: state.status,
          detail: state.detail,
          completed_bytes: state.completed_bytes,
          total_bytes: state.total_bytes,
          bytes_per_second: state.bytes_per_second,
          error: state.error,
          updated_at: state.updated_at,
        })
        .where('id', '=', pull.id)
        .execute()
      await this.bus.broadcast({ type: 'pull.progress', pull: toPublicPull(state), final }, ['admin'])
    }
    try {
      for await (const progress of pullFn(pull.model_name, controller.signal)) {
        state.detail = progress.status
        if (progress.totalBytes) state.total_bytes = progress.totalBytes
        if (progress.completedBytes !== undefined) state.completed_bytes = progress.completedBytes
        const now = Date.now()
        samples.push({ at: now, bytes: state.completed_bytes })
        while (samples.length > 2 && now - (samples[0]?.at ?? now) > 5000) samples.shift()
        const first = samples[0]
        if (first && now > first.at)
          state.bytes_per_second = ((state.completed_bytes - first.bytes) * 1000) / (now - first.at)
        if (now - lastWrite >= WRITE_EVERY_MS) {
          lastWrite = now
          await save(false)
        }
      }
      state.status = 'succeeded'
      state.detail = 'success'
    } catch (error) {
      state.status = controller.signal.aborted ? 'cancelled' : 'failed'
      state.error = controller.signal.aborted
        ? null
        : cleanMessage(error instanceof Error ? error.message : String(error))
    } finally {
      this.running.delete(pull.id)
    }
    await save(true)
    // Settle the host row; the sync below then records what the host really has.
    if (state.status === 'succeeded') await this.catalog.setHostStatus(modelId, pull.provider_id, 'available')
    else await this.catalog.removeHost(modelId, pull.provider_id)
    await this.onFinished(pull.provider_id)
  }
}
