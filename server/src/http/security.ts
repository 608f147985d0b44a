// Security headers (CSP without inline scripts, nosniff, no framing, no referrer leaks) and
// CORS, which stays closed unless origins are configured.
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'

export async function registerSecurity(app: FastifyInstance, allowedOrigins: string[]): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        // https: so that a remote image in a chat reply loads once the reader clicks for it (the
        // renderer never loads one by itself); plain http and other schemes stay blocked.
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        workerSrc: ["'self'", 'blob:'],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
  })
  if (allowedOrigins.length > 0) {
    await app.register(cors, { origin: allowedOrigins, credentials: true })
  }
}
