// The web app's files go out compressed: the build writes brotli and gzip copies, and the server
// sends the one the client accepts (the same bytes once decoded), or the file itself to a client
// that accepts neither; they are cached for good (a changed file gets a new name). Chromium gets
// brotli and runs the app from it.
import { get, type IncomingHttpHeaders } from 'node:http'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { Browser, Response } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, missingPrerequisite, type RunningServer, startServer } from './harness.js'

const skip = missingPrerequisite()

interface Raw {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A GET whose body is returned as sent (fetch would decode it). */
function rawGet(url: string, acceptEncoding?: string, accept = '*/*'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = { accept, ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }) }
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    }).on('error', reject)
  })
}

describe.skipIf(skip !== null)('compressed web app files', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('sends brotli or gzip as accepted, and the file itself otherwise', async () => {
    const shell = (await rawGet(`${server.baseUrl}/sign-in`, undefined, 'text/html')).body.toString('utf8')
    const assets = [...shell.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThanOrEqual(2)
    for (const asset of assets) {
      const url = `${server.baseUrl}${asset}`
      const plain = await rawGet(url)
      expect(plain.status).toBe(200)
      expect(plain.headers['content-encoding']).toBeUndefined()
      // Hashed names: cached for good.
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable')

      const brotli = await rawGet(url, 'gzip, deflate, br')
      expect(brotli.headers['content-encoding']).toBe('br')
      expect(brotli.headers.vary).toMatch(/accept-encoding/i)
      expect(brotli.body.length).toBeLessThan(plain.body.length)
      expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true)

      const gzip = await rawGet(url, 'gzip')
      expect(gzip.headers['content-encoding']).toBe('gzip')
      expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true)

      const identity = await rawGet(url, 'identity')
      expect(identity.headers['content-encoding']).toBeUndefined()
      expect(identity.body.equals(plain.body)).toBe(true)
    }
  })

  it('runs the app in Chromium from the brotli files', async () => {
    const page = await browser.newPage()
    const assets: Response[] = []
    page.on('response', (response) => {
      if (/^\/assets\/.+\.(js|css)$/.test(new URL(response.url()).pathname)) assets.push(response)
    })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(`${server.baseUrl}/sign-in`)
    await page.getByRole('button', { name: 'Sign in' }).waitFor()
    expect(errors).toEqual([])
    expect(assets.length).toBeGreaterThan(5)
    for (const response of assets) {
      // Files under the build's 1 KiB threshold have no compressed copy; every other one is brotli.
      const size = (await response.body()).length
      const encoding = response.headers()['content-encoding'] ?? 'identity'
      expect(encoding === 'br' || size < 1024, `${response.url()}: ${size} bytes as ${encoding}`).toBe(true)
    }
    await page.close()
  })
})
