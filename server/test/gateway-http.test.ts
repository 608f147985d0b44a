// Raw HTTP against /v1: malformed and unusual bodies, huge max_tokens, and every way a
// credential can be wrong — each answered in OpenAI's error shape with the right status.
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from './fakes/fake-ollama.js'
import { addProvider, type GatewayEnv, gatewayKey, injectedError, startGateway } from './gateway-kit.js'
import { atClockAfter, createApiKey, dbKinds } from './helpers.js'

const hello = { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] }

describe.each(dbKinds)('gateway HTTP edge cases on %s', (kind) => {
  let env: GatewayEnv
  let fake: FakeOllama
  let key: { key: string; id: string; auth: { authorization: string } }

  const chat = (payload: unknown, options: Partial<InjectOptions> = {}) =>
    env.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: {
        ...key.auth,
        ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
      },
      payload: payload as InjectOptions['payload'],
      ...options,
    })
  const lastChatBody = () => fake.requestsTo('/api/chat').at(-1)?.body as Record<string, unknown>

  beforeAll(async () => {
    env = await startGateway(kind)
    fake = await FakeOllama.start()
    await addProvider(env, { name: 'ollama-a', kind: 'ollama', baseUrl: fake.url })
    key = await gatewayKey(env, env.user)
  })
  afterAll(async () => {
    await env?.close()
    await fake?.close()
  })

  it('answers a plain request', async () => {
    const response = await chat(hello)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json().choices[0].message.content).toBe(fake.reply)
  })

  it('refuses a body that is not JSON', async () => {
    const error = injectedError(await chat('{"model": "llama3.2:1b", "messages": ['), 400)
    expect(error.type).toBe('invalid_request_error')
    expect(error.message).toMatch(/JSON/)
  })

  it('refuses a body that is not a JSON object', async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { ...key.auth, 'content-type': 'text/plain' },
      payload: JSON.stringify(hello),
    })
    expect(injectedError(response, 400).message).toMatch(/must be a JSON object/)
    injectedError(await chat('[1, 2]'), 400)
  })

  it.each([
    ['temperature', { ...hello, temperature: 'hot' }, 'temperature'],
    ['messages', { model: 'llama3.2:1b', messages: 'hi' }, 'messages'],
    [
      'message content',
      { model: 'llama3.2:1b', messages: [{ role: 'user', content: 5 }] },
      'messages[0].content',
    ],
    [
      'message role',
      { model: 'llama3.2:1b', messages: [{ role: 'wizard', content: 'x' }] },
      'messages[0].role',
    ],
    ['no model', { messages: hello.messages }, 'model'],
    ['max_tokens as a string', { ...hello, max_tokens: '100' }, 'max_tokens'],
    ['stream as a string', { ...hello, stream: 'yes' }, 'stream'],
    ['no messages', { model: 'llama3.2:1b', messages: [] }, 'messages'],
    ['top_p out of range', { ...hello, top_p: 3 }, 'top_p'],
  ])('refuses a garbage %s with 400 naming the param', async (_name, body, param) => {
    const error = injectedError(await chat(body), 400)
    expect(error).toMatchObject({ type: 'invalid_request_error', param })
  })

  it('accepts unknown and ignorable fields and names them in a header', async () => {
    const response = await chat({ ...hello, foo: { bar: 1 }, seed: 7, user: 'u-1', presence_penalty: 0.5 })
    expect(response.statusCode, response.body).toBe(200)
    expect(String(response.headers['x-webplus-ignored-params']).split(',').sort()).toEqual([
      'foo',
      'presence_penalty',
      'seed',
      'user',
    ])
    expect(lastChatBody()).not.toHaveProperty('foo')
  })

  it('passes what it supports: developer messages as system, text parts joined, temperature and top_p', async () => {
    const response = await chat({
      model: 'llama3.2:1b',
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
        },
      ],
      temperature: 0.3,
      top_p: 0.9,
    })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.headers['x-webplus-ignored-params']).toBeUndefined()
    expect(lastChatBody()).toMatchObject({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'one\ntwo' },
      ],
      options: { temperature: 0.3, top_p: 0.9 },
    })
  })

  it.each([
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }, 'tools'],
    ['n > 1', { n: 2 }, 'n'],
    ['stop sequences', { stop: ['\n'] }, 'stop'],
    ['JSON mode', { response_format: { type: 'json_object' } }, 'response_format'],
    ['logprobs', { logprobs: true }, 'logprobs'],
  ])('refuses %s clearly rather than ignoring them', async (_name, extra, param) => {
    const error = injectedError(await chat({ ...hello, ...extra }), 400)
    expect(error).toMatchObject({ param, code: 'unsupported_parameter' })
  })

  it('refuses image parts and tool messages, naming where they are', async () => {
    const image = injectedError(
      await chat({
        model: 'llama3.2:1b',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }],
      }),
      400,
    )
    expect(image.param).toBe('messages[0].content[0].type')
    const tool = injectedError(
      await chat({ model: 'llama3.2:1b', messages: [{ role: 'tool', content: 'x', tool_call_id: 'a' }] }),
      400,
    )
    expect(tool.param).toBe('messages[0].role')
  })

  it('accepts tools the request says not to use, and empty stop lists', async () => {
    const response = await chat({
      ...hello,
      tools: [{ type: 'function', function: { name: 'f' } }],
      tool_choice: 'none',
      stop: [],
      n: 1,
    })
    expect(response.statusCode, response.body).toBe(200)
  })

  it.each([[10_000_000_000], [1e308], [0], [-5], [1.5]])(
    'refuses max_tokens %s with a message saying the allowed range',
    async (value) => {
      const error = injectedError(await chat({ ...hello, max_tokens: value }), 400)
      expect(error.param).toBe('max_tokens')
      expect(error.message).toMatch(/1 to 1000000/)
    },
  )

  it('lowers a large max_tokens to the model’s context length', async () => {
    const response = await chat({ ...hello, max_completion_tokens: 500_000 })
    expect(response.statusCode, response.body).toBe(200)
    expect((lastChatBody().options as { num_predict: number }).num_predict).toBe(131072)
  })

  it('answers unknown /v1 routes in the OpenAI shape', async () => {
    const response = await env.app.inject({ method: 'POST', url: '/v1/completions', headers: key.auth })
    expect(injectedError(response, 404).message).toMatch(/Invalid URL/)
  })

  describe('credentials', () => {
    it('refuses a key in the query string, with or without a valid header', async () => {
      for (const headers of [{}, key.auth]) {
        const response = await env.app.inject({ url: `/v1/models?api_key=${key.key}`, headers })
        const error = injectedError(response, 401)
        expect(error.message).toMatch(/in the URL are refused/)
      }
      const other = await env.app.inject({ url: `/v1/models?key=${key.key}` })
      expect(injectedError(other, 401).message).toMatch(/in the URL are refused/)
    })

    it('refuses a request without a key and a malformed Authorization header', async () => {
      expect(injectedError(await env.app.inject({ url: '/v1/models' }), 401).code).toBe('invalid_api_key')
      const malformed = await env.app.inject({ url: '/v1/models', headers: { authorization: 'Basic abc' } })
      injectedError(malformed, 401)
    })

    it('refuses a revoked key', async () => {
      const doomed = await gatewayKey(env, env.user)
      expect((await env.app.inject({ url: '/v1/models', headers: doomed.auth })).statusCode).toBe(200)
      const revoked = await env.app.inject({
        method: 'DELETE',
        url: `/api/v1/api-keys/${doomed.id}`,
        headers: env.user.auth,
      })
      expect(revoked.statusCode).toBe(204)
      const response = await env.app.inject({ url: '/v1/models', headers: doomed.auth })
      expect(injectedError(response, 401).code).toBe('invalid_api_key')
      injectedError(await chat(hello, { headers: doomed.auth }), 401)
    })

    it('refuses an expired key', async () => {
      const expiresAt = new Date(Date.now() + 30_000).toISOString()
      const expiring = await createApiKey(env.app, env.user, ['gateway'], expiresAt)
      expect((await env.app.inject({ url: '/v1/models', headers: expiring.auth })).statusCode).toBe(200)
      expect((await env.app.inject({ url: '/v1/models', headers: expiring.auth })).statusCode).toBe(200)
      await atClockAfter(expiresAt, async () => {
        const response = await env.app.inject({ url: '/v1/models', headers: expiring.auth })
        expect(injectedError(response, 401).code).toBe('invalid_api_key')
      })
    })

    it('refuses a key without the gateway scope with 403', async () => {
      const plain = await gatewayKey(env, env.user, ['read', 'write'])
      const error = injectedError(await env.app.inject({ url: '/v1/models', headers: plain.auth }), 403)
      expect(error.message).toMatch(/gateway/)
      injectedError(await chat(hello, { headers: plain.auth }), 403)
    })

    it('refuses a signed-in session’s access token: the gateway takes API keys only', async () => {
      const error = injectedError(await env.app.inject({ url: '/v1/models', headers: env.user.auth }), 401)
      expect(error.message).toMatch(/only Web\+ API keys/)
    })
  })
})
