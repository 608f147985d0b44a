// Server-rendered conversation pages. A request for `/chat/:id` that carries a valid page
// cookie (see auth/routes.ts) gets the app's HTML with the page already rendered in it, by the
// web app's own components (its SSR build, `web/dist-ssr`), and the data that render used, so
// the browser paints the conversation before any script has run and the app then hydrates it.
// The data comes from the API itself, called in-process with a short-lived access token of the
// cookie's session: the same routes, checks and limits as the browser's own requests.
// Without the cookie (or the build, or when rendering fails) the page is the plain app shell.
import fs from 'node:fs'
import { PassThrough, type Transform } from 'node:stream'
import { fileURLToPath, pathToFileURL } from 'node:url'
import zlib from 'node:zlib'
import negotiate from '@fastify/accept-negotiator'
import type { FastifyInstance, FastifyReply, FastifyRequest, InjectOptions } from 'fastify'
import { PAGE_COOKIE } from '../auth/routes.js'
import type { PublicUser } from '../auth/service.js'
import { builtFile, webDist } from './web.js'

const ssrEntry = fileURLToPath(new URL('../../../web/dist-ssr/entry-server.js', import.meta.url))

/** What the web app's SSR entry (`web/src/entry-server.tsx`) takes and gives. */
interface PageRenderInput {
  url: string
  tokens: { accessToken: string; tokenType: 'Bearer'; expiresIn: number; user: PublicUser }
  fetch: typeof fetch
}
interface RenderedPage {
  html: string
  state: unknown
}
interface PageRenderer {
  render(input: PageRenderInput): Promise<RenderedPage | null>
}

const ROOT = '<div id="root"></div>'
const STYLESHEET = /<link rel="stylesheet"[^>]*? href="(\/assets\/[^"]+\.css)"[^>]*>/g

/**
 * The head of a rendered page: the app's style sheets inline, so that the first paint waits for
 * the page alone and not for a second request (which the server would answer only after the
 * page). Their ~50 KB cost a rendered page about 9 KB more once compressed. A sheet that could
 * not be moved as is (relative `url()`s, or text that would end the element) stays a link.
 */
export function inlineStyles(head: string, readAsset: (path: string) => string | null): string {
  return head.replace(STYLESHEET, (link, href: string) => {
    const css = readAsset(href)
    if (css === null || /<\/style|url\(\s*['"]?(?!data:|https?:|\/)/i.test(css)) return link
    return `<style>${css}</style>`
  })
}
/** Where web/src/app/page-state.ts looks for the page's state. */
const PAGE_STATE_ID = 'webplus-page-state'

/** JSON inside a <script> element: nothing in it may close the element or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

/** `fetch` answered by the server itself (no socket): the API client of the render calls it. */
function inProcessFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const response = await app.inject({
      method: (init?.method ?? 'GET') as InjectOptions['method'],
      url,
      headers: Object.fromEntries(new Headers(init?.headers)),
      payload: typeof init?.body === 'string' ? init.body : undefined,
    })
    const headers = new Headers()
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value))
    }
    const empty = response.statusCode === 204 || response.statusCode === 304
    return new Response(empty ? null : new Uint8Array(response.rawPayload), {
      status: response.statusCode,
      headers,
    })
  }
}

/**
 * The body of a rendered page, compressed as the browser accepts (a conversation's page is
 * about 100 KB of HTML and data, a sixth of that compressed). Each write is flushed at once, so
 * the head still goes out before the body is rendered. Fast settings: this runs per request.
 */
function pageBody(request: FastifyRequest, reply: FastifyReply): Transform {
  const encoding = negotiate(request.headers['accept-encoding'] ?? '', ['br', 'gzip'])
  if (encoding) reply.header('content-encoding', encoding)
  if (encoding === 'br') {
    return zlib.createBrotliCompress({
      flush: zlib.constants.BROTLI_OPERATION_FLUSH,
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
    })
  }
  if (encoding === 'gzip') return zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH, level: 6 })
  return new PassThrough()
}

type PageSession = NonNullable<Awaited<ReturnType<typeof pageSession>>>

/** The session of the page cookie, if it is a live one. */
async function pageSession(app: FastifyInstance, request: FastifyRequest) {
  const token = request.cookies[PAGE_COOKIE]
  return token ? app.services.auth.authenticatePageToken(token) : null
}

export async function registerPages(app: FastifyInstance): Promise<void> {
  const template = fs.readFileSync(`${webDist}/index.html`, 'utf8')
  if (!template.includes(ROOT)) throw new Error(`web/dist/index.html has no ${ROOT}`)
  const renderer = fs.existsSync(ssrEntry)
    ? ((await import(pathToFileURL(ssrEntry).href)) as PageRenderer)
    : null
  if (!renderer)
    app.log.warn({ ssrEntry }, 'web app built without its SSR entry; pages render in the browser')
  const fetchInProcess = inProcessFetch(app)

  const [head = '', tail = ''] = template.split(ROOT)
  const renderedHead = inlineStyles(head, builtFile)

  /** The root element with the page rendered in it and its state, or null when not rendered. */
  async function renderRoot(request: FastifyRequest, session: PageSession): Promise<string | null> {
    if (!renderer) return null
    try {
      const tokens = await app.services.auth.accessTokenFor(session.user, session.sessionId)
      const page = await renderer.render({
        url: request.url,
        tokens: { ...tokens, tokenType: 'Bearer' },
        fetch: fetchInProcess,
      })
      if (!page) return null
      return `<div id="root">${page.html}</div><script type="application/json" id="${PAGE_STATE_ID}">${scriptJson(page.state)}</script>`
    } catch (error) {
      request.log.warn({ err: error }, 'could not render the page on the server; sending the app shell')
      return null
    }
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // Not a browser asking for a page: answered as any unknown address is.
    if (!(request.headers.accept ?? '').includes('text/html')) return reply.callNotFound()
    reply.header('vary', 'cookie, accept-encoding').type('text/html; charset=utf-8')
    const session = renderer
      ? await pageSession(app, request).catch((error: unknown) => {
          request.log.warn({ err: error }, 'could not check the page cookie; sending the app shell')
          return null
        })
      : null
    if (!session) return reply.header('cache-control', 'no-cache').send(template)
    // The page is one user's: never kept by a shared cache. Its head goes out at once, so the
    // browser fetches the styles and scripts while the server renders the body.
    reply.header('cache-control', 'private, no-store')
    const body = pageBody(request, reply)
    reply.send(body)
    body.write(renderedHead)
    body.end(((await renderRoot(request, session)) ?? ROOT) + tail)
    return reply
  }
  app.get('/chat/:conversationId', { schema: { hide: true } }, handler)
}
