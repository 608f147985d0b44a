// The gateway module's public face: its services (model ids, limits, completions, embeddings)
// and its two route plugins — the OpenAI-compatible API under /v1 and its settings under /api/v1.
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { Db } from '../db/index.js'
import type { ModelServices } from '../models/index.js'
import type { EventBus } from '../realtime/bus.js'
import { ChatCompletions } from './completions.js'
import { ModelDirectory } from './directory.js'
import { Embeddings } from './embeddings.js'
import { LimitStore } from './limits.js'
import { GatewayQuota } from './quota.js'
import { UsageSums } from './usage-queries.js'

export { gatewayApiRoutes } from './api-routes.js'
export { gatewayRoutes } from './v1-routes.js'

export interface GatewayServices {
  directory: ModelDirectory
  limits: LimitStore
  quota: GatewayQuota
  completions: ChatCompletions
  embeddings: Embeddings
}

export function createGatewayServices(deps: {
  db: Db
  models: ModelServices
  bus: EventBus
  redis?: Redis
  log: FastifyBaseLogger
}): GatewayServices {
  const { catalog, invoker, connections, usage } = deps.models
  const directory = new ModelDirectory(catalog)
  // The catalog announces every change it makes; ids are rebuilt on the next call.
  catalog.onModelChanged(() => directory.invalidate())
  const limits = new LimitStore(deps.db, deps.bus)
  const quota = new GatewayQuota(limits, new UsageSums(deps.db), deps.redis)
  return {
    directory,
    limits,
    quota,
    completions: new ChatCompletions({ invoker, catalog, directory, quota, log: deps.log }),
    embeddings: new Embeddings({ invoker, connections, usage }),
  }
}
