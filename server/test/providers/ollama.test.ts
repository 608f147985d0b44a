import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAdapter, type OllamaAdapter, ProviderError } from '../../src/providers/index.js'
import { FakeOllama, fakeOllamaModel } from '../fakes/fake-ollama.js'
import { abortAfterFirstDelta, collect, failureOf, textOf } from '../fakes/streams.js'

let fake: FakeOllama
let ollama: OllamaAdapter

beforeEach(async () => {
  fake = await FakeOllama.start()
  ollama = createAdapter({ kind: 'ollama', baseUrl: fake.url })
})

afterEach(async () => {
  await fake.close()
})

const hello = { model: 'llama3.2:1b', messages: [{ role: 'user' as const, content: 'Say hello to me' }] }

async function closedPortUrl(): Promise<string> {
  const gone = await FakeOllama.start()
  await gone.close()
  return gone.url
}

describe('catalog', () => {
  it('lists models with details and capabilities from /api/show or, failing that, the family', async () => {
    const models = await ollama.listModels()
    expect(models.map((model) => model.name)).toEqual(['llama3.2:1b', 'llava:7b', 'nomic-embed-text:latest'])
    const [llama, llava, nomic] = models
    expect(llama).toMatchObject({
      family: 'llama',
      parameterSize: '1.2B',
      quantization: 'Q4_K_M',
      contextLength: 131072,
      sizeBytes: 800_000_000,
      digest: fake.models[0]!.digest,
      modifiedAt: '2026-10-01T12:00:00.000Z',
      capabilities: ['chat', 'tools'],
    })
    // llava's /api/show has no capabilities field: its clip family makes it a vision model.
    expect(llava!.capabilities).toEqual(['chat', 'vision'])
    expect(nomic!.capabilities).toEqual(['embeddings'])
    expect(nomic!.contextLength).toBe(2048)
  })

  it('shows a model’s modelfile, parameters, template and license', async () => {
    const details = await ollama.show('llama3.2:1b')
    expect(details.modelfile).toContain('FROM /models/blobs/sha256-')
    expect(details).toMatchObject({
      parameters: 'stop "<|eot_id|>"',
      template: '{{ .Prompt }}',
      license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
      contextLength: 131072,
      capabilities: ['chat', 'tools'],
    })
    expect(details.modelInfo?.['general.architecture']).toBe('llama')
  })

  it('reports an unknown model as not_found', async () => {
    const error = await ollama.show('nope').catch((err: unknown) => err)
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({ kind: 'not_found', status: 404, message: "Ollama: model 'nope' not found" })
  })

  it('deletes a model, and 404s on one it does not have', async () => {
    await ollama.remove('llava:7b')
    expect((await ollama.listModels()).map((model) => model.name)).not.toContain('llava:7b')
    expect(fake.requestsTo('/api/delete')[0]!.body).toEqual({ name: 'llava:7b' })
    await expect(ollama.remove('llava:7b')).rejects.toMatchObject({ kind: 'not_found' })
  })

  it('embeds through /api/embed', async () => {
    const vectors = await ollama.embed('nomic-embed-text', ['one two', 'three'])
    expect(vectors).toEqual([
      [7, 2, 0.5, -0.5],
      [5, 1, 0.5, -0.5],
    ])
  })
})

describe('chat', () => {
  it('streams deltas, then usage, then done, and loads the model as a side effect', async () => {
    const events = await collect(
      ollama.chat({ ...hello, temperature: 0.2, maxTokens: 100 }, new AbortController().signal),
    )
    expect(textOf(events)).toBe(fake.reply)
    expect(events.filter((event) => event.type === 'delta').length).toBe(10)
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 4, outputTokens: 10 },
      { type: 'done', finishReason: 'stop' },
    ])
    const sent = fake.requestsTo('/api/chat')[0]!.body as Record<string, unknown>
    expect(sent).toMatchObject({
      model: 'llama3.2:1b',
      stream: true,
      options: { temperature: 0.2, num_predict: 100 },
    })
    expect((await ollama.running()).map((model) => model.name)).toEqual(['llama3.2:1b'])
  })

  it('ends with finishReason length when maxTokens cuts the reply', async () => {
    const events = await collect(ollama.chat({ ...hello, maxTokens: 3 }, new AbortController().signal))
    expect(events.filter((event) => event.type === 'delta')).toHaveLength(3)
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'length' })
  })

  it('cancels the upstream request when the signal aborts mid-stream', async () => {
    fake.setMode('slow')
    const events = await abortAfterFirstDelta((signal) => ollama.chat(hello, signal))
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' })
    expect(events.filter((event) => event.type === 'delta').length).toBeLessThan(10)
    expect(await fake.requestsTo('/api/chat')[0]!.outcome).toBe('aborted')
  })

  it('cancels the upstream request when the consumer stops iterating', async () => {
    fake.setMode('slow')
    for await (const event of ollama.chat(hello, new AbortController().signal)) {
      if (event.type === 'delta') break
    }
    expect(await fake.requestsTo('/api/chat')[0]!.outcome).toBe('aborted')
  })

  it('turns an {"error"} line mid-stream into an error event', async () => {
    fake.setMode('error')
    const events = await collect(ollama.chat(hello, new AbortController().signal))
    expect(textOf(events)).toBe('Hello from')
    expect(events.at(-1)).toEqual({
      type: 'error',
      kind: 'upstream',
      retryable: true,
      message: 'Ollama reported an error: an error was encountered while running the model: unexpected EOF',
    })
  })

  it('turns a dropped connection into an error event', async () => {
    fake.setMode('disconnect')
    const events = await collect(ollama.chat(hello, new AbortController().signal))
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      kind: 'upstream',
      message: 'Ollama closed the connection before the response was complete',
    })
  })

  it('turns non-JSON lines into an error event instead of skipping them', async () => {
    fake.setMode('garbage')
    const events = await collect(ollama.chat(hello, new AbortController().signal))
    const last = events.at(-1)
    expect(last).toMatchObject({ type: 'error', kind: 'bad_response', retryable: false })
    expect(last?.type === 'error' && last.message).toMatch(
      /^Ollama sent a stream line that is not JSON: <html>/,
    )
  })

  it('reports an unknown model as a not_found error event', async () => {
    const events = await collect(ollama.chat({ ...hello, model: 'ghost' }, new AbortController().signal))
    expect(events).toEqual([
      {
        type: 'error',
        kind: 'not_found',
        retryable: false,
        message: 'Ollama: model "ghost" not found, try pulling it first',
      },
    ])
  })
})

describe('memory', () => {
  it('loads with a keep-alive and unloads, as /api/ps shows', async () => {
    const before = Date.now()
    await ollama.load('llama3.2:1b', '10m')
    const [running] = await ollama.running()
    expect(running).toMatchObject({ name: 'llama3.2:1b', sizeBytes: 1_200_000_000, vramBytes: 1_200_000_000 })
    const expires = Date.parse(running!.expiresAt!)
    expect(expires - before).toBeGreaterThanOrEqual(600_000 - 1000)
    expect(expires - before).toBeLessThanOrEqual(600_000 + 5000)
    expect(fake.requestsTo('/api/generate')[0]!.body).toMatchObject({
      prompt: '',
      keep_alive: '10m',
      stream: false,
    })

    await ollama.unload('llama3.2:1b')
    expect(await ollama.running()).toEqual([])
    expect(fake.requestsTo('/api/generate')[1]!.body).toMatchObject({ prompt: '', keep_alive: 0 })
  })

  it('keeps a model loaded for good with keep-alive -1', async () => {
    await ollama.load('llama3.2:1b', -1)
    const [running] = await ollama.running()
    expect(new Date(running!.expiresAt!).getUTCFullYear()).toBeGreaterThan(2300)
  })

  it('waits for /api/ps to confirm an unload that takes a moment', async () => {
    fake.loadExternally('nomic-embed-text')
    fake.unloadDelayMs = 300
    // Untagged: /api/ps reports nomic-embed-text:latest, which is the same model.
    await ollama.unload('nomic-embed-text')
    expect(await ollama.running()).toEqual([])
    // /api/ps was asked more than once: the first answers still listed the model.
    expect(fake.requestsTo('/api/ps').length).toBeGreaterThan(2)
  })

  it('fails an unload that /api/ps never confirms', async () => {
    const patient = createAdapter({ kind: 'ollama', baseUrl: fake.url }, { unloadConfirmMs: 200 })
    fake.loadExternally('llama3.2:1b')
    fake.unloadDelayMs = 60_000
    await expect(patient.unload('llama3.2:1b')).rejects.toMatchObject({
      kind: 'upstream',
      message: 'Ollama still lists llama3.2:1b as loaded after being asked to unload it',
    })
  })

  it('sees models loaded outside Web+', async () => {
    fake.loadExternally('llava:7b', '1h')
    expect((await ollama.running()).map((model) => model.name)).toEqual(['llava:7b'])
  })
})

describe('pull', () => {
  it('streams progress to success and installs the model', async () => {
    const progress = await collect(ollama.pull('tinyllama', new AbortController().signal))
    expect(progress[0]).toEqual({ status: 'pulling manifest' })
    expect(progress.at(-1)).toEqual({ status: 'success' })
    const bytes = progress.filter((line) => line.completedBytes !== undefined)
    expect(bytes.map((line) => line.completedBytes)).toEqual([
      159_425_000, 318_850_000, 478_275_000, 637_700_000,
    ])
    expect(bytes.every((line) => line.totalBytes === 637_700_000 && line.digest?.startsWith('sha256:'))).toBe(
      true,
    )
    expect((await ollama.listModels()).map((model) => model.name)).toContain('tinyllama:latest')
  })

  it('fails with Ollama’s message for a name the registry does not have', async () => {
    const error = await failureOf(ollama.pull('no-such-model', new AbortController().signal))
    expect(error).toBeInstanceOf(ProviderError)
    expect(error).toMatchObject({
      kind: 'not_found',
      message: 'Ollama could not pull no-such-model: pull model manifest: file does not exist',
    })
  })

  it('fails with the reason when Ollama reports an error mid-pull', async () => {
    fake.setPullMode('error')
    const error = await failureOf(ollama.pull('tinyllama', new AbortController().signal))
    expect(error).toMatchObject({
      kind: 'upstream',
      retryable: true,
      message: 'Ollama could not pull tinyllama: max retries exceeded: EOF',
    })
    expect(fake.models.map((model) => model.name)).not.toContain('tinyllama:latest')
  })

  it('fails when the host drops the connection mid-pull', async () => {
    fake.setPullMode('disconnect')
    const error = await failureOf(ollama.pull('tinyllama', new AbortController().signal))
    expect(error).toMatchObject({
      kind: 'upstream',
      message: 'Ollama closed the connection before the response was complete',
    })
  })

  it('cancels: the request is closed and the model is not installed', async () => {
    fake.setPullMode('slow')
    const controller = new AbortController()
    const seen: string[] = []
    const error = await failureOf(
      (async function* () {
        for await (const line of ollama.pull('tinyllama', controller.signal)) {
          seen.push(line.status)
          if (line.completedBytes) controller.abort()
          yield line
        }
      })(),
    )
    expect(error).toMatchObject({ kind: 'aborted', message: 'The pull of tinyllama was cancelled' })
    expect(seen).toEqual(['pulling manifest', `pulling ${fake.library[0]!.digest.slice(0, 12)}`])
    expect(await fake.requestsTo('/api/pull')[0]!.outcome).toBe('aborted')
    expect(fake.models.map((model) => model.name)).not.toContain('tinyllama:latest')
  })
})

describe('health and faults', () => {
  it('reports ok with the version and a latency', async () => {
    const health = await ollama.health()
    expect(health).toMatchObject({ ok: true, version: '0.12.6' })
    expect(health.latencyMs).toBeGreaterThanOrEqual(0)
    expect(health.latencyMs).toBeLessThan(5000)
  })

  it('reports an unreachable host with the reason and a latency', async () => {
    const url = await closedPortUrl()
    const health = await createAdapter({ kind: 'ollama', baseUrl: url }).health()
    expect(health.ok).toBe(false)
    expect(health.error).toBe(`Cannot reach Ollama at ${url}: connection refused`)
    expect(typeof health.latencyMs).toBe('number')
  })

  it('throws unreachable from calls to a closed port', async () => {
    const url = await closedPortUrl()
    await expect(createAdapter({ kind: 'ollama', baseUrl: url }).listModels()).rejects.toMatchObject({
      kind: 'unreachable',
      retryable: true,
      status: 503,
    })
  })

  it('times out a call the host does not answer', async () => {
    const impatient = createAdapter({ kind: 'ollama', baseUrl: fake.url }, { timeoutMs: 100 })
    fake.stallMs = 5000
    await expect(impatient.running()).rejects.toMatchObject({ kind: 'timeout', status: 504 })
  })

  it('refuses an HTML page where Ollama’s JSON should be', async () => {
    const web = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end('<html>Open WebUI</html>')
    })
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(web.address() as AddressInfo).port}`
    try {
      const error = await createAdapter({ kind: 'ollama', baseUrl: url })
        .listModels()
        .catch((err: unknown) => err)
      expect(error).toMatchObject({ kind: 'bad_response' })
      expect((error as Error).message).toBe(
        `${url} answered with text/html instead of Ollama's JSON: is the base URL right?`,
      )
    } finally {
      await new Promise((resolve) => web.close(resolve))
    }
  })

  it('refuses a /api/tags answer of the wrong shape', async () => {
    fake.models.push({ ...fakeOllamaModel('odd'), name: 42 as unknown as string })
    await expect(ollama.listModels()).rejects.toMatchObject({
      kind: 'bad_response',
      message: 'Ollama sent an unexpected answer to /api/tags',
    })
  })
})
