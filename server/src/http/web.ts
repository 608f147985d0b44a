// Serves the built web app: static assets, and index.html for client-side routes.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export const webDist = fileURLToPath(new URL('../../../web/dist', import.meta.url))

/** A file of the built web app (`/index.html`, `/assets/…`) as text, or null when it is not there. */
export function builtFile(path: string): string | null {
  try {
    return fs.readFileSync(`${webDist}${path}`, 'utf8')
  } catch {
    return null
  }
}

export async function registerWeb(app: FastifyInstance): Promise<boolean> {
  if (!fs.existsSync(`${webDist}/index.html`)) {
    app.log.warn({ webDist }, 'web app not built; run `npm run build` to serve it')
    return false
  }
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    index: false,
    // The build writes brotli and gzip copies beside each file; the one the browser accepts is
    // sent, else the file itself.
    preCompressed: true,
    // Cache-Control is set here alone: `send` would otherwise replace it with its own.
    cacheControl: false,
    setHeaders: (res, filePath) => {
      res.setHeader('vary', 'accept-encoding')
      // Hashed file names: a changed file is a new name, so these never need checking again.
      res.setHeader(
        'cache-control',
        filePath.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
      )
    },
  })
  return true
}

/** Whether a not-found GET should get the app's index.html (a client-side route). */
export function isAppRoute(method: string, url: string, accept: string | undefined): boolean {
  return (
    (method === 'GET' || method === 'HEAD') &&
    !url.startsWith('/api/') &&
    !url.startsWith('/v1/') &&
    (accept ?? '').includes('text/html')
  )
}
