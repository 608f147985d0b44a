// Provider connections (admin): CRUD with API keys sealed at rest and never returned, a
// connection test, and the adapter for each connection.
import type { AuditService } from '../audit/service.js'
import type { Db } from '../db/index.js'
import type { Provider, ProviderKind } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { badRequest, cleanMessage, conflict, notFound } from '../lib/problem.js'
import type { SecretBox } from '../lib/secret-box.js'
import type { EmbeddedAdapter } from '../providers/embedded/index.js'
import { createAdapter } from '../providers/index.js'
import type { ProviderAdapter } from '../providers/types.js'

export interface PublicProvider {
  id: string
  name: string
  kind: ProviderKind
  baseUrl: string
  apiKey: { set: boolean; last4: string | null }
  enabled: boolean
  status: Provider['status']
  lastError: string | null
  latencyMs: number | null
  checkedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface ProviderInput {
  name: string
  kind: ProviderKind
  baseUrl: string
  apiKey?: string | null
  enabled?: boolean
}

export interface Actor {
  id: string | null
  ip: string | null
}

export function toPublicProvider(p: Provider): PublicProvider {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    baseUrl: p.base_url,
    apiKey: { set: p.api_key_sealed !== null, last4: p.api_key_last4 },
    enabled: p.enabled === 1,
    status: p.status,
    lastError: p.last_error,
    latencyMs: p.latency_ms,
    checkedAt: p.checked_at,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
  }
}

const defaultBaseUrls: Partial<Record<ProviderKind, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
}

export class ConnectionService {
  private readonly adapters = new Map<string, { updatedAt: string; adapter: ProviderAdapter }>()
  /** The one embedded engine of this process, set at start-up when it is enabled. */
  private embedded: EmbeddedAdapter | null = null

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly box: SecretBox,
  ) {}

  async list(): Promise<Provider[]> {
    return this.db.selectFrom('providers').selectAll().orderBy('name').execute()
  }

  async get(id: string): Promise<Provider> {
    const provider = await this.db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst()
    if (!provider) throw notFound('Provider')
    return provider
  }

  async create(input: ProviderInput, actor: Actor): Promise<Provider> {
    const now = nowIso()
    // The embedded engine's "address" is its models folder (a file: URL), set by the server.
    const baseUrl =
      input.kind === 'embedded'
        ? input.baseUrl
        : normalizeBaseUrl(input.baseUrl || defaultBaseUrls[input.kind] || '')
    await this.ensureUniqueName(input.name)
    const provider = await this.db
      .insertInto('providers')
      .values({
        id: newId(),
        name: input.name,
        kind: input.kind,
        base_url: baseUrl,
        api_key_sealed: input.apiKey ? this.box.seal(input.apiKey) : null,
        api_key_last4: input.apiKey ? input.apiKey.slice(-4) : null,
        enabled: input.enabled === false ? 0 : 1,
        status: 'unknown',
        last_error: null,
        latency_ms: null,
        checked_at: null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await this.audit.record({
      action: 'provider.create',
      actorId: actor.id,
      actorIp: actor.ip,
      targetType: 'provider',
      targetId: provider.id,
      details: { name: provider.name, kind: provider.kind, baseUrl },
    })
    return provider
  }

  /** Changing the base URL requires the key again, so a key is never sent to a new host. */
  async update(id: string, patch: Partial<Omit<ProviderInput, 'kind'>>, actor: Actor): Promise<Provider> {
    const current = await this.get(id)
    const changes: Partial<Provider> = { updated_at: nowIso() }
    if (patch.name !== undefined && patch.name !== current.name) {
      await this.ensureUniqueName(patch.name)
      changes.name = patch.name
    }
    if (current.kind === 'embedded' && patch.baseUrl !== undefined && patch.baseUrl !== current.base_url) {
      throw badRequest('The embedded engine uses the models folder set by WEBPLUS_EMBEDDED_MODELS_DIR')
    }
    if (patch.baseUrl !== undefined && current.kind !== 'embedded') {
      const baseUrl = normalizeBaseUrl(patch.baseUrl || defaultBaseUrls[current.kind] || '')
      if (baseUrl !== current.base_url) {
        if (current.api_key_sealed && patch.apiKey === undefined) {
          throw badRequest('Changing the base URL requires entering the API key again', [
            { field: 'apiKey', message: 'is required when baseUrl changes' },
          ])
        }
        changes.base_url = baseUrl
      }
    }
    if (patch.apiKey !== undefined) {
      changes.api_key_sealed = patch.apiKey ? this.box.seal(patch.apiKey) : null
      changes.api_key_last4 = patch.apiKey ? patch.apiKey.slice(-4) : null
    }
    if (patch.enabled !== undefined) changes.enabled = patch.enabled ? 1 : 0
    const provider = await this.db
      .updateTable('providers')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // A disabled embedded engine gives its memory back.
    if (provider.kind === 'embedded' && provider.enabled === 0) await this.embedded?.close()
    await this.audit.record({
      action: 'provider.update',
      actorId: actor.id,
      actorIp: actor.ip,
      targetType: 'provider',
      targetId: id,
      details: { fields: Object.keys(patch) },
    })
    return provider
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.get(id)
    await this.db.deleteFrom('providers').where('id', '=', id).execute()
    this.adapters.delete(id)
    await this.audit.record({
      action: 'provider.delete',
      actorId: actor.id,
      actorIp: actor.ip,
      targetType: 'provider',
      targetId: id,
    })
  }

  useEmbedded(adapter: EmbeddedAdapter): void {
    this.embedded = adapter
  }

  /** Frees the embedded engine's loaded models (server shutdown). */
  async closeEmbedded(): Promise<void> {
    await this.embedded?.close()
  }

  /** The embedded engine, for what only it can do (imports, engine status). */
  embeddedEngine(): EmbeddedAdapter {
    if (!this.embedded)
      throw badRequest('The embedded engine is turned off on this server (WEBPLUS_EMBEDDED)')
    return this.embedded
  }

  /** The adapter for a connection, rebuilt when the connection changes. */
  adapterFor(provider: Provider): ProviderAdapter {
    if (provider.kind === 'embedded') return this.embeddedEngine()
    const cached = this.adapters.get(provider.id)
    if (cached && cached.updatedAt === provider.updated_at) return cached.adapter
    const adapter = createAdapter({
      kind: provider.kind,
      baseUrl: provider.base_url,
      apiKey: provider.api_key_sealed ? this.box.open(provider.api_key_sealed) : undefined,
    })
    this.adapters.set(provider.id, { updatedAt: provider.updated_at, adapter })
    return adapter
  }

  /** Probes a connection and stores the outcome; returns latency or the error text. */
  async test(id: string): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const provider = await this.get(id)
    const health = await this.adapterFor(provider).health()
    await this.markHealth(id, health.ok, health.latencyMs, health.error ?? null)
    return {
      ok: health.ok,
      latencyMs: health.latencyMs,
      ...(health.error ? { error: cleanMessage(health.error) } : {}),
    }
  }

  async markHealth(id: string, ok: boolean, latencyMs: number | null, error: string | null): Promise<void> {
    await this.db
      .updateTable('providers')
      .set({
        status: ok ? 'ok' : 'unreachable',
        latency_ms: latencyMs === null ? null : Math.round(latencyMs),
        last_error: error,
        checked_at: nowIso(),
      })
      .where('id', '=', id)
      .execute()
  }

  private async ensureUniqueName(name: string): Promise<void> {
    const existing = await this.db
      .selectFrom('providers')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst()
    if (existing) throw conflict(`A provider named "${name}" already exists`)
  }
}

function normalizeBaseUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw badRequest('baseUrl must be an absolute http(s) URL', [
      { field: 'baseUrl', message: 'is not a URL' },
    ])
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw badRequest('baseUrl must use http or https', [{ field: 'baseUrl', message: 'must be http(s)' }])
  }
  return parsed.toString().replace(/\/+$/, '')
}
