// Builds the Fastify application: infrastructure plugins first (errors, security, docs,
// metrics, auth), then services, then feature routes. Listening and shutdown live in server.ts.
import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { Redis } from 'ioredis'
import { adminRoutes } from './admin/routes.js'
import { SettingsService } from './admin/settings.js'
import { UserAdminService } from './admin/users.js'
import { auditRoutes } from './audit/routes.js'
import { AuditService } from './audit/service.js'
import { apiKeyRoutes } from './auth/api-key-routes.js'
import { ApiKeyService } from './auth/api-keys.js'
import { authGuard } from './auth/guard.js'
import { meRoutes } from './auth/me-routes.js'
import { RateLimits } from './auth/rate-limits.js'
import { authRoutes } from './auth/routes.js'
import { AuthService } from './auth/service.js'
import { AccessTokens } from './auth/tokens.js'
import { type ChatServices, createChatServices } from './chat/index.js'
import { chatRoutes } from './chat/routes.js'
import type { Config } from './config.js'
import { type Db, type Dialect, openDb, ping } from './db/index.js'
import { migrateToLatest } from './db/migrate.js'
import {
  createGatewayServices,
  type GatewayServices,
  gatewayApiRoutes,
  gatewayRoutes,
} from './gateway/index.js'
import { frameworkError, registerErrorHandling } from './http/errors.js'
import { registerJsonParser } from './http/json-body.js'
import { createRegistry, registerMetrics } from './http/metrics.js'
import { registerPages } from './http/pages.js'
import { registerSecurity } from './http/security.js'
import { registerWeb } from './http/web.js'
import { newId } from './lib/ids.js'
import { deriveKey, loadOrCreateSecret } from './lib/secret.js'
import { SecretBox } from './lib/secret-box.js'
import {
  createModelServices,
  type ModelServices,
  startModelServices,
  stopModelServices,
} from './models/index.js'
import { modelRoutes } from './models/routes.js'
import { createBus, type EventBus } from './realtime/bus.js'
import { RealtimeHub } from './realtime/hub.js'
import { realtimeRoutes } from './realtime/routes.js'

export interface Services extends ModelServices {
  db: Db
  dialect: Dialect
  audit: AuditService
  settings: SettingsService
  auth: AuthService
  apiKeys: ApiKeyService
  users: UserAdminService
  rateLimits: RateLimits
  bus: EventBus
  hub: RealtimeHub
  chat: ChatServices
  gateway: GatewayServices
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
    config: Config
  }
}

const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
  '*.key',
]

export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: redactedPaths, censor: '[redacted]' } },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy ? config.trustProxy.split(',').map((s) => s.trim()) : false,
    requestIdHeader: false,
    genReqId: () => newId(),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true },
    forceCloseConnections: false,
    frameworkErrors: frameworkError,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)

  const handle = openDb(config, (error) => app.log.warn({ err: error }, 'idle database connection failed'))
  await migrateToLatest(handle.db)
  const secret = loadOrCreateSecret(config.dataDir, config.secret)
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 3 }) : undefined
  const bus = await createBus(config.redisUrl)
  const audit = new AuditService(handle.db, handle.dialect, deriveKey(secret, 'audit'))
  const settings = new SettingsService(handle.db)
  const apiKeys = new ApiKeyService(handle.db, audit, bus)
  const tokens = new AccessTokens(deriveKey(secret, 'jwt'), config.accessTokenTtlSeconds)
  const auth = new AuthService(handle.db, audit, settings, bus, tokens, config.refreshTokenTtlDays)
  const registry = createRegistry()
  const models = createModelServices({
    db: handle.db,
    audit,
    bus,
    box: new SecretBox(deriveKey(secret, 'provider-keys')),
    registry,
    log: app.log,
  })
  const chat = createChatServices({
    db: handle.db,
    dialect: handle.dialect,
    audit,
    settings,
    bus,
    log: app.log,
    models,
    maxConcurrentGenerations: config.chatMaxConcurrentGenerations,
  })
  const services: Services = {
    ...models,
    db: handle.db,
    dialect: handle.dialect,
    audit,
    settings,
    auth,
    apiKeys,
    users: new UserAdminService(handle.db, audit, auth, apiKeys, bus),
    rateLimits: new RateLimits(config, redis),
    bus,
    hub: new RealtimeHub(bus, app.log),
    chat,
    gateway: createGatewayServices({ db: handle.db, models, bus, redis, log: app.log }),
  }
  app.decorate('services', services)
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.decorate('config', config)
  app.addHook('onReady', async () => {
    await startModelServices(models, config, app.log)
    await chat.start()
  })
  // Before the server stops listening: running replies are kept as `interrupted`, and open
  // event streams end (they would otherwise hold the server open).
  app.addHook('preClose', async () => {
    await chat.close()
  })
  app.addHook('onClose', async () => {
    await stopModelServices(models)
    services.hub.close()
    await bus.close()
    redis?.disconnect()
    await handle.destroy()
  })

  const serveApp = config.serveWeb && (await registerWeb(app))
  registerErrorHandling(app, { serveApp })
  registerJsonParser(app)
  await registerSecurity(app, config.allowedOrigins)
  await app.register(cookie)
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } })
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Web+ API', version: '0.1.0', description: 'LLM Manager, Chat and Code Factory' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Access token or wp_ API key' },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger())
  registerMetrics(app, registry)
  await app.register(authGuard)
  if (serveApp) await registerPages(app)

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ping(handle.db)
      return { status: 'ready' }
    } catch (error) {
      app.log.warn({ err: error }, 'database not reachable')
      return reply.code(503).type('application/problem+json').send({
        type: 'https://webplus.dev/problems/not-ready',
        title: 'Service Unavailable',
        status: 503,
        detail: 'The database is not reachable',
      })
    }
  })

  await app.register(
    async (api) => {
      await api.register(authRoutes)
      await api.register(meRoutes)
      await api.register(apiKeyRoutes)
      await api.register(adminRoutes)
      await api.register(auditRoutes)
      await api.register(realtimeRoutes)
      await api.register(modelRoutes)
      await api.register(chatRoutes)
      await api.register(gatewayApiRoutes)
    },
    { prefix: '/api/v1' },
  )
  await app.register(gatewayRoutes, { prefix: '/v1' })
  return app
}
