// A stand-in for OpenAI (or any server speaking its API): /v1/models, /v1/chat/completions
// as JSON or as SSE `data:` chunks ending `data: [DONE]`, /v1/embeddings, OpenAI's error
// shape, and switchable faults.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { countWords, dropConnection, FakeHttpServer, pace, sendJson, splitTokens } from './fake-http.js'

export type OpenAIMode =
  | 'normal'
  | 'slow'
  /** 429 with `retry-after` on every request. */
  | 'rate_limited'
  /** 500 on every request. */
  | 'server_error'
  /** A `data: {"error": …}` chunk mid-stream. */
  | 'error'
  | 'disconnect'
  /** A `data:` line that is not JSON mid-stream. */
  | 'garbage'

export interface FakeOpenAIOptions {
  /** The key `Authorization: Bearer` must carry; null accepts any or none. Default `sk-test`. */
  apiKey?: string | null
  models?: string[]
  reply?: string
  tokenDelayMs?: number
  slowDelayMs?: number
  /** Tokens sent before a mid-stream fault. */
  failAfter?: number
  /** Length of every embedding vector. */
  embeddingDimensions?: number
  retryAfterSeconds?: number
}

type Body = Record<string, unknown>

function openaiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } }
}

export class FakeOpenAI extends FakeHttpServer {
  readonly apiKey: string | null
  readonly models: string[]
  reply: string
  mode: OpenAIMode = 'normal'
  private readonly options: Required<Omit<FakeOpenAIOptions, 'apiKey' | 'models' | 'reply'>>

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const fake = new FakeOpenAI(options)
    await fake.listen()
    return fake
  }

  private constructor(options: FakeOpenAIOptions) {
    super()
    this.apiKey = options.apiKey === undefined ? 'sk-test' : options.apiKey
    this.models = options.models ?? ['gpt-4o-mini', 'gpt-4.1', 'text-embedding-3-small', 'whisper-1']
    this.reply = options.reply ?? 'Hello from the fake OpenAI, one word at a time.'
    this.options = {
      tokenDelayMs: options.tokenDelayMs ?? 0,
      slowDelayMs: options.slowDelayMs ?? 50,
      failAfter: options.failAfter ?? 2,
      embeddingDimensions: options.embeddingDimensions ?? 4,
      retryAfterSeconds: options.retryAfterSeconds ?? 2,
    }
  }

  /** The fake's base URL as clients expect it, with `/v1`. */
  get baseUrl(): string {
    return `${this.url}/v1`
  }

  setMode(mode: OpenAIMode): void {
    this.mode = mode
  }

  protected async respond(req: IncomingMessage, res: ServerResponse, raw: unknown): Promise<void> {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Body
    const presented = req.headers.authorization?.replace(/^Bearer /, '')
    if (this.apiKey !== null && presented !== this.apiKey) {
      const shown = presented ? `${presented.slice(0, 3)}***${presented.slice(-2)}` : ''
      return sendJson(
        res,
        401,
        presented
          ? openaiError(`Incorrect API key provided: ${shown}.`, 'invalid_request_error', 'invalid_api_key')
          : openaiError("You didn't provide an API key.", 'invalid_request_error', null),
      )
    }
    if (this.mode === 'rate_limited') {
      const message = `Rate limit reached for requests. Please try again in ${this.options.retryAfterSeconds}s.`
      return sendJson(res, 429, openaiError(message, 'requests', 'rate_limit_exceeded'), {
        'retry-after': String(this.options.retryAfterSeconds),
      })
    }
    if (this.mode === 'server_error') {
      const message = 'The server had an error while processing your request. Sorry about that!'
      return sendJson(res, 500, openaiError(message, 'server_error', null))
    }
    const route = `${req.method} ${new URL(req.url ?? '/', 'http://fake').pathname}`
    switch (route) {
      case 'GET /v1/models':
        return sendJson(res, 200, {
          object: 'list',
          data: this.models.map((id) => ({
            id,
            object: 'model',
            created: 1_700_000_000,
            owned_by: 'system',
          })),
        })
      case 'POST /v1/chat/completions':
        return this.completions(res, body)
      case 'POST /v1/embeddings':
        return this.embeddings(res, body)
      default:
        return sendJson(res, 404, openaiError(`Invalid URL (${route})`, 'invalid_request_error', null))
    }
  }

  private unknownModel(res: ServerResponse, model: unknown): boolean {
    if (typeof model === 'string' && this.models.includes(model)) return false
    const message = `The model \`${String(model)}\` does not exist or you do not have access to it.`
    sendJson(res, 404, openaiError(message, 'invalid_request_error', 'model_not_found'))
    return true
  }

  private embeddings(res: ServerResponse, body: Body): void {
    if (this.unknownModel(res, body.model)) return
    const input = Array.isArray(body.input) ? body.input.map(String) : [String(body.input ?? '')]
    const vector = (text: string) =>
      Array.from({ length: this.options.embeddingDimensions }, (_, i) => (text.length + i) / 100)
    const encode = (values: number[]) =>
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(values).buffer).toString('base64')
        : values
    const tokens = input.reduce((sum, text) => sum + countWords(text), 0)
    sendJson(res, 200, {
      object: 'list',
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: encode(vector(text)) })),
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    })
  }

  private async completions(res: ServerResponse, body: Body): Promise<void> {
    if (this.unknownModel(res, body.model)) return
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : []
    const promptTokens = messages.reduce((sum, message) => sum + countWords(String(message.content ?? '')), 0)
    const limit = Number(body.max_completion_tokens ?? body.max_tokens ?? 0)
    const all = splitTokens(this.reply)
    const tokens = limit > 0 ? all.slice(0, limit) : all
    const finishReason = tokens.length < all.length ? 'length' : 'stop'
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: tokens.length,
      total_tokens: promptTokens + tokens.length,
    }
    const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: body.model }
    if (body.stream !== true) {
      const message = { role: 'assistant', content: tokens.join(''), refusal: null }
      return sendJson(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage,
      })
    }
    const includeUsage =
      (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    const send = (data: object | string) =>
      res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    const chunk = (delta: object, finish: string | null) => ({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
    })
    send(chunk({ role: 'assistant', content: '', refusal: null }, null))
    const delayMs = this.mode === 'slow' ? this.options.slowDelayMs : this.options.tokenDelayMs
    for (const [index, token] of tokens.entries()) {
      if (!(await pace(res, delayMs))) return
      if (index === this.options.failAfter) {
        if (this.mode === 'disconnect') return dropConnection(res)
        if (this.mode === 'error') {
          send(openaiError('The server had an error while processing your request.', 'server_error', null))
          return void res.end()
        }
        if (this.mode === 'garbage') {
          send('<html>502 Bad Gateway</html>')
          return void res.end()
        }
      }
      send(chunk({ content: token }, null))
    }
    send(chunk({}, finishReason))
    if (includeUsage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage })
    send('[DONE]')
    res.end()
  }
}
