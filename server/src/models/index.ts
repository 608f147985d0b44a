// Assembles the LLM Manager's services and its start-up work: register the embedded engine,
// detect a local Ollama, settle state left by a previous process, and start the reconciliation loop.
import { pathToFileURL } from 'node:url'
import type { FastifyBaseLogger } from 'fastify'
import type { Registry } from 'prom-client'
import type { AuditService } from '../audit/service.js'
import type { Config } from '../config.js'
import type { Db } from '../db/index.js'
import type { SecretBox } from '../lib/secret-box.js'
import { cpuCount, defaultBudgetBytes, EmbeddedAdapter } from '../providers/embedded/index.js'
import { createAdapter } from '../providers/index.js'
import type { EventBus } from '../realtime/bus.js'
import { CatalogService } from './catalog.js'
import { ConnectionService } from './connections.js'
import { ModelControl } from './control.js'
import { ModelInvoker } from './invoker.js'
import { PullService } from './pulls.js'
import { UsageService } from './usage.js'

export interface ModelServices {
  connections: ConnectionService
  catalog: CatalogService
  control: ModelControl
  pulls: PullService
  usage: UsageService
  invoker: ModelInvoker
}

export function createModelServices(deps: {
  db: Db
  audit: AuditService
  bus: EventBus
  box: SecretBox
  registry: Registry
  log: FastifyBaseLogger
}): ModelServices {
  const connections = new ConnectionService(deps.db, deps.audit, deps.box)
  const catalog = new CatalogService(deps.db, deps.bus)
  const control = new ModelControl(deps.db, connections, catalog, deps.log)
  const usage = new UsageService(deps.db, deps.registry)
  const pulls = new PullService(
    deps.db,
    connections,
    catalog,
    deps.bus,
    async (providerId) => control.syncProvider(await connections.get(providerId)),
    deps.log,
  )
  const invoker = new ModelInvoker(deps.db, connections, catalog, usage)
  return { connections, catalog, control, pulls, usage, invoker }
}

export async function startModelServices(services: ModelServices, config: Config, log: FastifyBaseLogger) {
  await services.catalog.resetTransitional()
  await services.pulls.failInterrupted()
  if (config.embedded) await startEmbedded(services, config, log)
  if (config.ollamaHost !== 'off') await detectOllama(services, config.ollamaHost, log)
  services.control.startLoop(config.reconcileIntervalMs)
  if (config.reconcileIntervalMs > 0) {
    services.control
      .reconcileNow()
      .catch((error: unknown) => log.warn({ err: error }, 'first reconciliation failed'))
  }
}

export async function stopModelServices(services: ModelServices): Promise<void> {
  await services.control.stopLoop()
  await services.connections.closeEmbedded()
}

/** The embedded engine's provider exists from the first start (an admin may disable it). The
 * engine itself (node-llama-cpp) is only imported when a model file is first looked at. */
async function startEmbedded(services: ModelServices, config: Config, log: FastifyBaseLogger): Promise<void> {
  const existing = (await services.connections.list()).find((p) => p.kind === 'embedded')
  const resync = (providerId: string) => {
    services.connections
      .get(providerId)
      .then((provider) => services.control.syncProvider(provider))
      .catch((error: unknown) => log.warn({ err: error }, 'embedded engine sync failed'))
  }
  let providerId = existing?.id ?? null
  const adapter = new EmbeddedAdapter({
    modelsDir: config.embeddedModelsDir,
    budgetBytes: config.embeddedMemoryBudgetMb
      ? config.embeddedMemoryBudgetMb * 1024 * 1024
      : defaultBudgetBytes(),
    onBudget: config.embeddedOnBudget,
    threads: config.embeddedThreads ?? cpuCount(),
    contextSize: config.embeddedContextSize,
    gpu: config.embeddedGpu,
    log: (level, message) => log[level]({ engine: 'llama.cpp' }, message),
    onChange: () => {
      if (providerId) resync(providerId)
    },
  })
  if (config.embeddedThreads && config.embeddedThreads > cpuCount()) {
    log.warn(
      { threads: config.embeddedThreads, cores: cpuCount() },
      'embedded engine threads capped at the core count',
    )
  }
  services.connections.useEmbedded(adapter)
  await adapter.store.ensure()
  if (existing) return
  const name = (await services.connections.list()).some((p) => p.name === 'Embedded engine')
    ? 'Embedded engine (llama.cpp)'
    : 'Embedded engine'
  const baseUrl = pathToFileURL(config.embeddedModelsDir).href
  try {
    const actor = { id: null, ip: null }
    providerId = (await services.connections.create({ name, kind: 'embedded', baseUrl }, actor)).id
    log.info({ modelsDir: config.embeddedModelsDir }, 'registered the embedded engine')
  } catch (error) {
    // Another server process sharing this database may have registered it first.
    const raced = (await services.connections.list()).find((p) => p.kind === 'embedded')
    if (!raced) throw error
    providerId = raced.id
  }
}

async function detectOllama(services: ModelServices, url: string, log: FastifyBaseLogger): Promise<void> {
  const existing = await services.connections.list()
  const baseUrl = url.replace(/\/+$/, '')
  if (existing.some((p) => p.kind === 'ollama' && p.base_url === baseUrl)) return
  const health = await createAdapter({ kind: 'ollama', baseUrl }).health()
  if (!health.ok) {
    log.info({ url: baseUrl }, 'no Ollama answering; connect one on the Providers page')
    return
  }
  const name = existing.some((p) => p.name === 'Local Ollama') ? `Ollama ${baseUrl}` : 'Local Ollama'
  await services.connections.create({ name, kind: 'ollama', baseUrl }, { id: null, ip: null })
  log.info({ url: baseUrl }, 'registered the local Ollama')
}
