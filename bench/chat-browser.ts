// First paint of the 10,000-message conversation in headless Chromium (playwright-core driving
// /usr/bin/chromium, as the e2e tests do), against the built web app served by Web+. Each run
// signs in through the API (not timed), then navigates to /chat/:id; the page itself records,
// on its own clock (0 = navigation start), when the first message element enters the DOM and the
// end of the frame that first shows it (requestAnimationFrame, then a task after that frame).
// The signed-in browser gets the page rendered by the server (the conversation is in its HTML);
// the app's code loads after that paint and takes the page over ("app running": the thread has
// become the app's virtual list).
// "Cold" runs use a fresh browser context (empty HTTP cache: every script is fetched, parsed and
// compiled); "warm" runs navigate again in the same context (scripts from the HTTP cache).
import fs from 'node:fs'
import path from 'node:path'
import { type BrowserContext, chromium } from 'playwright-core'
import { here, type ServerInfo, type Spread, spread } from './chat-kit.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export interface PaintRun {
  /** Message element in the DOM. */
  inserted: number
  /** The frame that shows it has been produced. */
  painted: number
  /** First contentful paint of the page (anything, e.g. the app shell). */
  fcp: number
  /** When the conversation's API response had arrived (-1: none, the HTML carried it). */
  apiEnd: number
  /** When the app had taken the page over (its virtual list of messages in place). */
  running: number
  /** When the HTML document had arrived. */
  htmlEnd: number
}

export interface PaintFigures {
  cold: Record<keyof PaintRun, Spread>
  warm: Record<keyof PaintRun, Spread>
  scriptKb: number
}

const RECORDER = `(() => {
  const record = () => {
    if (window.__firstMessage) return
    const el = document.querySelector('[data-testid="user-message"], [data-testid="assistant-message"]')
    if (!el) return
    observer.disconnect()
    const inserted = performance.now()
    window.__firstMessage = { inserted, painted: -1 }
    requestAnimationFrame(() => setTimeout(() => { window.__firstMessage.painted = performance.now() }, 0))
  }
  const observer = new MutationObserver(record)
  observer.observe(document, { childList: true, subtree: true })
  const running = new MutationObserver(() => {
    if (!document.querySelector('[data-testid="thread"] li.absolute')) return
    running.disconnect()
    window.__appRunning = performance.now()
  })
  running.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] })
})()`

declare global {
  interface Window {
    __firstMessage?: { inserted: number; painted: number }
    __appRunning?: number
  }
}

/** Bytes of JavaScript a cold load of the chat page fetches (recorded from one run). */
let scriptBytes = 0

async function run(context: BrowserContext, url: string, countScripts = false): Promise<PaintRun> {
  const page = await context.newPage()
  if (countScripts) {
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') {
        void response.body().then(
          (body) => {
            scriptBytes += body.length
          },
          () => undefined,
        )
      }
    })
  }
  await page.goto(url)
  await page.waitForFunction(
    () => (window.__firstMessage?.painted ?? -1) >= 0 && window.__appRunning !== undefined,
    undefined,
    { timeout: 30_000 },
  )
  const figures = await page.evaluate(async () => {
    const mark = window.__firstMessage ?? { inserted: -1, painted: -1 }
    // Paint entries are reported a little after their frame: when the first message is also the
    // first content, its entry may not be there yet.
    const fcp = await new Promise<number>((resolve) => {
      const observer = new PerformanceObserver((list) => {
        const entry = list.getEntriesByName('first-contentful-paint')[0]
        if (!entry) return
        observer.disconnect()
        resolve(entry.startTime)
      })
      observer.observe({ type: 'paint', buffered: true })
      setTimeout(() => {
        observer.disconnect()
        resolve(-1)
      }, 2_000)
    })
    const api = performance
      .getEntriesByType('resource')
      .find((entry) => /\/api\/v1\/conversations\/[^/?]+\?/.test(entry.name)) as
      | PerformanceResourceTiming
      | undefined
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    return {
      ...mark,
      fcp,
      apiEnd: api?.responseEnd ?? -1,
      htmlEnd: nav?.responseEnd ?? -1,
      running: window.__appRunning ?? -1,
    }
  })
  await page.close()
  return figures
}

async function signedIn(context: BrowserContext, server: ServerInfo): Promise<void> {
  const user = server.users[0]
  const response = await context.request.post(`${server.url}/api/v1/auth/login`, {
    data: { email: user?.email, password: user?.password },
  })
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()}`)
}

function summary(runs: PaintRun[]): Record<keyof PaintRun, Spread> {
  const keys = ['inserted', 'painted', 'fcp', 'apiEnd', 'htmlEnd', 'running'] as const
  return Object.fromEntries(keys.map((key) => [key, spread(runs.map((r) => r[key]))])) as Record<
    keyof PaintRun,
    Spread
  >
}

export function webBuilt(): boolean {
  return fs.existsSync(path.join(here, '..', 'web', 'dist', 'index.html'))
}

export async function benchFirstPaint(
  server: ServerInfo,
  conversationId: string,
  // 30 loads of each kind: with 12, the p95 (nearest rank) was simply the slowest load.
  runs = 30,
): Promise<PaintFigures> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  try {
    const url = `${server.url}/chat/${conversationId}`
    const fresh = async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      await context.addInitScript(RECORDER)
      await signedIn(context, server)
      return context
    }
    // Warm-up: the server's static files and Chromium itself.
    const warmup = await fresh()
    for (let i = 0; i < 3; i++) await run(warmup, url)
    await warmup.close()

    const cold: PaintRun[] = []
    for (let i = 0; i < runs; i++) {
      const context = await fresh()
      cold.push(await run(context, url, i === 0))
      await context.close()
    }
    const warm: PaintRun[] = []
    const context = await fresh()
    await run(context, url)
    for (let i = 0; i < runs; i++) warm.push(await run(context, url))
    await context.close()
    return { cold: summary(cold), warm: summary(warm), scriptKb: scriptBytes / 1024 }
  } finally {
    await browser.close()
  }
}
