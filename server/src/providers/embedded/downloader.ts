// Downloads a model file over HTTP into `<file>.part` with progress, resumes an interrupted
// transfer with a Range request (in the same pull, and in a later pull of the same URL), and
// checks a sha256 when one is given. The caller decides what a finished part becomes.
import { createHash, type Hash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import fs from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { ProviderError, type PullProgress } from '../types.js'

export interface DownloadRequest {
  url: string
  /** Lower-case hex; a mismatch removes the download and fails. */
  sha256?: string
  partFile: string
  signal: AbortSignal
  /** Extra attempts after a dropped connection, each resuming where the last stopped. Default 3. */
  retries?: number
  retryDelayMs?: number
  /** A connection that sends nothing for this long is dropped and resumed. Default 60 s. */
  idleTimeoutMs?: number
  /** Minimum time between progress events. Default 250 ms. */
  progressEveryMs?: number
}

export interface DownloadResult {
  bytes: number
  sha256: string
}

/** What the part file was fetched from, so a later pull resumes only the same resource. */
interface PartOrigin {
  url: string
  validator: string | null
}

class Interrupted extends Error {}

const originFile = (partFile: string) => `${partFile}.json`

async function readOrigin(partFile: string): Promise<PartOrigin | null> {
  try {
    return JSON.parse(await fs.readFile(originFile(partFile), 'utf8')) as PartOrigin
  } catch {
    return null // no record (or an unreadable one): the part is not resumable
  }
}

async function partSize(partFile: string): Promise<number> {
  return fs.stat(partFile).then(
    (s) => s.size,
    () => 0,
  )
}

export async function discardPart(partFile: string): Promise<void> {
  await fs.rm(partFile, { force: true })
  await fs.rm(originFile(partFile), { force: true })
}

async function hashOf(file: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256')
  if (bytes === 0) return hash
  for await (const chunk of createReadStream(file, { start: 0, end: bytes - 1 })) hash.update(chunk as Buffer)
  return hash
}

/** Total size from `Content-Range: bytes a-b/total` (or `bytes *\/total`). */
function rangeTotal(header: string | null): number | null {
  const match = header?.match(/\/(\d+)\s*$/)
  return match ? Number(match[1]) : null
}

function rangeStart(header: string | null): number | null {
  const match = header?.match(/^bytes\s+(\d+)-/)
  return match ? Number(match[1]) : null
}

function httpFailure(status: number, url: string): ProviderError {
  const kind = status === 404 ? 'not_found' : status === 401 || status === 403 ? 'unauthorized' : 'upstream'
  return new ProviderError(kind, `download failed: ${new URL(url).host} answered HTTP ${status}`, {
    upstreamStatus: status,
  })
}

export async function* download(req: DownloadRequest): AsyncGenerator<PullProgress, DownloadResult> {
  const retries = req.retries ?? 3
  const progressEveryMs = req.progressEveryMs ?? 250
  const origin = await readOrigin(req.partFile)
  if (!origin || origin.url !== req.url) await discardPart(req.partFile)
  let offset = await partSize(req.partFile)
  let validator = origin?.url === req.url ? origin.validator : null
  let hash = await hashOf(req.partFile, offset)
  let total: number | null = null
  for (let attempt = 0; ; attempt++) {
    const idle = new AbortController()
    const signal = AbortSignal.any([req.signal, idle.signal])
    let idleTimer: NodeJS.Timeout | undefined
    const touch = () => {
      clearTimeout(idleTimer)
      idleTimer = setTimeout(() => idle.abort(), req.idleTimeoutMs ?? 60_000)
    }
    try {
      touch()
      const headers: Record<string, string> = { 'accept-encoding': 'identity' }
      if (offset > 0) {
        headers.range = `bytes=${offset}-`
        if (validator) headers['if-range'] = validator
      }
      const response = await fetch(req.url, { headers, signal, redirect: 'follow' })
      if (response.status === 416 && offset > 0) {
        await response.body?.cancel()
        if (rangeTotal(response.headers.get('content-range')) === offset) break // already complete
        await discardPart(req.partFile)
        ;[offset, hash, validator] = [0, createHash('sha256'), null]
        throw new Interrupted('the server refused to resume; starting over')
      }
      if (response.status !== 200 && response.status !== 206) {
        await response.body?.cancel()
        // A busy or failing server may recover: keep what we have and try again.
        if (response.status >= 500 || response.status === 429)
          throw new Interrupted(`HTTP ${response.status}`)
        await discardPart(req.partFile)
        throw httpFailure(response.status, req.url)
      }
      const resumed = response.status === 206 && rangeStart(response.headers.get('content-range')) === offset
      if (!resumed) [offset, hash] = [0, createHash('sha256')]
      const length = Number(response.headers.get('content-length') ?? Number.NaN)
      total = resumed
        ? (rangeTotal(response.headers.get('content-range')) ??
          (Number.isFinite(length) ? offset + length : null))
        : Number.isFinite(length)
          ? length
          : null
      validator = response.headers.get('etag') ?? response.headers.get('last-modified')
      await fs.writeFile(
        originFile(req.partFile),
        JSON.stringify({ url: req.url, validator } satisfies PartOrigin),
      )
      if (!response.body) throw new Interrupted('the response has no body')
      const out = await fs.open(req.partFile, resumed ? 'a' : 'w')
      let lastProgress = 0
      try {
        yield { status: 'downloading', completedBytes: offset, ...(total ? { totalBytes: total } : {}) }
        for await (const chunk of response.body) {
          touch()
          await out.write(chunk)
          hash.update(chunk)
          offset += chunk.length
          const now = Date.now()
          if (now - lastProgress >= progressEveryMs) {
            lastProgress = now
            yield { status: 'downloading', completedBytes: offset, ...(total ? { totalBytes: total } : {}) }
          }
        }
      } finally {
        await out.close()
      }
      if (total !== null && offset < total)
        throw new Interrupted(`the connection closed at ${offset} of ${total} bytes`)
      break
    } catch (error) {
      if (req.signal.aborted) throw new ProviderError('aborted', 'download cancelled', { cause: error })
      if (error instanceof ProviderError) throw error
      if (attempt >= retries) {
        const reason = error instanceof Error ? error.message : String(error)
        throw new ProviderError(
          'unreachable',
          `download interrupted after ${offset} bytes (${reason}); pull the same URL again to resume`,
          { cause: error },
        )
      }
      yield { status: `connection lost; resuming at byte ${offset}`, completedBytes: offset }
      await sleep(req.retryDelayMs ?? 1000, undefined, { signal: req.signal }).catch(() => undefined)
      if (req.signal.aborted) throw new ProviderError('aborted', 'download cancelled')
    } finally {
      clearTimeout(idleTimer)
    }
  }
  const digest = hash.digest('hex')
  yield { status: 'verifying sha256 digest', completedBytes: offset, ...(total ? { totalBytes: total } : {}) }
  if (req.sha256 && req.sha256.toLowerCase() !== digest) {
    await discardPart(req.partFile)
    throw new ProviderError(
      'bad_response',
      `checksum mismatch: expected sha256 ${req.sha256.toLowerCase()}, got ${digest}; the download was removed`,
    )
  }
  await fs.rm(originFile(req.partFile), { force: true })
  return { bytes: offset, sha256: digest }
}
