// The official `openai` npm client pointed at Web+: lists models, completes, streams with usage,
// embeds, and gets its typed errors for a bad key, a forbidden or unknown model and a limit.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from './fakes/fake-ollama.js'
import {
  addProvider,
  type GatewayEnv,
  gatewayKey,
  type ModelView,
  openai,
  startGateway,
  waitForUsage,
} from './gateway-kit.js'
import { dbKinds } from './helpers.js'

const REPLY = 'Hello from the fake Ollama, one word at a time.'

describe.each(dbKinds)('the openai client against the gateway on %s', (kind) => {
  let env: GatewayEnv
  let fake: FakeOllama
  let models: ModelView[]
  let key: { key: string; id: string }
  let client: OpenAI

  beforeAll(async () => {
    env = await startGateway(kind)
    fake = await FakeOllama.start({ reply: REPLY })
    ;({ models } = await addProvider(env, { name: 'ollama-a', kind: 'ollama', baseUrl: fake.url }))
    key = await gatewayKey(env, env.user)
    client = openai(env, key.key)
  })
  afterAll(async () => {
    await env?.close()
    await fake?.close()
  })

  it('lists the models the key may use, in the OpenAI list format', async () => {
    const page = await client.models.list()
    const ids = page.data.map((m) => m.id).sort()
    expect(ids).toEqual(['llama3.2:1b', 'llava:7b', 'nomic-embed-text:latest'])
    expect(page.data[0]).toEqual({
      id: expect.any(String),
      object: 'model',
      created: expect.any(Number),
      owned_by: 'ollama',
    })
    expect((await client.models.retrieve('llama3.2:1b')).id).toBe('llama3.2:1b')
  })

  it('hides a model the role may not use from the list and answers 404 for it', async () => {
    const llava = models.find((m) => m.name === 'llava:7b')
    const patched = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${llava?.id}`,
      headers: env.admin.auth,
      payload: { allowedRoles: ['admin'] },
    })
    expect(patched.statusCode).toBe(200)
    try {
      expect((await client.models.list()).data.map((m) => m.id)).not.toContain('llava:7b')
      const error = await client.chat.completions
        .create({ model: 'llava:7b', messages: [{ role: 'user', content: 'hi' }] })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found')
    } finally {
      await env.app.inject({
        method: 'PATCH',
        url: `/api/v1/models/${llava?.id}`,
        headers: env.admin.auth,
        payload: { allowedRoles: ['admin', 'developer', 'user'] },
      })
    }
  })

  it('completes a chat and records usage with the key', async () => {
    const before = (await waitForUsage(env, key.id, 0)).length
    const reply = await client.chat.completions.create({
      model: 'llama3.2:1b',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      max_tokens: 100,
    })
    expect(reply.object).toBe('chat.completion')
    expect(reply.model).toBe('llama3.2:1b')
    expect(reply.choices[0]?.message).toMatchObject({ role: 'assistant', content: REPLY })
    expect(reply.choices[0]?.finish_reason).toBe('stop')
    expect(reply.usage).toEqual({ prompt_tokens: 4, completion_tokens: 10, total_tokens: 14 })
    const rows = await waitForUsage(env, key.id, before + 1)
    expect(rows.at(-1)).toMatchObject({
      source: 'gateway',
      user_id: env.user.id,
      api_key_id: key.id,
      model_name: 'llama3.2:1b',
      input_tokens: 4,
      output_tokens: 10,
      outcome: 'success',
    })
    const sent = fake.requestsTo('/api/chat').at(-1)?.body as { options: { num_predict: number } }
    expect(sent.options.num_predict).toBe(100)
  })

  it('streams chunks and, when asked, a final usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'llama3.2:1b',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe(REPLY)
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0]?.id)).toBe(true)
    const finish = chunks.find((c) => c.choices[0]?.finish_reason)
    expect(finish?.choices[0]?.finish_reason).toBe('stop')
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toEqual({ prompt_tokens: 2, completion_tokens: 10, total_tokens: 12 })
  })

  it('streams without a usage chunk unless asked', async () => {
    const stream = await client.chat.completions.create({
      model: 'llama3.2:1b',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    })
    const chunks: OpenAI.ChatCompletionChunk[] = []
    for await (const chunk of stream) chunks.push(chunk)
    expect(chunks.some((c) => c.usage)).toBe(false)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
  })

  it('computes embeddings, as floats and in the base64 form the client asks for by default', async () => {
    const decoded = await client.embeddings.create({
      model: 'nomic-embed-text:latest',
      input: ['one two', 'x'],
    })
    expect(decoded.data.map((d) => d.embedding)).toEqual([
      [7, 2, 0.5, -0.5],
      [1, 1, 0.5, -0.5],
    ])
    const floats = await client.embeddings.create({
      model: 'nomic-embed-text:latest',
      input: 'hello',
      encoding_format: 'float',
    })
    expect(floats.data[0]?.embedding).toEqual([5, 1, 0.5, -0.5])
    expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 })
    expect(floats.model).toBe('nomic-embed-text:latest')
    const rows = await waitForUsage(env, key.id, 1)
    expect(
      rows.filter((r) => r.model_name === 'nomic-embed-text:latest' && r.source === 'gateway'),
    ).toHaveLength(2)
  })

  it('refuses embeddings from a chat model', async () => {
    const error = await client.embeddings
      .create({ model: 'llama3.2:1b', input: 'x' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
  })

  it('raises AuthenticationError for a bad key', async () => {
    const bad = openai(env, `wp_${'x'.repeat(32)}`)
    const error = await bad.models.list().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key')
  })

  it('raises PermissionDeniedError for a model outside the key’s allowed list', async () => {
    const limited = await gatewayKey(env, env.user)
    const patched = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/api-keys/${limited.id}/limits`,
      headers: env.user.auth,
      payload: { allowedModels: ['nomic-embed-text:latest'] },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const limitedClient = openai(env, limited.key)
    expect((await limitedClient.models.list()).data.map((m) => m.id)).toEqual(['nomic-embed-text:latest'])
    const error = await limitedClient.chat.completions
      .create({ model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError)
  })

  it('raises RateLimitError with Retry-After once the key’s requests per minute are used', async () => {
    const limited = await gatewayKey(env, env.user)
    await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/api-keys/${limited.id}/limits`,
      headers: env.user.auth,
      payload: { requestsPerMinute: 2 },
    })
    const limitedClient = openai(env, limited.key)
    const ask = () =>
      limitedClient.chat.completions.create({
        model: 'llama3.2:1b',
        messages: [{ role: 'user', content: 'hi' }],
      })
    await ask()
    await ask()
    const error = await ask().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const retryAfter = Number(
      (error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after'),
    )
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
  })
})
