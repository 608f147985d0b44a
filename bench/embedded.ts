// Benchmark: tokens/s of the embedded engine through Web+'s chat API (POST a message to a
// conversation, follow its generation over SSE on 127.0.0.1) and through the OpenAI-compatible
// gateway, against the same model driven directly with node-llama-cpp. Same tiny GGUF, threads,
// context, prompt, greedy sampling and max tokens on every side; target ratio (chat API / direct) ≥ 0.95.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { FastifyInstance } from 'fastify'
import { LlamaChat } from 'node-llama-cpp'
import { engine } from '../server/src/providers/embedded/engine.js'
import { cpuCount, generationOptions, toChatHistory } from '../server/src/providers/embedded/index.js'
import type { ChatMessage } from '../server/src/providers/types.js'
import { writeTinyGguf } from '../server/test/fixtures/make-tiny-gguf.js'
import { benchApp, callApp } from './bench-app.js'

const THREADS = Math.min(2, cpuCount())
const CONTEXT = 512
const MAX_TOKENS = 200
// The machine may be busy with other work: alternate the two sides and take medians.
const RUNS = 5
const SAMPLING = { maxTokens: MAX_TOKENS, temperature: 0, seed: 42 }
const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Write a long story about a lighthouse keeper and the sea.' },
]
export const TARGET_RATIO = 0.95

interface Rate {
  tokensPerSecond: number
  tokens: number
}

export interface EmbeddedBench {
  chat: Rate
  gateway: Rate | null
  direct: Rate
  ratio: number
  gatewayRatio: number | null
  settings: string
}

interface Run {
  tokens: number
  ms: number
}

const median = (runs: Run[]) => {
  const rates = runs.map((r) => (r.tokens * 1000) / r.ms).sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)] ?? 0
}

const call = callApp

/** Signs up the admin, starts the tiny model and returns what the chat path needs. */
async function prepareServer(app: FastifyInstance) {
  const credentials = { email: 'bench@example.com', password: 'a long passphrase for the bench' }
  await call(app, 'POST', '/api/v1/auth/register', undefined, { ...credentials, name: 'Bench' })
  const login = '/api/v1/auth/login'
  const { accessToken } = await call<{ accessToken: string }>(app, 'POST', login, undefined, credentials)
  const models = await call<{ items: Array<{ id: string; name: string }> }>(
    app,
    'GET',
    '/api/v1/models?refresh=true',
    accessToken,
  )
  const model = models.items.find((m) => m.name === 'tiny')
  if (!model) throw new Error('the tiny model is not in the catalog')
  await call(app, 'POST', `/api/v1/models/${model.id}/start`, accessToken, {})
  for (let i = 0; ; i++) {
    const view = await call<{ status: string; hosts: Array<{ error: string | null }> }>(
      app,
      'GET',
      `/api/v1/models/${model.id}`,
      accessToken,
    )
    if (view.status === 'loaded') break
    if (view.status === 'error' || i > 600) throw new Error(`tiny did not load: ${JSON.stringify(view)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const gateway = app.hasRoute({ method: 'POST', url: '/v1/chat/completions' })
  const key = gateway
    ? (
        await call<{ key: string }>(app, 'POST', '/api/v1/api-keys', accessToken, {
          name: 'bench',
          scopes: ['gateway'],
        })
      ).key
    : null
  return { modelId: model.id, key, accessToken }
}

/** One reply through the chat API: a new conversation, a message, its generation's SSE to `done`. */
async function viaChat(base: string, token: string, modelId: string): Promise<Run> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const system = MESSAGES.find((m) => m.role === 'system')?.content ?? null
  const user = MESSAGES.find((m) => m.role === 'user')?.content ?? ''
  const created = await fetch(`${base}/api/v1/conversations`, {
    method: 'POST',
    headers,
    // A title of its own, so that no auto-title request runs beside the next measurement.
    body: JSON.stringify({
      title: 'Benchmark',
      modelId,
      systemPrompt: system,
      temperature: 0,
      maxTokens: MAX_TOKENS,
    }),
  })
  if (created.status !== 201) throw new Error(`conversation: ${created.status} ${await created.text()}`)
  const { id } = (await created.json()) as { id: string }
  const started = performance.now()
  const sent = await fetch(`${base}/api/v1/conversations/${id}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ content: user }),
  })
  if (sent.status !== 202) throw new Error(`message: ${sent.status} ${await sent.text()}`)
  const { generationId } = (await sent.json()) as { generationId: string }
  const events = await fetch(`${base}/api/v1/generations/${generationId}/events`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!events.ok || !events.body) throw new Error(`events: ${events.status}`)
  let tokens = 0
  for await (const event of events.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())) {
    if (event.event !== 'done') continue
    const done = JSON.parse(event.data) as {
      state: string
      error: string | null
      usage: { outputTokens: number } | null
    }
    if (done.state !== 'complete') throw new Error(`reply ended ${done.state}: ${done.error}`)
    tokens = done.usage?.outputTokens ?? 0
  }
  return { tokens, ms: performance.now() - started }
}

/** One streamed completion through the gateway over HTTP; counts tokens from its usage chunk. */
async function viaGateway(base: string, key: string): Promise<Run> {
  const started = performance.now()
  const response = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'tiny',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: SAMPLING.maxTokens,
      temperature: SAMPLING.temperature,
      seed: SAMPLING.seed,
    }),
  })
  if (!response.ok || !response.body)
    throw new Error(`gateway answered ${response.status}: ${await response.text()}`)
  let buffered = ''
  let tokens = 0
  for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
    buffered += chunk
    const events = buffered.split('\n\n')
    buffered = events.pop() ?? ''
    for (const event of events) {
      const data = event.replace(/^data: /, '')
      if (data === '[DONE]') continue
      const parsed = JSON.parse(data) as { usage?: { completion_tokens: number } | null; error?: unknown }
      if (parsed.error) throw new Error(`gateway error: ${data}`)
      if (parsed.usage) tokens = parsed.usage.completion_tokens
    }
  }
  return { tokens, ms: performance.now() - started }
}

/** The same model, settings and prompt, driven with node-llama-cpp and nothing else. */
async function directRunner(file: string) {
  const llama = await engine({ gpu: 'off', maxThreads: THREADS })
  const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 })
  const context = await model.createContext({ contextSize: CONTEXT, threads: THREADS, sequences: 1 })
  const chat = new LlamaChat({ contextSequence: context.getSequence(), chatWrapper: 'auto' })
  const meter = chat.sequence.tokenMeter
  return {
    run: async (): Promise<Run> => {
      const started = performance.now()
      const before = meter.usedOutputTokens
      await chat.generateResponse(toChatHistory(MESSAGES), generationOptions(SAMPLING, CONTEXT))
      return { tokens: meter.usedOutputTokens - before, ms: performance.now() - started }
    },
    close: async () => {
      chat.dispose()
      await context.dispose()
      await model.dispose()
    },
  }
}

export async function benchEmbedded(): Promise<EmbeddedBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webplus-bench-embedded-'))
  const file = writeTinyGguf(path.join(dataDir, 'models', 'tiny.gguf'))
  const app = await benchApp({
    dataDir,
    logLevel: 'silent',
    embeddedThreads: String(THREADS),
    embeddedContextSize: String(CONTEXT),
    embeddedGpu: 'off',
  })
  const direct = await directRunner(file)
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 })
    const { modelId, key, accessToken } = await prepareServer(app)
    const chatRun = () => viaChat(base, accessToken, modelId)
    const gatewayRun = key ? () => viaGateway(base, key) : null
    // Warm-up: code paths compiled, allocations settled.
    await chatRun()
    await gatewayRun?.()
    await direct.run()
    const chatRuns: Run[] = []
    const gatewayRuns: Run[] = []
    const directRuns: Run[] = []
    // Interleaved so that whatever else the machine does falls on every side alike.
    for (let i = 0; i < RUNS; i++) {
      chatRuns.push(await chatRun())
      directRuns.push(await direct.run())
      if (gatewayRun) gatewayRuns.push(await gatewayRun())
    }
    const rate = (runs: Run[]): Rate => ({ tokensPerSecond: median(runs), tokens: runs[0]?.tokens ?? 0 })
    const chat = rate(chatRuns)
    const directRate = rate(directRuns)
    const gateway = gatewayRun ? rate(gatewayRuns) : null
    return {
      chat,
      gateway,
      direct: directRate,
      ratio: chat.tokensPerSecond / directRate.tokensPerSecond,
      gatewayRatio: gateway ? gateway.tokensPerSecond / directRate.tokensPerSecond : null,
      settings: `threads ${THREADS}, context ${CONTEXT}, max ${MAX_TOKENS} tokens, temperature 0, median of ${RUNS}`,
    }
  } finally {
    await direct.close()
    await app.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
