// A stand-in Ollama host speaking its documented HTTP API (NDJSON streams), with load/unload
// state behind /api/ps and switchable faults: slow tokens, error lines, dropped connections,
// garbage lines, failing pulls.

import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { countWords, dropConnection, FakeHttpServer, pace, sendJson, splitTokens } from './fake-http.js'

export interface FakeOllamaModel {
  /** With its tag, e.g. `llama3.2:1b`. */
  name: string
  family: string
  families: string[]
  parameterSize: string
  quantization: string
  sizeBytes: number
  /** Memory once loaded (/api/ps `size`) and the part of it on the GPU (`size_vram`). */
  memoryBytes: number
  vramBytes: number
  /** 64 hex digits, as /api/tags reports it. */
  digest: string
  modifiedAt: string
  architecture: string
  contextLength: number
  /** /api/show `capabilities`; undefined mimics an Ollama too old to report them. */
  capabilities?: string[]
  license: string
  template: string
  parameters: string
}

export function fakeOllamaModel(name: string, overrides: Partial<FakeOllamaModel> = {}): FakeOllamaModel {
  const tagged = withTag(name)
  const family = overrides.family ?? 'llama'
  return {
    name: tagged,
    family,
    families: [family],
    parameterSize: '1.2B',
    quantization: 'Q4_K_M',
    sizeBytes: 800_000_000,
    memoryBytes: 1_200_000_000,
    vramBytes: 1_200_000_000,
    digest: createHash('sha256').update(tagged).digest('hex'),
    modifiedAt: '2026-10-01T12:00:00.000Z',
    architecture: family,
    contextLength: 131072,
    capabilities: ['completion', 'tools'],
    license: 'LLAMA 3.2 COMMUNITY LICENSE AGREEMENT',
    template: '{{ .Prompt }}',
    parameters: 'stop "<|eot_id|>"',
    ...overrides,
  }
}

function withTag(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).includes(':') ? name : `${name}:latest`
}

export type OllamaChatMode = 'normal' | 'slow' | 'error' | 'disconnect' | 'garbage'
export type OllamaPullMode = 'normal' | 'slow' | 'error' | 'disconnect'

export interface FakeOllamaOptions {
  /** Installed models (default: a chat, a vision and an embedding model). */
  models?: FakeOllamaModel[]
  /** What /api/pull can fetch besides installed models (default: `tinyllama:latest`). */
  library?: FakeOllamaModel[]
  /** The text every reply streams, one word per line. */
  reply?: string
  tokenDelayMs?: number
  /** Delay per token in `slow` mode, and per progress line in `slow` pull mode. */
  slowDelayMs?: number
  pullSteps?: number
  /** In the failing modes, how many tokens or progress steps go out before the fault. */
  failAfter?: number
}

const NDJSON = { 'content-type': 'application/x-ndjson' }
const FOREVER = '2318-11-26T12:00:00.000Z'
const DEFAULT_KEEP_ALIVE_MS = 5 * 60_000

/** Ollama's keep_alive: seconds as a number, or `10m`/`30s`/`1h`; negative = forever (null). */
export function keepAliveMs(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return DEFAULT_KEEP_ALIVE_MS
  if (typeof value === 'number') return value < 0 ? null : value * 1000
  const match = /^(-?\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(value))
  if (!match) throw new Error(`time: invalid duration "${String(value)}"`)
  const amount = Number(match[1])
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000
  return amount < 0 ? null : amount * unit
}

interface Loaded {
  expiresAt: Date | null
}

type Body = Record<string, unknown>

export class FakeOllama extends FakeHttpServer {
  readonly models: FakeOllamaModel[]
  readonly library: FakeOllamaModel[]
  /** What /api/ps reports, by model name. */
  readonly loaded = new Map<string, Loaded>()
  reply: string
  chatMode: OllamaChatMode = 'normal'
  pullMode: OllamaPullMode = 'normal'
  /** How long a model stays in /api/ps after `keep_alive: 0` (real hosts take a moment). */
  unloadDelayMs = 0
  /** Delay before answering any request, to provoke client timeouts. */
  stallMs = 0
  private readonly options: Required<Omit<FakeOllamaOptions, 'models' | 'library' | 'reply'>>

  static async start(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
    const fake = new FakeOllama(options)
    await fake.listen()
    return fake
  }

  private constructor(options: FakeOllamaOptions) {
    super()
    this.models = options.models ?? [
      fakeOllamaModel('llama3.2:1b'),
      fakeOllamaModel('llava:7b', {
        families: ['llama', 'clip'],
        capabilities: undefined,
        parameterSize: '7B',
      }),
      fakeOllamaModel('nomic-embed-text', {
        family: 'nomic-bert',
        capabilities: ['embedding'],
        contextLength: 2048,
      }),
    ]
    this.library = options.library ?? [fakeOllamaModel('tinyllama', { sizeBytes: 637_700_000 })]
    this.reply = options.reply ?? 'Hello from the fake Ollama, one word at a time.'
    this.options = {
      tokenDelayMs: options.tokenDelayMs ?? 0,
      slowDelayMs: options.slowDelayMs ?? 50,
      pullSteps: options.pullSteps ?? 4,
      failAfter: options.failAfter ?? 2,
    }
  }

  setMode(mode: OllamaChatMode): void {
    this.chatMode = mode
  }

  setPullMode(mode: OllamaPullMode): void {
    this.pullMode = mode
  }

  /** Loads a model as someone outside Web+ would (`ollama run`). */
  loadExternally(name: string, keepAlive?: unknown): void {
    this.setLoaded(withTag(name), keepAlive)
  }

  private find(name: unknown): FakeOllamaModel | undefined {
    return typeof name === 'string' ? this.models.find((model) => model.name === withTag(name)) : undefined
  }

  private setLoaded(name: string, keepAlive: unknown): void {
    const requested = keepAliveMs(keepAlive)
    const ms = requested === 0 ? this.unloadDelayMs : requested
    if (ms === 0) this.loaded.delete(name)
    else this.loaded.set(name, { expiresAt: ms === null ? null : new Date(Date.now() + ms) })
  }

  protected async respond(req: IncomingMessage, res: ServerResponse, raw: unknown): Promise<void> {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Body
    if (!(await pace(res, this.stallMs))) return
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://fake').pathname}`
    switch (route) {
      case 'GET /api/version':
        return sendJson(res, 200, { version: '0.12.6' })
      case 'GET /api/tags':
        return sendJson(res, 200, { models: this.models.map((model) => this.tag(model)) })
      case 'GET /api/ps':
        return sendJson(res, 200, { models: this.ps() })
      case 'POST /api/show':
        return this.show(res, body)
      case 'POST /api/pull':
        return this.pull(res, body)
      case 'DELETE /api/delete':
        return this.remove(res, body)
      case 'POST /api/generate':
      case 'POST /api/chat':
        return this.generate(res, body, route === 'POST /api/chat')
      case 'POST /api/embed':
        return this.embed(res, body)
      default:
        res.writeHead(404, { 'content-type': 'text/plain' })
        res.end('404 page not found')
    }
  }

  private details(model: FakeOllamaModel) {
    return {
      parent_model: '',
      format: 'gguf',
      family: model.family,
      families: model.families,
      parameter_size: model.parameterSize,
      quantization_level: model.quantization,
    }
  }

  private tag(model: FakeOllamaModel) {
    const { name, modifiedAt, sizeBytes, digest } = model
    return {
      name,
      model: name,
      modified_at: modifiedAt,
      size: sizeBytes,
      digest,
      details: this.details(model),
    }
  }

  private ps() {
    const now = Date.now()
    const running = []
    for (const [name, { expiresAt }] of this.loaded) {
      const model = this.find(name)
      if (!model || (expiresAt && expiresAt.getTime() <= now)) {
        this.loaded.delete(name)
        continue
      }
      running.push({
        name,
        model: name,
        size: model.memoryBytes,
        digest: model.digest,
        details: this.details(model),
        expires_at: expiresAt ? expiresAt.toISOString() : FOREVER,
        size_vram: model.vramBytes,
      })
    }
    return running
  }

  private show(res: ServerResponse, body: Body): void {
    const name = body.model ?? body.name
    const model = this.find(name)
    if (!model) {
      sendJson(res, 404, { error: `model '${String(name)}' not found` })
      return
    }
    sendJson(res, 200, {
      license: model.license,
      modelfile: `FROM /models/blobs/sha256-${model.digest}\nTEMPLATE ${model.template}\nPARAMETER ${model.parameters}`,
      parameters: model.parameters,
      template: model.template,
      details: this.details(model),
      model_info: {
        'general.architecture': model.architecture,
        'general.parameter_count': 1_235_814_432,
        [`${model.architecture}.context_length`]: model.contextLength,
      },
      ...(model.capabilities ? { capabilities: model.capabilities } : {}),
      modified_at: model.modifiedAt,
    })
  }

  private remove(res: ServerResponse, body: Body): void {
    const name = body.model ?? body.name
    const model = this.find(name)
    if (!model) {
      sendJson(res, 404, { error: `model '${String(name)}' not found` })
      return
    }
    this.models.splice(this.models.indexOf(model), 1)
    this.loaded.delete(model.name)
    res.writeHead(200)
    res.end()
  }

  private embed(res: ServerResponse, body: Body): void {
    if (!this.find(body.model)) {
      sendJson(res, 404, { error: `model "${String(body.model)}" not found` })
      return
    }
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')]
    const embeddings = input.map((text) => [text.length, countWords(text), 0.5, -0.5])
    sendJson(res, 200, { model: body.model, embeddings, prompt_eval_count: input.length })
  }

  private async pull(res: ServerResponse, body: Body): Promise<void> {
    const name = withTag(String(body.model ?? body.name ?? ''))
    const source = this.library.find((model) => model.name === name) ?? this.find(name)
    const streaming = body.stream !== false
    if (!streaming) {
      if (!source) return sendJson(res, 500, { error: 'pull model manifest: file does not exist' })
      this.install(source)
      return sendJson(res, 200, { status: 'success' })
    }
    res.writeHead(200, NDJSON)
    const line = (value: object) => res.write(`${JSON.stringify(value)}\n`)
    line({ status: 'pulling manifest' })
    if (!source) {
      line({ error: 'pull model manifest: file does not exist' })
      return void res.end()
    }
    const { pullSteps, failAfter, slowDelayMs } = this.options
    const digest = `sha256:${source.digest}`
    for (let step = 1; step <= pullSteps; step++) {
      if (!(await pace(res, this.pullMode === 'slow' ? slowDelayMs : 0))) return
      if (step > failAfter && this.pullMode === 'disconnect') return dropConnection(res)
      if (step > failAfter && this.pullMode === 'error') {
        line({ error: 'max retries exceeded: EOF' })
        return void res.end()
      }
      const completed = Math.round((source.sizeBytes * step) / pullSteps)
      line({ status: `pulling ${source.digest.slice(0, 12)}`, digest, total: source.sizeBytes, completed })
    }
    for (const status of ['verifying sha256 digest', 'writing manifest', 'success']) line({ status })
    this.install(source)
    res.end()
  }

  private install(model: FakeOllamaModel): void {
    const index = this.models.findIndex((installed) => installed.name === model.name)
    if (index >= 0) this.models.splice(index, 1)
    this.models.push({ ...model })
  }

  /** /api/generate and /api/chat: an empty request loads or (keep_alive 0) unloads. */
  private async generate(res: ServerResponse, body: Body, chat: boolean): Promise<void> {
    const model = this.find(body.model)
    if (!model)
      return sendJson(res, 404, { error: `model "${String(body.model)}" not found, try pulling it first` })
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : []
    const prompt = chat
      ? messages.map((message) => String(message.content ?? '')).join(' ')
      : String(body.prompt ?? '')
    const base = { model: model.name, created_at: new Date().toISOString() }
    const streaming = body.stream !== false
    if (prompt === '' || (chat && messages.length === 0)) {
      this.setLoaded(model.name, body.keep_alive)
      const unloading = keepAliveMs(body.keep_alive) === 0
      const answer = {
        ...base,
        ...(chat ? { message: { role: 'assistant', content: '' } } : { response: '' }),
      }
      const final = { ...answer, done: true, done_reason: unloading ? 'unload' : 'load' }
      if (!streaming) return sendJson(res, 200, final)
      res.writeHead(200, NDJSON)
      return void res.end(`${JSON.stringify(final)}\n`)
    }
    this.setLoaded(model.name, body.keep_alive)
    const piece = (text: string) =>
      chat ? { message: { role: 'assistant', content: text } } : { response: text }
    const limit = Number((body.options as { num_predict?: unknown } | undefined)?.num_predict ?? -1)
    const all = splitTokens(this.reply)
    const tokens = limit > 0 ? all.slice(0, limit) : all
    const stats = {
      done: true,
      done_reason: tokens.length < all.length ? 'length' : 'stop',
      total_duration: 1_000_000 * (tokens.length + 1),
      load_duration: 1_000_000,
      prompt_eval_count: countWords(prompt),
      prompt_eval_duration: 500_000,
      eval_count: tokens.length,
      eval_duration: 1_000_000 * tokens.length,
    }
    if (!streaming) return sendJson(res, 200, { ...base, ...piece(tokens.join('')), ...stats })
    res.writeHead(200, NDJSON)
    const line = (value: object | string) =>
      res.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`)
    const mode = this.chatMode
    const delayMs = mode === 'slow' ? this.options.slowDelayMs : this.options.tokenDelayMs
    for (const [index, token] of tokens.entries()) {
      if (!(await pace(res, delayMs))) return
      if (index === this.options.failAfter) {
        if (mode === 'disconnect') return dropConnection(res)
        if (mode === 'error') {
          line({ error: 'an error was encountered while running the model: unexpected EOF' })
          return void res.end()
        }
        if (mode === 'garbage') {
          line('<html><body>502 Bad Gateway</body></html>')
          line('{"message": {"content": "unterminated')
          return void res.end()
        }
      }
      line({ ...base, ...piece(token), done: false })
    }
    line({ ...base, ...piece(''), ...stats })
    res.end()
  }
}
