// Routing through the gateway: every provider kind (fakes of Ollama, OpenAI, OpenAI-compatible
// servers and Anthropic), model ids when names collide, the fallback model, mid-stream
// failures, and a client that goes away aborting the upstream request.
import OpenAI from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FakeAnthropic } from './fakes/fake-anthropic.js'
import { FakeOllama } from './fakes/fake-ollama.js'
import { FakeOpenAI } from './fakes/fake-openai.js'
import {
  addProvider,
  type GatewayEnv,
  gatewayKey,
  hangUpDuring,
  openai,
  post,
  removeProviders,
  ssePayloads,
  startGateway,
  usageRows,
  waitForUsage,
} from './gateway-kit.js'
import { dbKinds } from './helpers.js'

async function complete(client: OpenAI, model: string) {
  const reply = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Say hi' }],
  })
  return reply
}

async function streamText(client: OpenAI, model: string) {
  const stream = await client.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Say hi' }],
    stream: true,
    stream_options: { include_usage: true },
  })
  let text = ''
  let usage: OpenAI.CompletionUsage | null | undefined
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? ''
    if (chunk.usage) usage = chunk.usage
  }
  return { text, usage }
}

describe.each(dbKinds)('gateway routing on %s', (kind) => {
  let env: GatewayEnv
  let key: { key: string; id: string; auth: { authorization: string } }
  let client: OpenAI
  const fakes: Array<{ close(): Promise<void> }> = []

  async function started<T extends { close(): Promise<void> }>(fake: Promise<T>): Promise<T> {
    const value = await fake
    fakes.push(value)
    return value
  }

  beforeAll(async () => {
    env = await startGateway(kind)
    key = await gatewayKey(env, env.user)
    client = openai(env, key.key)
  })
  afterEach(async () => {
    await removeProviders(env)
    for (const fake of fakes.splice(0)) await fake.close()
  })
  afterAll(() => env?.close())

  it.each([
    ['ollama', 'llama3.2:1b'],
    ['openai-compatible', 'gpt-4o-mini'],
    ['openai', 'gpt-4.1'],
    ['anthropic', 'claude-sonnet-4-6'],
  ] as const)('translates for a %s provider, as one object and as a stream', async (providerKind, model) => {
    const fake =
      providerKind === 'ollama'
        ? await started(FakeOllama.start())
        : providerKind === 'anthropic'
          ? await started(FakeAnthropic.start())
          : await started(FakeOpenAI.start())
    const baseUrl = fake instanceof FakeOpenAI ? fake.baseUrl : fake.url
    const apiKey =
      fake instanceof FakeOpenAI ? fake.apiKey : fake instanceof FakeAnthropic ? fake.apiKey : undefined
    await addProvider(env, {
      name: `p-${providerKind}`,
      kind: providerKind,
      baseUrl,
      ...(apiKey ? { apiKey } : {}),
    })
    const reply = await complete(client, model)
    expect(reply.choices[0]?.message.content).toBe(fake.reply)
    expect(reply.usage?.completion_tokens).toBe(10)
    const streamed = await streamText(client, model)
    expect(streamed.text).toBe(fake.reply)
    expect(streamed.usage?.completion_tokens).toBe(10)
  })

  it('gives the first model with a name the plain id and later ones name@provider; Web+ ids work too', async () => {
    const first = await started(FakeOpenAI.start({ reply: 'from the first' }))
    const second = await started(FakeOpenAI.start({ reply: 'from the second' }))
    await addProvider(env, {
      name: 'First Cloud',
      kind: 'openai-compatible',
      baseUrl: first.baseUrl,
      apiKey: 'sk-test',
    })
    const added = await addProvider(env, {
      name: 'Second Cloud',
      kind: 'openai-compatible',
      baseUrl: second.baseUrl,
      apiKey: 'sk-test',
    })
    const ids = (await client.models.list()).data.map((m) => m.id)
    expect(ids).toContain('gpt-4o-mini')
    expect(ids).toContain('gpt-4o-mini@second-cloud')
    expect(new Set(ids).size).toBe(ids.length)
    expect((await complete(client, 'gpt-4o-mini')).choices[0]?.message.content).toBe('from the first')
    expect((await complete(client, 'gpt-4o-mini@second-cloud')).choices[0]?.message.content).toBe(
      'from the second',
    )
    const secondMini = added.models.find((m) => m.name === 'gpt-4o-mini')
    const byWebplusId = await complete(client, secondMini?.id ?? '')
    expect(byWebplusId.choices[0]?.message.content).toBe('from the second')
    expect(byWebplusId.model).toBe('gpt-4o-mini@second-cloud')
  })

  it('stops calling a provider as soon as an admin disables it or removes it', async () => {
    const fake = await started(FakeOpenAI.start({ reply: 'still here' }))
    const { providerId } = await addProvider(env, {
      name: 'Soon Gone',
      kind: 'openai-compatible',
      baseUrl: fake.baseUrl,
      apiKey: 'sk-test',
    })
    // Warm every cache on the way (key, model, hosts, directory).
    expect((await complete(client, 'gpt-4o-mini')).choices[0]?.message.content).toBe('still here')
    const calls = () => fake.requestsTo('/v1/chat/completions').length
    const before = calls()
    const change = (method: 'PATCH' | 'DELETE', payload?: object) =>
      env.app.inject({ method, url: `/api/v1/providers/${providerId}`, headers: env.admin.auth, payload })
    expect((await change('PATCH', { enabled: false })).statusCode).toBe(200)
    await expect(complete(client, 'gpt-4o-mini')).rejects.toBeInstanceOf(OpenAI.APIError)
    expect((await change('PATCH', { enabled: true })).statusCode).toBe(200)
    expect((await change('DELETE')).statusCode).toBe(204)
    await expect(complete(client, 'gpt-4o-mini')).rejects.toBeInstanceOf(OpenAI.NotFoundError)
    expect(calls()).toBe(before)
  })

  it('falls back to the fallback model when the model fails before any token', async () => {
    const broken = await started(FakeOpenAI.start())
    const ollama = await started(FakeOllama.start())
    const { models } = await addProvider(env, {
      name: 'broken',
      kind: 'openai-compatible',
      baseUrl: broken.baseUrl,
      apiKey: 'sk-test',
    })
    const local = await addProvider(env, { name: 'local', kind: 'ollama', baseUrl: ollama.url })
    const primary = models.find((m) => m.name === 'gpt-4o-mini')
    const fallback = local.models.find((m) => m.name === 'llama3.2:1b')
    broken.setMode('server_error')
    const withoutFallback = await complete(client, 'gpt-4o-mini').catch((e: unknown) => e)
    expect(withoutFallback).toBeInstanceOf(OpenAI.InternalServerError)
    expect((withoutFallback as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
    // A stream that fails before its first token gets a real HTTP status, not a broken stream.
    const streamFailure = await streamText(client, 'gpt-4o-mini').catch((e: unknown) => e)
    expect(streamFailure).toBeInstanceOf(OpenAI.InternalServerError)
    expect((streamFailure as InstanceType<typeof OpenAI.APIError>).message).toMatch(/broken/)

    const patched = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${primary?.id}`,
      headers: env.admin.auth,
      payload: { fallbackModelId: fallback?.id },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    expect(patched.json().fallbackModelId).toBe(fallback?.id)
    const before = (await usageRows(env, key.id)).length
    const reply = await complete(client, 'gpt-4o-mini')
    expect(reply.model).toBe('llama3.2:1b')
    expect(reply.choices[0]?.message.content).toBe(ollama.reply)
    const streamed = await streamText(client, 'gpt-4o-mini')
    expect(streamed.text).toBe(ollama.reply)
    const rows = (await waitForUsage(env, key.id, before + 4)).slice(before)
    expect(rows.map((r) => [r.model_name, r.outcome])).toEqual([
      ['gpt-4o-mini', 'error'],
      ['llama3.2:1b', 'success'],
      ['gpt-4o-mini', 'error'],
      ['llama3.2:1b', 'success'],
    ])

    // A fallback this key may not use is not tried.
    const narrow = await gatewayKey(env, env.user)
    await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/api-keys/${narrow.id}/limits`,
      headers: env.user.auth,
      payload: { allowedModels: ['gpt-4o-mini'] },
    })
    const refused = await complete(openai(env, narrow.key), 'gpt-4o-mini').catch((e: unknown) => e)
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(503)
  })

  it('reports a failure after the first token as an error event in the stream', async () => {
    const ollama = await started(FakeOllama.start())
    await addProvider(env, { name: 'flaky', kind: 'ollama', baseUrl: ollama.url })
    ollama.setMode('error')
    const response = await post(
      env,
      '/chat/completions',
      { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }], stream: true },
      key.auth,
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const payloads = ssePayloads(await response.text())
    expect(payloads).not.toContain('[DONE]')
    const last = JSON.parse(payloads.at(-1) ?? '{}')
    expect(last.error.message).toMatch(/unexpected EOF/)
    const text = payloads
      .slice(0, -1)
      .map((p) => JSON.parse(p).choices[0]?.delta.content ?? '')
      .join('')
    expect(text).toBe('Hello from')
    const error = await streamText(client, 'llama3.2:1b').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIError)
  })

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    const ollama = await started(FakeOllama.start())
    await addProvider(env, { name: 'slow', kind: 'ollama', baseUrl: ollama.url })
    ollama.setMode('slow')
    const before = (await usageRows(env, key.id)).length
    const received = await hangUpDuring(
      env,
      { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }], stream: true },
      key.auth,
      { after: (text) => text.includes('"content":"Hello"') },
    )
    expect(received).not.toContain('[DONE]')
    const upstream = ollama.requestsTo('/api/chat').at(-1)
    expect(await upstream?.outcome).toBe('aborted')
    const rows = (await waitForUsage(env, key.id, before + 1)).slice(before)
    expect(rows.map((r) => r.outcome)).toEqual(['cancelled'])
  })

  it('aborts the upstream request when a non-streaming client goes away', async () => {
    const ollama = await started(FakeOllama.start())
    await addProvider(env, { name: 'slow-json', kind: 'ollama', baseUrl: ollama.url })
    ollama.setMode('slow')
    const controller = new AbortController()
    const request = hangUpDuring(
      env,
      { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] },
      key.auth,
      { signal: controller.signal },
    )
    const upstream = await ollama.waitForRequest((r) => r.path === '/api/chat')
    // Hang up while the model is still answering (the fake sends a word every 50 ms).
    await new Promise((r) => setTimeout(r, 60))
    controller.abort()
    expect(await request).toBe('')
    expect(await upstream.outcome).toBe('aborted')
  })
})
