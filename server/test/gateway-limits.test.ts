// Gateway limits per key and per user (requests and tokens per minute, tokens and budget per
// day and month, allowed models), their settings API, and the owner's usage report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from './fakes/fake-ollama.js'
import {
  addProvider,
  expectOpenAIError,
  type GatewayEnv,
  gatewayKey,
  type ModelView,
  post,
  startGateway,
} from './gateway-kit.js'
import { dbKinds, expectProblem, fieldsOf, type SignedIn, signUp } from './helpers.js'

const hello = { model: 'llama3.2:1b', messages: [{ role: 'user', content: 'Say hello' }] }

describe.each(dbKinds)('gateway limits on %s', (kind) => {
  let env: GatewayEnv
  let fake: FakeOllama
  let models: ModelView[]

  const modelId = (name: string) => models.find((m) => m.name === name)?.id ?? ''
  const setKeyLimits = async (owner: SignedIn, keyId: string, payload: Record<string, unknown>) =>
    env.app.inject({ method: 'PATCH', url: `/api/v1/api-keys/${keyId}/limits`, headers: owner.auth, payload })
  const setUserLimits = async (userId: string, payload: Record<string, unknown>) => {
    const response = await env.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/users/${userId}/limits`,
      headers: env.admin.auth,
      payload,
    })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }
  const ask = async (key: { auth: { authorization: string } }, body: unknown = hello) => {
    const response = await post(env, '/chat/completions', body, key.auth)
    return { status: response.status, headers: response.headers, body: await response.json() }
  }
  /** A fresh account with one gateway key. */
  const member = async () => {
    const owner = await signUp(env.app, 'member')
    return { owner, key: await gatewayKey(env, owner) }
  }

  beforeAll(async () => {
    env = await startGateway(kind)
    fake = await FakeOllama.start()
    ;({ models } = await addProvider(env, { name: 'ollama-a', kind: 'ollama', baseUrl: fake.url }))
  })
  afterAll(async () => {
    await env?.close()
    await fake?.close()
  })

  it('limits tokens per minute of a key', async () => {
    const { owner, key } = await member()
    const set = await setKeyLimits(owner, key.id, { tokensPerMinute: 20 })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json().limits.tokensPerMinute).toBe(20)
    expect((await ask(key)).status).toBe(200) // 12 tokens
    expect((await ask(key)).status).toBe(200) // 24: over, but counted after the call
    const refused = await ask(key)
    const error = expectOpenAIError(429, refused.status, refused.body)
    expect(error).toMatchObject({ type: 'tokens', code: 'rate_limit_exceeded' })
    expect(error.message).toMatch(/20 tokens per minute/)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('limits tokens per day of a key until the next UTC midnight', async () => {
    const { owner, key } = await member()
    await setKeyLimits(owner, key.id, { tokensPerDay: 10 })
    expect((await ask(key)).status).toBe(200)
    const refused = await ask(key)
    const error = expectOpenAIError(429, refused.status, refused.body)
    expect(error.type).toBe('insufficient_quota')
    expect(error.message).toMatch(/10 tokens for today/)
    const now = new Date()
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)
    const expected = Math.ceil((midnight - now.getTime()) / 1000)
    expect(Math.abs(Number(refused.headers.get('retry-after')) - expected)).toBeLessThanOrEqual(5)
  })

  it('limits a user’s monthly budget across all their keys, in the price table’s currency', async () => {
    const { owner, key } = await member()
    const second = await gatewayKey(env, owner)
    const priced = await env.app.inject({
      method: 'PATCH',
      url: `/api/v1/models/${modelId('llama3.2:1b')}`,
      headers: env.admin.auth,
      payload: { pricing: { inputPerMTok: 1000, outputPerMTok: 1000 } },
    })
    expect(priced.statusCode).toBe(200)
    try {
      const saved = await setUserLimits(owner.id, { budgetPerMonth: 0.01 })
      expect(saved).toMatchObject({ budgetPerMonth: 0.01, requestsPerMinute: null })
      expect((await ask(key)).status).toBe(200) // 12 tokens × 1000 / 1e6 = 0.012
      for (const k of [key, second]) {
        const refused = await ask(k)
        expect(expectOpenAIError(429, refused.status, refused.body).message).toMatch(
          /Your account has spent its budget of 0.01 for this month/,
        )
      }
    } finally {
      await env.app.inject({
        method: 'PATCH',
        url: `/api/v1/models/${modelId('llama3.2:1b')}`,
        headers: env.admin.auth,
        payload: { pricing: { inputPerMTok: 0, outputPerMTok: 0 } },
      })
    }
  })

  it('limits a user’s requests per minute across keys, and does not count refused requests', async () => {
    const { owner, key } = await member()
    const second = await gatewayKey(env, owner)
    await setUserLimits(owner.id, { requestsPerMinute: 2 })
    expect((await ask(key)).status).toBe(200)
    expect((await ask(second)).status).toBe(200)
    for (const k of [key, second]) {
      const refused = await ask(k)
      expect(expectOpenAIError(429, refused.status, refused.body).message).toMatch(/Your account is limited/)
    }
    await setUserLimits(owner.id, { requestsPerMinute: 3 })
    expect((await ask(key)).status).toBe(200)
  })

  it('lets an owner narrow a key only within their own limits', async () => {
    const { owner, key } = await member()
    await setUserLimits(owner.id, { requestsPerMinute: 10, allowedModels: ['llama3.2:1b', 'llava:7b'] })
    const tooMany = await setKeyLimits(owner, key.id, { requestsPerMinute: 20 })
    const refused = expectProblem(tooMany, 400)
    expect(fieldsOf(refused)).toEqual(['requestsPerMinute'])
    expect(refused.detail).toBe("The key's requests per minute cannot exceed your account's limit of 10")
    const outside = await setKeyLimits(owner, key.id, { allowedModels: ['nomic-embed-text:latest'] })
    expect(fieldsOf(expectProblem(outside, 400))).toEqual(['allowedModels'])
    const unknown = await setKeyLimits(owner, key.id, { allowedModels: ['no-such-model'] })
    expect(fieldsOf(expectProblem(unknown, 400))).toEqual(['allowedModels'])
    const ok = await setKeyLimits(owner, key.id, { requestsPerMinute: 5, allowedModels: ['llava:7b'] })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toEqual({
      limits: expect.objectContaining({ requestsPerMinute: 5, allowedModels: ['llava:7b'] }),
      userLimits: expect.objectContaining({
        requestsPerMinute: 10,
        allowedModels: ['llama3.2:1b', 'llava:7b'],
      }),
    })
    // A patch leaves the other limits as they were.
    const again = await setKeyLimits(owner, key.id, { tokensPerDay: 1000 })
    expect(again.json().limits).toMatchObject({ requestsPerMinute: 5, tokensPerDay: 1000 })
    const listed = await env.app.inject({ url: '/v1/models', headers: key.auth })
    expect(listed.json().data.map((m: { id: string }) => m.id)).toEqual(['llava:7b'])
  })

  it('applies a user’s allowed models to every key: 403 for others, and the list shows only those', async () => {
    const { owner, key } = await member()
    await setUserLimits(owner.id, { allowedModels: [modelId('nomic-embed-text:latest')] })
    const listed = await env.app.inject({ url: '/v1/models', headers: key.auth })
    expect(listed.json().data.map((m: { id: string }) => m.id)).toEqual(['nomic-embed-text:latest'])
    const refused = await ask(key)
    expect(expectOpenAIError(403, refused.status, refused.body).code).toBe('model_not_allowed')
  })

  it('shows the owner their usage per model and per key', async () => {
    const { owner, key } = await member()
    const second = await gatewayKey(env, owner)
    await ask(key)
    await ask(key)
    await ask(second)
    await post(env, '/embeddings', { model: 'nomic-embed-text:latest', input: 'abcdefgh' }, second.auth)
    const response = await env.app.inject({ url: '/api/v1/me/usage?window=7d', headers: owner.auth })
    expect(response.statusCode, response.body).toBe(200)
    const report = response.json()
    expect(report.window).toBe('7d')
    expect(report.totals).toEqual({ requests: 4, errors: 0, inputTokens: 8, outputTokens: 30, cost: 0 })
    expect(report.byModel).toEqual([
      expect.objectContaining({ model: 'llama3.2:1b', requests: 3, outputTokens: 30 }),
      expect.objectContaining({ model: 'nomic-embed-text:latest', requests: 1, inputTokens: 2 }),
    ])
    const byKey = Object.fromEntries(
      report.byKey.map((row: { apiKeyId: string; requests: number }) => [row.apiKeyId, row.requests]),
    )
    expect(byKey).toEqual({ [key.id]: 2, [second.id]: 2 })
    expect(report.byKey[0].name).toBe('test key')
    const other = await env.app.inject({ url: '/api/v1/me/usage', headers: env.user.auth })
    expect(other.json().totals.requests).toBe(0)
  })
})
