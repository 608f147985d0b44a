// Assembles the chat services and their lifecycle: at start-up, replies no process is writing any
// more become `interrupted`; at shutdown, running replies are stopped (kept as `interrupted`) and
// open event streams are ended.
import type { FastifyBaseLogger } from 'fastify'
import type { SettingsService } from '../admin/settings.js'
import type { AuditService } from '../audit/service.js'
import type { Db, Dialect } from '../db/index.js'
import type { ModelServices } from '../models/index.js'
import type { EventBus } from '../realtime/bus.js'
import { AutoTitler } from './auto-title.js'
import { ConversationService } from './conversations.js'
import { ChatExporter } from './export.js'
import { markInterrupted } from './generation-store.js'
import { GenerationRunner } from './generations.js'
import { ChatLimits } from './limits.js'
import { MessageService } from './messages.js'
import { PresetService } from './presets.js'
import { type SearchHit, searchChats } from './search.js'
import { EventStreams } from './sse.js'

export interface ChatServices {
  conversations: ConversationService
  messages: MessageService
  presets: PresetService
  runner: GenerationRunner
  exporter: ChatExporter
  streams: EventStreams
  search(userId: string, query: string, limit: number): Promise<SearchHit[]>
  start(): Promise<void>
  close(): Promise<void>
}

export interface ChatDeps {
  db: Db
  dialect: Dialect
  audit: AuditService
  settings: SettingsService
  bus: EventBus
  log: FastifyBaseLogger
  models: ModelServices
  maxConcurrentGenerations: number
}

export function createChatServices(deps: ChatDeps): ChatServices {
  const { db, audit, bus, log, models } = deps
  let titler: AutoTitler | undefined
  const runner = new GenerationRunner({
    db,
    invoker: models.invoker,
    bus,
    log,
    maxPerUser: deps.maxConcurrentGenerations,
    onFinished: (spec, outcome) => titler?.afterReply(spec, outcome),
  })
  const presets = new PresetService(db, models.invoker)
  const conversations = new ConversationService(db, audit, presets, models.invoker, runner)
  titler = new AutoTitler({ db, invoker: models.invoker, conversations, bus, log })
  const messages = new MessageService({
    db,
    conversations,
    runner,
    limits: new ChatLimits(deps.settings, models.usage),
    invoker: models.invoker,
    catalog: models.catalog,
    audit,
  })
  const streams = new EventStreams()
  const closingTitler = titler
  return {
    conversations,
    messages,
    presets,
    runner,
    exporter: new ChatExporter(db, conversations),
    streams,
    search: (userId, query, limit) => searchChats(db, deps.dialect, userId, query, limit),
    async start() {
      const count = await markInterrupted(db)
      if (count > 0) log.info({ count }, 'replies left streaming by a previous process are now interrupted')
    },
    async close() {
      await runner.shutdown()
      await closingTitler.close()
      streams.endAll()
    },
  }
}
