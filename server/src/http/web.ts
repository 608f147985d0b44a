// Serves the built web app: static assets, and index.html for client-side routes.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export const webDist = fileURLToPath(new URL('../../../web/dist', import.meta.url))

export async function registerWeb(app: FastifyInstance): Promise<boolean> {
  if (!fs.existsSync(`${webDist}/index.html`)) {
    app.log.warn({ webDist }, 'web app not built; run `npm run build` to serve it')
    return false
  }
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: false,
    index: false,
    maxAge: '1h',
    setHeaders: (res, filePath) => {
      if (filePath.includes('/assets/')) res.setHeader('cache-control', 'public, max-age=31536000, immutable')
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
