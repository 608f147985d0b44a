// Security headers (CSP without inline scripts but the web app's own, allowed by their hashes;
// nosniff, no framing, no referrer leaks) and CORS, which stays closed unless origins are
// configured. The headers are the same on every response, so helmet runs once at start-up
// rather than on each request.
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import helmet from 'helmet'
import { builtFile } from './web.js'

/**
 * CSP sources for the inline scripts of the built app's index.html (the theme, applied before
 * the first paint): each allowed by the SHA-256 of its text, so no other inline script runs.
 */
export function inlineScriptSources(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, code]) =>
      `'sha256-${createHash('sha256')
        .update(code ?? '')
        .digest('base64')}'`,
  )
}

const policy = (inlineScripts: string[]) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...inlineScripts],
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

/** The headers helmet sets, collected from one run against a response that only records them. */
function securityHeaders(inlineScripts: string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = String(value)
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()]
    },
  }
  policy(inlineScripts)({} as never, recorder as unknown as ServerResponse, () => undefined)
  return headers
}

export async function registerSecurity(app: FastifyInstance, allowedOrigins: string[]): Promise<void> {
  const headers = securityHeaders(inlineScriptSources(builtFile('/index.html') ?? ''))
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers)
    done()
  })
  if (allowedOrigins.length > 0) {
    await app.register(cors, { origin: allowedOrigins, credentials: true })
  }
}
