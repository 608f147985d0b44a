// Pure helpers behind the Models page: grouping by host, search and status filters, and the
// short texts a row shows (expiry, keep-alive choices).
import { formatDuration } from '@/lib/format'
import type { Model, ModelHost, ModelStatus } from '../types'

export interface ModelGroup {
  key: string
  label: string
  models: Model[]
}

const NO_HOST = 'Not on any host'

/** Models grouped by the hosts that have them; a model on several hosts appears once, in the
 * group of exactly that set of hosts. Groups are in name order, host-less models last. */
export function groupModels(models: readonly Model[]): ModelGroup[] {
  const groups = new Map<string, ModelGroup>()
  for (const model of models) {
    const hosts = [...model.hosts].sort((a, b) => a.providerName.localeCompare(b.providerName))
    const key = hosts.map((host) => host.providerId).join('+') || '-'
    let group = groups.get(key)
    if (!group) {
      group = { key, label: hosts.map((host) => host.providerName).join(' + ') || NO_HOST, models: [] }
      groups.set(key, group)
    }
    group.models.push(model)
  }
  return [...groups.values()].sort((a, b) => {
    if (a.key === '-' || b.key === '-') return a.key === '-' ? 1 : -1
    return a.label.localeCompare(b.label)
  })
}

export type StatusFilter = 'all' | ModelStatus

interface SearchText {
  /** Name, display name, family, size and quantization: matched anywhere ("3.2" finds llama3.2). */
  text: string
  /** Capabilities and host names, word by word: matched from a word's start, so "llama" does
   * not find every model on a host called "Local Ollama". */
  words: string[]
}

const searchTexts = new WeakMap<Model, SearchText>()

function searchText(model: Model): SearchText {
  let entry = searchTexts.get(model)
  if (!entry) {
    entry = {
      text: [model.name, model.displayName, model.family, model.parameterSize, model.quantization]
        .filter(Boolean)
        .join(' ')
        .toLowerCase(),
      words: [...model.capabilities, ...model.hosts.map((host) => host.providerName)]
        .join(' ')
        .toLowerCase()
        .split(/\s+/)
        .filter(Boolean),
    }
    searchTexts.set(model, entry)
  }
  return entry
}

function matches(model: Model, word: string): boolean {
  const { text, words } = searchText(model)
  return text.includes(word) || words.some((candidate) => candidate.startsWith(word))
}

/** Models whose name, family, host or capabilities contain every word of the search. */
export function filterModels(
  models: readonly Model[],
  { search, status }: { search: string; status: StatusFilter },
): Model[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean)
  return models.filter(
    (model) => (status === 'all' || model.status === status) && words.every((word) => matches(model, word)),
  )
}

export function countByStatus(models: readonly Model[]): Partial<Record<ModelStatus, number>> {
  const counts: Partial<Record<ModelStatus, number>> = {}
  for (const model of models) counts[model.status] = (counts[model.status] ?? 0) + 1
  return counts
}

const FOREVER_MS = 365 * 24 * 3600 * 1000

/** When a loaded model leaves memory: "expires in 4 min", or null when that is not known. */
export function describeExpiry(expiresAt: string | null, now: number): string | null {
  if (!expiresAt) return null
  const left = new Date(expiresAt).getTime() - now
  if (Number.isNaN(left)) return null
  if (left > FOREVER_MS) return 'until stopped'
  if (left <= 0) return 'expiring now'
  return `expires in ${formatDuration(left)}`
}

export const KEEP_ALIVE_CHOICES = [
  { value: '5m', label: '5 minutes' },
  { value: '30m', label: '30 minutes' },
  { value: '1h', label: '1 hour' },
  { value: '-1', label: 'Until stopped' },
] as const

/** The host a row's Stop acts on, and whether the model is loaded (or loading) anywhere. */
export function loadedHost(model: Model): ModelHost | undefined {
  return model.hosts.find((host) => host.status === 'loaded' || host.status === 'loading')
}

/** The reason a model is in error, from the first host that reports one. */
export function errorReason(model: Model): string | null {
  return model.hosts.find((host) => host.error)?.error ?? null
}
