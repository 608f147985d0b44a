// A stand-in for Anthropic's API: /v1/models and /v1/messages (JSON, or SSE with
// message_start … message_stop), its error shape, the x-api-key and anthropic-version
// headers, and switchable faults.

import type { IncomingMessage, ServerResponse } from 'node:http'
import { countWords, dropConnection, FakeHttpServer, pace, sendJson, splitTokens } from './fake-http.js'

export type AnthropicMode =
  | 'normal'
  | 'slow'
  /** 429 `rate_limit_error` with `retry-after`. */
  | 'rate_limited'
  /** 529 `overloaded_error` before any streaming. */
  | 'overloaded'
  /** An `event: error` (overloaded_error) mid-stream. */
  | 'error'
  | 'disconnect'
  /** An event whose data is not JSON mid-stream. */
  | 'garbage'

export interface FakeAnthropicModel {
  id: string
  display_name: string
  created_at: string
  /** Newer API answers carry these; leave them out to mimic older ones. */
  max_input_tokens?: number
  image_input?: boolean
}

export interface FakeAnthropicOptions {
  apiKey?: string
  models?: FakeAnthropicModel[]
  reply?: string
  tokenDelayMs?: number
  slowDelayMs?: number
  failAfter?: number
}

type Body = Record<string, unknown>

function anthropicError(type: string, message: string) {
  return { type: 'error', error: { type, message } }
}

export class FakeAnthropic extends FakeHttpServer {
  readonly apiKey: string
  readonly models: FakeAnthropicModel[]
  reply: string
  mode: AnthropicMode = 'normal'
  private readonly options: Required<Omit<FakeAnthropicOptions, 'apiKey' | 'models' | 'reply'>>

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
    const fake = new FakeAnthropic(options)
    await fake.listen()
    return fake
  }

  private constructor(options: FakeAnthropicOptions) {
    super()
    this.apiKey = options.apiKey ?? 'sk-ant-test'
    this.models = options.models ?? [
      {
        id: 'claude-sonnet-4-6',
        display_name: 'Claude Sonnet 4.6',
        created_at: '2026-02-17T00:00:00Z',
        max_input_tokens: 200_000,
        image_input: true,
      },
      {
        id: 'claude-3-5-haiku-20241022',
        display_name: 'Claude Haiku 3.5',
        created_at: '2024-10-22T00:00:00Z',
      },
    ]
    this.reply = options.reply ?? 'Hello from the fake Claude, one word at a time.'
    this.options = {
      tokenDelayMs: options.tokenDelayMs ?? 0,
      slowDelayMs: options.slowDelayMs ?? 50,
      failAfter: options.failAfter ?? 2,
    }
  }

  setMode(mode: AnthropicMode): void {
    this.mode = mode
  }

  protected async respond(req: IncomingMessage, res: ServerResponse, raw: unknown): Promise<void> {
    const body = (typeof raw === 'object' && raw !== null ? raw : {}) as Body
    if (req.headers['x-api-key'] !== this.apiKey) {
      return sendJson(res, 401, anthropicError('authentication_error', 'invalid x-api-key'))
    }
    if (!req.headers['anthropic-version']) {
      return sendJson(
        res,
        400,
        anthropicError('invalid_request_error', 'anthropic-version: header is required'),
      )
    }
    const url = new URL(req.url ?? '/', 'http://fake')
    const route = `${req.method} ${url.pathname}`
    if (route === 'GET /v1/models') return this.listModels(res, url)
    if (route === 'POST /v1/messages') return this.messages(res, body)
    sendJson(res, 404, anthropicError('not_found_error', 'Not found'))
  }

  private listModels(res: ServerResponse, url: URL): void {
    const limit = Number(url.searchParams.get('limit') ?? 20)
    const page = this.models.slice(0, limit).map(({ image_input, max_input_tokens, ...model }) => ({
      type: 'model',
      ...model,
      ...(max_input_tokens === undefined ? {} : { max_input_tokens }),
      ...(image_input === undefined ? {} : { capabilities: { image_input: { supported: image_input } } }),
    }))
    sendJson(res, 200, {
      data: page,
      has_more: page.length < this.models.length,
      first_id: page[0]?.id ?? null,
      last_id: page.at(-1)?.id ?? null,
    })
  }

  private async messages(res: ServerResponse, body: Body): Promise<void> {
    if (typeof body.max_tokens !== 'number') {
      return sendJson(res, 400, anthropicError('invalid_request_error', 'max_tokens: Field required'))
    }
    if (!this.models.some((model) => model.id === body.model)) {
      return sendJson(res, 404, anthropicError('not_found_error', `model: ${String(body.model)}`))
    }
    if (this.mode === 'rate_limited') {
      const error = anthropicError(
        'rate_limit_error',
        'Number of request tokens has exceeded your per-minute rate limit',
      )
      return sendJson(res, 429, error, { 'retry-after': '3' })
    }
    if (this.mode === 'overloaded')
      return sendJson(res, 529, anthropicError('overloaded_error', 'Overloaded'))
    const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : []
    const prompt = [body.system, ...messages.map((message) => message.content)].filter(
      (x) => typeof x === 'string',
    )
    const inputTokens = prompt.reduce((sum, text) => sum + countWords(text), 0)
    const all = splitTokens(this.reply)
    const tokens = all.slice(0, body.max_tokens)
    const stopReason = tokens.length < all.length ? 'max_tokens' : 'end_turn'
    const message = {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: body.model,
      stop_sequence: null,
    }
    if (body.stream !== true) {
      return sendJson(res, 200, {
        ...message,
        content: [{ type: 'text', text: tokens.join('') }],
        stop_reason: stopReason,
        usage: { input_tokens: inputTokens, output_tokens: tokens.length },
      })
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
    const send = (event: string, data: object | string) =>
      res.write(`event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    const start = {
      ...message,
      content: [],
      stop_reason: null,
      usage: { input_tokens: inputTokens, output_tokens: 1 },
    }
    send('message_start', { type: 'message_start', message: start })
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    })
    send('ping', { type: 'ping' })
    const delayMs = this.mode === 'slow' ? this.options.slowDelayMs : this.options.tokenDelayMs
    for (const [index, token] of tokens.entries()) {
      if (!(await pace(res, delayMs))) return
      if (index === this.options.failAfter) {
        if (this.mode === 'disconnect') return dropConnection(res)
        if (this.mode === 'error') {
          send('error', anthropicError('overloaded_error', 'Overloaded'))
          return void res.end()
        }
        if (this.mode === 'garbage') {
          send('content_block_delta', '<html>502 Bad Gateway</html>')
          return void res.end()
        }
      }
      const delta = { type: 'text_delta', text: token }
      send('content_block_delta', { type: 'content_block_delta', index: 0, delta })
    }
    send('content_block_stop', { type: 'content_block_stop', index: 0 })
    send('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: tokens.length },
    })
    send('message_stop', { type: 'message_stop' })
    res.end()
  }
}
