// Keeps the cached catalog and pulls true to what the server pushes. A model carries no
// version, so an HTTP answer (a list, a start's 202) is trusted only for models that no live
// event has touched since that request was sent: events arrive in order on one socket, so the
// last event seen for a model is never older than a snapshot taken before it arrived.
import type { QueryClient } from '@tanstack/react-query'
import { modelsKey } from '@/lib/query-keys'
import type { Role } from '@/types/api'
import type { Model, Pull } from '../types'

export const pullsKey = ['pulls'] as const

/** The last pushed state of each model, numbered in the order the events arrived. */
export class ModelEventLog {
  private sequence = 0
  private readonly latest = new Map<string, { seq: number; model: Model }>()

  /** A bookmark to take before sending a request. */
  mark(): number {
    return this.sequence
  }

  record(model: Model): void {
    this.sequence += 1
    this.latest.set(model.id, { seq: this.sequence, model })
  }

  /** The model as an event pushed it after `mark`, if one did. */
  newerThan(mark: number, id: string): Model | undefined {
    const entry = this.latest.get(id)
    return entry && entry.seq > mark ? entry.model : undefined
  }

  /** Every model an event pushed after `mark`. */
  *since(mark: number): Iterable<Model> {
    for (const entry of this.latest.values()) if (entry.seq > mark) yield entry.model
  }
}

const logs = new WeakMap<QueryClient, ModelEventLog>()

/** One log per query cache, so tests and sign-outs never share one. */
export function modelEventLog(queryClient: QueryClient): ModelEventLog {
  let log = logs.get(queryClient)
  if (!log) {
    log = new ModelEventLog()
    logs.set(queryClient, log)
  }
  return log
}

/** What the server lists for a role: admins see everything, others what they may use. */
export function isVisibleTo(model: Model, role: Role): boolean {
  if (role === 'admin') return true
  return model.enabled && model.allowedRoles.includes(role) && model.hosts.length > 0
}

function byName(a: Model, b: Model): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}

/** The list with one model replaced, added in name order, or dropped when the role may not see it. */
export function upsertModel(models: readonly Model[], model: Model, role: Role): Model[] {
  const index = models.findIndex((candidate) => candidate.id === model.id)
  const visible = isVisibleTo(model, role)
  if (index >= 0) {
    const next = [...models]
    if (visible) next[index] = model
    else next.splice(index, 1)
    return next
  }
  if (!visible) return [...models]
  const next = [...models]
  const at = next.findIndex((candidate) => byName(model, candidate) < 0)
  next.splice(at < 0 ? next.length : at, 0, model)
  return next
}

/** A fetched list, corrected by the events that arrived while it was on its way. */
export function withNewerEvents(
  snapshot: readonly Model[],
  log: ModelEventLog,
  mark: number,
  role: Role,
): Model[] {
  let models = [...snapshot]
  for (const model of log.since(mark)) models = upsertModel(models, model, role)
  return models
}

/** A pushed `model.status`: recorded, then written into the cached list if there is one. */
export function applyModelEvent(queryClient: QueryClient, model: Model, role: Role): void {
  modelEventLog(queryClient).record(model)
  queryClient.setQueryData<Model[]>(modelsKey, (models) =>
    models ? upsertModel(models, model, role) : models,
  )
}

/** A pushed `model.hidden`: the caller may no longer use the model, so the list drops it. */
export function applyModelHidden(queryClient: QueryClient, modelId: string): void {
  queryClient.setQueryData<Model[]>(modelsKey, (models) =>
    models?.some((model) => model.id === modelId) ? models.filter((model) => model.id !== modelId) : models,
  )
}

/** An HTTP answer about one model, applied unless an event since `mark` already said more. */
export function applyModelSnapshot(queryClient: QueryClient, model: Model, mark: number, role: Role): void {
  if (modelEventLog(queryClient).newerThan(mark, model.id)) return
  queryClient.setQueryData<Model[]>(modelsKey, (models) =>
    models ? upsertModel(models, model, role) : models,
  )
}

function isFinished(pull: Pull): boolean {
  return pull.status !== 'running'
}

/** Pulls, newest first, with one pull's progress merged in; an older report never wins. */
export function upsertPull(pulls: readonly Pull[], pull: Pull): Pull[] {
  const index = pulls.findIndex((candidate) => candidate.id === pull.id)
  if (index < 0) {
    const next = [pull, ...pulls]
    return next.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  }
  const current = pulls[index]!
  const stale =
    (isFinished(current) && !isFinished(pull)) || (current.updatedAt > pull.updatedAt && !isFinished(pull))
  if (stale) return [...pulls]
  const next = [...pulls]
  next[index] = pull
  return next
}

export function applyPullEvent(queryClient: QueryClient, pull: Pull): void {
  queryClient.setQueryData<Pull[]>(pullsKey, (pulls) => (pulls ? upsertPull(pulls, pull) : pulls))
}

/** A fetched list of pulls, keeping any progress that events delivered while it was on its way. */
export function mergePulls(fetched: readonly Pull[], cached: readonly Pull[] | undefined): Pull[] {
  let pulls = [...fetched]
  for (const pull of cached ?? []) {
    if (pulls.some((candidate) => candidate.id === pull.id)) pulls = upsertPull(pulls, pull)
  }
  return pulls
}
