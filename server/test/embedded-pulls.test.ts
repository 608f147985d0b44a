// Adding GGUF files to the embedded engine through the LLM Manager API: downloads from a local
// HTTP server (progress, resume with Range, sha256), imports from inside the models folder,
// and delete. Nothing is fetched from outside 127.0.0.1.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type EmbeddedWorld, type PullView, startEmbedded, waitFor } from './embedded-kit.js'
import { FakeFiles } from './fakes/fake-files.js'
import { tinyGguf, writeTinyGguf } from './fixtures/make-tiny-gguf.js'
import { dbKinds, expectProblem, tempDir } from './helpers.js'

const tiny = tinyGguf()
const tinySha = createHash('sha256').update(tiny).digest('hex')
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

describe.each(dbKinds)('embedded engine model files on %s', (kind) => {
  let w: EmbeddedWorld
  let files: FakeFiles
  const pullsUrl = () => `/api/v1/providers/${w.providerId}/pulls`
  const post = (url: string, payload: Record<string, unknown>) =>
    w.as(w.admin, { method: 'POST', url, payload })

  beforeAll(async () => {
    w = await startEmbedded(kind)
    files = await FakeFiles.start()
  })
  beforeEach(() => {
    files.setMode('normal')
    files.requests.length = 0
  })
  afterAll(async () => {
    await files.close()
    await w?.close()
  })

  it('exists from the first start, and can be disabled but not removed', async () => {
    const provider = (await w.as(w.admin, { url: `/api/v1/providers/${w.providerId}` })).json()
    expect(provider).toMatchObject({ kind: 'embedded', name: 'Embedded engine', enabled: true })
    expect(provider.baseUrl).toBe(`file://${w.modelsDir}`)
    expect(fs.existsSync(w.modelsDir)).toBe(true)
    expectProblem(await w.as(w.admin, { method: 'DELETE', url: `/api/v1/providers/${w.providerId}` }), 400)
    const off = await w.as(w.admin, {
      method: 'PATCH',
      url: `/api/v1/providers/${w.providerId}`,
      payload: { enabled: false },
    })
    expect(off.json()).toMatchObject({ enabled: false })
    const on = await w.as(w.admin, {
      method: 'PATCH',
      url: `/api/v1/providers/${w.providerId}`,
      payload: { enabled: true },
    })
    expect(on.json()).toMatchObject({ enabled: true })
    expect((await w.as(w.admin, { url: `/api/v1/providers/${w.providerId}/engine` })).json()).toMatchObject({
      modelsDir: w.modelsDir,
      threads: 2,
      contextSize: 256,
      usedBytes: 0,
      onBudget: 'evict-lru',
      loaded: [],
    })
  })

  it('downloads a GGUF by URL with progress and checks its sha256', async () => {
    const url = files.serve('/org/repo/resolve/main/tiny-dl.gguf', tiny)
    const pull = await w.pullToEnd({ url: `${url}?download=true`, sha256: tinySha.toUpperCase() })
    expect(pull).toMatchObject({
      model: 'tiny-dl',
      status: 'succeeded',
      percent: 100,
      completedBytes: tiny.length,
      totalBytes: tiny.length,
      error: null,
    })
    expect(sha(path.join(w.modelsDir, 'tiny-dl.gguf'))).toBe(tinySha)
    expect(fs.readdirSync(w.modelsDir).filter((f) => f.includes('.part'))).toEqual([])
    expect(await w.model('tiny-dl')).toMatchObject({
      family: 'llama',
      parameterSize: '116K',
      quantization: 'F32',
      contextLength: 2048,
      sizeBytes: tiny.length,
      hosts: [expect.objectContaining({ providerId: w.providerId, status: 'available' })],
    })
    // The same name again is a conflict, not an overwrite.
    expectProblem(await post(pullsUrl(), { url }), 409)
  })

  it('resumes an interrupted transfer with a Range request', async () => {
    files.setMode('drop-once')
    files.dropAfter = 100_000
    const url = files.serve('/files/tiny-resume.gguf', tiny)
    const pull = await w.pullToEnd({ url, sha256: tinySha })
    expect(pull).toMatchObject({ status: 'succeeded', completedBytes: tiny.length })
    expect(files.requests.map((r) => r.range)).toEqual([undefined, 'bytes=100000-'])
    expect(files.requests[1]?.ifRange).toMatch(/^"/)
    expect(sha(path.join(w.modelsDir, 'tiny-resume.gguf'))).toBe(tinySha)
  })

  it('resumes in a later pull of the same URL after a cancel', async () => {
    files.setMode('slow')
    const url = files.serve('/files/tiny-later.gguf', tiny)
    const started = await post(pullsUrl(), { url })
    const id = started.json<PullView>().id
    const midway = await waitFor(
      async () => (await w.as(w.admin, { url: `/api/v1/pulls/${id}` })).json<PullView>(),
      (p) => p.completedBytes >= 10_000,
      'some bytes',
    )
    expect(midway).toMatchObject({ status: 'running', detail: 'downloading', totalBytes: tiny.length })
    expect(midway.percent).toBeLessThan(100)
    await w.as(w.admin, { method: 'DELETE', url: `/api/v1/pulls/${id}` })
    const cancelled = await waitFor(
      async () => (await w.as(w.admin, { url: `/api/v1/pulls/${id}` })).json<PullView>(),
      (p) => p.status !== 'running',
      'the cancel',
    )
    expect(cancelled.status).toBe('cancelled')
    expect(fs.existsSync(path.join(w.modelsDir, 'tiny-later.gguf.part'))).toBe(true)
    files.setMode('normal')
    const resumed = await w.pullToEnd({ url, sha256: tinySha })
    expect(resumed).toMatchObject({ status: 'succeeded' })
    expect(files.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/)
    expect(sha(path.join(w.modelsDir, 'tiny-later.gguf'))).toBe(tinySha)
  })

  it('rejects a download whose sha256 does not match, and removes it', async () => {
    files.setMode('corrupt')
    const url = files.serve('/files/tiny-corrupt.gguf', tiny)
    const pull = await w.pullToEnd({ url, sha256: tinySha })
    expect(pull.status).toBe('failed')
    expect(pull.error).toMatch(new RegExp(`checksum mismatch: expected sha256 ${tinySha}, got [0-9a-f]{64}`))
    expect(fs.readdirSync(w.modelsDir).filter((f) => f.startsWith('tiny-corrupt'))).toEqual([])
    expect((await w.model('tiny-corrupt'))?.hosts).toEqual([])
  })

  it('fails a pull of a missing file or of something that is not GGUF, with the reason', async () => {
    const missing = await w.pullToEnd({ url: `${files.url}/nope/absent.gguf` })
    expect(missing).toMatchObject({ status: 'failed', error: expect.stringMatching(/HTTP 404/) })
    const html = files.serve('/files/page.gguf', Buffer.from('<html>login required</html>'))
    const notGguf = await w.pullToEnd({ url: html })
    expect(notGguf).toMatchObject({ status: 'failed', error: expect.stringMatching(/not a GGUF model/) })
    expect(fs.readdirSync(w.modelsDir).filter((f) => f.startsWith('page'))).toEqual([])
  })

  it('takes {url} for the embedded engine and {model} for Ollama, refusing the other with 400', async () => {
    const byName = expectProblem(await post(pullsUrl(), { model: 'llama3.2:1b' }), 400)
    expect(byName.detail).toMatch(/downloads GGUF files: send \{url, sha256\?\}/)
    const notGguf = expectProblem(await post(pullsUrl(), { url: `${files.url}/model.bin` }), 400)
    expect(notGguf.detail).toMatch(/\.gguf/)
    expectProblem(await post(pullsUrl(), { url: 'ftp://example.com/x.gguf' }), 400)
    expectProblem(await post(pullsUrl(), { url: `${files.url}/x.gguf`, sha256: 'abc' }), 400)
    expectProblem(await post(pullsUrl(), { url: `${files.url}/x.gguf`, model: 'x' }), 400)
    const ollama = await post('/api/v1/providers', {
      name: 'o',
      kind: 'ollama',
      baseUrl: 'http://127.0.0.1:9',
    })
    const wrong = expectProblem(
      await post(`/api/v1/providers/${ollama.json().id}/pulls`, { url: `${files.url}/x.gguf` }),
      400,
    )
    expect(wrong.detail).toMatch(/ollama providers pull by model name/)
    expectProblem(
      await w.as(w.user, { method: 'POST', url: pullsUrl(), payload: { url: `${files.url}/x.gguf` } }),
      403,
    )
  })

  it('imports a file inside the models folder, and refuses paths that leave it', async () => {
    const importsUrl = `/api/v1/providers/${w.providerId}/imports`
    writeTinyGguf(path.join(w.modelsDir, 'incoming', 'tiny-imported.gguf'))
    const imported = await post(importsUrl, { path: 'incoming/tiny-imported.gguf' })
    expect(imported.statusCode, imported.body).toBe(201)
    expect(imported.json()).toMatchObject({ name: 'tiny-imported', family: 'llama', status: 'available' })
    expect(fs.existsSync(path.join(w.modelsDir, 'tiny-imported.gguf'))).toBe(true)
    // A file already at the top of the folder is simply checked and listed.
    writeTinyGguf(path.join(w.modelsDir, 'tiny-top.gguf'))
    expect((await post(importsUrl, { path: path.join(w.modelsDir, 'tiny-top.gguf') })).statusCode).toBe(201)

    const outside = tempDir('webplus-outside-')
    try {
      writeTinyGguf(path.join(outside, 'elsewhere.gguf'))
      fs.symlinkSync(path.join(outside, 'elsewhere.gguf'), path.join(w.modelsDir, 'sneaky.gguf'))
      fs.symlinkSync(outside, path.join(w.modelsDir, 'linked-dir'))
      for (const requested of [
        path.join(outside, 'elsewhere.gguf'),
        '../elsewhere.gguf',
        `../${path.basename(outside)}/elsewhere.gguf`,
        'sneaky.gguf',
        'linked-dir/elsewhere.gguf',
      ]) {
        const refused = expectProblem(await post(importsUrl, { path: requested }), 400)
        expect(refused.detail).toMatch(/inside the models folder/)
      }
      fs.rmSync(path.join(w.modelsDir, 'sneaky.gguf'))
      fs.rmSync(path.join(w.modelsDir, 'linked-dir'))
    } finally {
      fs.rmSync(outside, { recursive: true, force: true })
    }
    fs.writeFileSync(path.join(w.modelsDir, 'notes.txt'), 'hello')
    expectProblem(await post(importsUrl, { path: 'notes.txt' }), 400)
    fs.writeFileSync(path.join(w.modelsDir, 'junk.gguf'), 'not a model')
    expect(expectProblem(await post(importsUrl, { path: 'junk.gguf' }), 502).detail).toMatch(
      /not a readable GGUF/,
    )
    expectProblem(await post(importsUrl, { path: 'absent.gguf' }), 404)
    expectProblem(
      await w.as(w.user, { method: 'POST', url: importsUrl, payload: { path: 'junk.gguf' } }),
      403,
    )
    fs.rmSync(path.join(w.modelsDir, 'junk.gguf'))
  })

  it('deletes a model file', async () => {
    writeTinyGguf(path.join(w.modelsDir, 'tiny-doomed.gguf'))
    expect(await w.model('tiny-doomed')).toBeDefined()
    const removed = await w.as(w.admin, {
      method: 'DELETE',
      url: `/api/v1/providers/${w.providerId}/models/tiny-doomed`,
    })
    expect(removed.statusCode, removed.body).toBe(204)
    expect(fs.existsSync(path.join(w.modelsDir, 'tiny-doomed.gguf'))).toBe(false)
    expect((await w.model('tiny-doomed'))?.hosts ?? []).toEqual([])
    expectProblem(
      await w.as(w.admin, { method: 'DELETE', url: `/api/v1/providers/${w.providerId}/models/tiny-doomed` }),
      404,
    )
  })
})
