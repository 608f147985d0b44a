// Endpoint matrix rows for the chat routes (/api/v1/conversations, /messages, /generations,
// /chat-presets, /search). Replies come from the fixture's fake Ollama (models-routes.ts).
import type { InjectOptions } from 'fastify'
import { expect } from 'vitest'
import { parseSse } from '../chat-kit.js'
import { expectProblem } from '../helpers.js'
import {
  type Build,
  type Ctx,
  type Endpoint,
  invalid,
  na,
  needsSignIn,
  noInput,
  ok,
  openToAll,
  send,
} from './kit.js'

interface Exchange {
  conversationId: string
  userMessageId: string
  assistantMessageId: string
  generationId: string
}

const longId = 'x'.repeat(65)
const creates = na('creates a resource of the caller’s own; no existing resource is named')
const ownList = na(
  'lists only the caller’s own resources; other users’ never appear (chat-isolation.test.ts)',
)

async function conversationOf(c: Ctx, body: Record<string, unknown> = {}): Promise<string> {
  const response = await send(c, 'user', {
    method: 'POST',
    url: '/api/v1/conversations',
    payload: { modelId: c.models.modelId, ...body },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().id
}

/** A conversation of `user` with one finished exchange. */
async function exchangeOf(c: Ctx): Promise<Exchange> {
  const conversationId = await conversationOf(c)
  const response = await send(c, 'user', {
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/messages`,
    payload: { content: 'Matrix question' },
  })
  expect(response.statusCode, response.body).toBe(202)
  const started = response.json<Exchange>()
  await send(c, 'user', { url: `/api/v1/generations/${started.generationId}/events` })
  return started
}

async function presetOf(c: Ctx): Promise<string> {
  const response = await send(c, 'user', {
    method: 'POST',
    url: '/api/v1/chat-presets',
    payload: { name: 'P' },
  })
  expect(response.statusCode, response.body).toBe(201)
  return response.json().id
}

/** Another user naming `user`'s resource gets 404, and the resource is still there. */
function hiddenFromOthers(build: Build, stillThere?: (c: Ctx, request: InjectOptions) => Promise<void>) {
  return async (c: Ctx) => {
    const request = await build(c)
    expectProblem(await c.app.inject({ ...request, headers: c.other.auth }), 404)
    await stillThere?.(c, request)
  }
}

const conversationStillThere = async (c: Ctx, request: InjectOptions) => {
  const id = String(request.url).split('/')[4]
  expect((await send(c, 'user', { url: `/api/v1/conversations/${id}` })).statusCode).toBe(200)
}

const started = (r: { json: () => unknown }) =>
  expect(r.json()).toMatchObject({ assistantMessageId: expect.any(String), generationId: expect.any(String) })

const conversationUrl = async (c: Ctx) => `/api/v1/conversations/${await conversationOf(c)}`
const messageUrl = async (c: Ctx, action = '') =>
  `/api/v1/messages/${(await exchangeOf(c)).assistantMessageId}${action}`
const presetUrl = async (c: Ctx) => `/api/v1/chat-presets/${await presetOf(c)}`

export const chatEndpoints: Endpoint[] = [
  {
    method: 'POST',
    path: '/api/v1/conversations',
    success: ok(
      'user',
      201,
      (c) => ({
        method: 'POST',
        url: '/api/v1/conversations',
        payload: { modelId: c.models.modelId, tags: ['a'] },
      }),
      (r) => expect(r.json()).toMatchObject({ title: 'New chat', tags: ['a'], pinned: false }),
    ),
    invalid: invalid(
      'user',
      () => ({ method: 'POST', url: '/api/v1/conversations', payload: { temperature: 9 } }),
      'temperature',
    ),
    unauthenticated: needsSignIn(() => ({ method: 'POST', url: '/api/v1/conversations', payload: {} })),
    wrongRole: openToAll,
    otherUser: creates,
  },
  {
    method: 'GET',
    path: '/api/v1/conversations',
    success: async (c) => {
      const id = await conversationOf(c)
      const response = await send(c, 'user', { url: '/api/v1/conversations' })
      expect(response.statusCode).toBe(200)
      expect(response.json().items.map((i: { id: string }) => i.id)).toContain(id)
    },
    invalid: invalid('user', () => ({ url: '/api/v1/conversations?limit=0' }), 'limit'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/conversations' })),
    wrongRole: openToAll,
    otherUser: ownList,
  },
  {
    method: 'GET',
    path: '/api/v1/conversations/export',
    success: ok(
      'user',
      200,
      () => ({ url: '/api/v1/conversations/export' }),
      (r) => expect(r.json().conversations).toEqual(expect.any(Array)),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/conversations/export' })),
    wrongRole: openToAll,
    otherUser: ownList,
  },
  {
    method: 'GET',
    path: '/api/v1/conversations/{id}',
    success: async (c) => {
      const { conversationId, assistantMessageId } = await exchangeOf(c)
      const response = await send(c, 'user', { url: `/api/v1/conversations/${conversationId}` })
      expect(response.statusCode).toBe(200)
      expect(response.json().messages.items.at(-1)).toMatchObject({
        id: assistantMessageId,
        state: 'complete',
      })
    },
    invalid: invalid('user', async (c) => ({ url: `${await conversationUrl(c)}?limit=500` }), 'limit'),
    unauthenticated: needsSignIn(async (c) => ({ url: await conversationUrl(c) })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ url: await conversationUrl(c) })),
  },
  {
    method: 'PATCH',
    path: '/api/v1/conversations/{id}',
    success: ok(
      'user',
      200,
      async (c) => ({
        method: 'PATCH',
        url: await conversationUrl(c),
        payload: { title: 'Renamed', pinned: true },
      }),
      (r) => expect(r.json()).toMatchObject({ title: 'Renamed', pinned: true }),
    ),
    invalid: invalid(
      'user',
      async (c) => ({ method: 'PATCH', url: await conversationUrl(c), payload: { title: '' } }),
      'title',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'PATCH',
      url: await conversationUrl(c),
      payload: {},
    })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(
      async (c) => ({ method: 'PATCH', url: await conversationUrl(c), payload: { title: 'Taken' } }),
      conversationStillThere,
    ),
  },
  {
    method: 'DELETE',
    path: '/api/v1/conversations/{id}',
    success: async (c) => {
      const url = await conversationUrl(c)
      expect((await send(c, 'user', { method: 'DELETE', url })).statusCode).toBe(204)
      expectProblem(await send(c, 'user', { url }), 404)
    },
    invalid: invalid('user', () => ({ method: 'DELETE', url: `/api/v1/conversations/${longId}` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({ method: 'DELETE', url: await conversationUrl(c) })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(
      async (c) => ({ method: 'DELETE', url: await conversationUrl(c) }),
      conversationStillThere,
    ),
  },
  {
    method: 'GET',
    path: '/api/v1/conversations/{id}/export',
    success: async (c) => {
      const { conversationId } = await exchangeOf(c)
      const response = await send(c, 'user', {
        url: `/api/v1/conversations/${conversationId}/export?format=markdown`,
      })
      expect(response.statusCode).toBe(200)
      expect(response.body).toContain('## User\n\nMatrix question')
    },
    invalid: invalid(
      'user',
      async (c) => ({ url: `${await conversationUrl(c)}/export?format=pdf` }),
      'format',
    ),
    unauthenticated: needsSignIn(async (c) => ({ url: `${await conversationUrl(c)}/export` })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ url: `${await conversationUrl(c)}/export?format=json` })),
  },
  {
    method: 'GET',
    path: '/api/v1/search',
    success: async (c) => {
      await exchangeOf(c)
      const response = await send(c, 'user', { url: '/api/v1/search?q=matrix' })
      expect(response.statusCode).toBe(200)
      expect(response.json().items[0]).toMatchObject({ role: 'user', snippet: expect.any(Array) })
    },
    invalid: invalid('user', () => ({ url: '/api/v1/search?q=' }), 'q'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/search?q=x' })),
    wrongRole: openToAll,
    otherUser: ownList,
  },
  {
    method: 'GET',
    path: '/api/v1/chat-presets',
    success: ok(
      'user',
      200,
      () => ({ url: '/api/v1/chat-presets' }),
      (r) => expect(r.json().items).toEqual(expect.any(Array)),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/chat-presets' })),
    wrongRole: openToAll,
    otherUser: ownList,
  },
  {
    method: 'POST',
    path: '/api/v1/chat-presets',
    success: ok(
      'user',
      201,
      (c) => ({
        method: 'POST',
        url: '/api/v1/chat-presets',
        payload: { name: 'Matrix', modelId: c.models.modelId },
      }),
      (r, c) => expect(r.json()).toMatchObject({ name: 'Matrix', modelId: c.models.modelId }),
    ),
    invalid: invalid('user', () => ({ method: 'POST', url: '/api/v1/chat-presets', payload: {} }), 'name'),
    unauthenticated: needsSignIn(() => ({
      method: 'POST',
      url: '/api/v1/chat-presets',
      payload: { name: 'x' },
    })),
    wrongRole: openToAll,
    otherUser: creates,
  },
  {
    method: 'GET',
    path: '/api/v1/chat-presets/{id}',
    success: ok(
      'user',
      200,
      async (c) => ({ url: await presetUrl(c) }),
      (r) => expect(r.json().name).toBe('P'),
    ),
    invalid: invalid('user', () => ({ url: `/api/v1/chat-presets/${longId}` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({ url: await presetUrl(c) })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ url: await presetUrl(c) })),
  },
  {
    method: 'PATCH',
    path: '/api/v1/chat-presets/{id}',
    success: ok(
      'user',
      200,
      async (c) => ({ method: 'PATCH', url: await presetUrl(c), payload: { maxTokens: 100 } }),
      (r) => expect(r.json()).toMatchObject({ name: 'P', maxTokens: 100 }),
    ),
    invalid: invalid(
      'user',
      async (c) => ({ method: 'PATCH', url: await presetUrl(c), payload: { topP: 2 } }),
      'topP',
    ),
    unauthenticated: needsSignIn(async (c) => ({ method: 'PATCH', url: await presetUrl(c), payload: {} })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({
      method: 'PATCH',
      url: await presetUrl(c),
      payload: { name: 'Mine' },
    })),
  },
  {
    method: 'DELETE',
    path: '/api/v1/chat-presets/{id}',
    success: ok('user', 204, async (c) => ({ method: 'DELETE', url: await presetUrl(c) })),
    invalid: invalid('user', () => ({ method: 'DELETE', url: `/api/v1/chat-presets/${longId}` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({ method: 'DELETE', url: await presetUrl(c) })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ method: 'DELETE', url: await presetUrl(c) })),
  },
  {
    method: 'POST',
    path: '/api/v1/conversations/{id}/messages',
    success: ok(
      'user',
      202,
      async (c) => ({
        method: 'POST',
        url: `${await conversationUrl(c)}/messages`,
        payload: { content: 'Hi' },
      }),
      started,
    ),
    invalid: invalid(
      'user',
      async (c) => ({
        method: 'POST',
        url: `${await conversationUrl(c)}/messages`,
        payload: { content: '' },
      }),
      'content',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'POST',
      url: `${await conversationUrl(c)}/messages`,
      payload: { content: 'x' },
    })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(
      async (c) => ({
        method: 'POST',
        url: `${await conversationUrl(c)}/messages`,
        payload: { content: 'x' },
      }),
      async (c, request) => {
        const id = String(request.url).split('/')[4]
        const view = await send(c, 'user', { url: `/api/v1/conversations/${id}` })
        expect(view.json().messages.items).toEqual([])
      },
    ),
  },
  {
    method: 'POST',
    path: '/api/v1/messages/{id}/regenerate',
    success: ok(
      'user',
      202,
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/regenerate') }),
      started,
    ),
    invalid: invalid(
      'user',
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/regenerate'), payload: { model: '' } }),
      'model',
    ),
    unauthenticated: needsSignIn(async (c) => ({ method: 'POST', url: await messageUrl(c, '/regenerate') })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ method: 'POST', url: await messageUrl(c, '/regenerate') })),
  },
  {
    method: 'POST',
    path: '/api/v1/messages/{id}/continue',
    success: ok(
      'user',
      202,
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/continue') }),
      started,
    ),
    invalid: invalid(
      'user',
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/continue'), payload: { extra: 1 } }),
      'extra',
    ),
    unauthenticated: needsSignIn(async (c) => ({ method: 'POST', url: await messageUrl(c, '/continue') })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ method: 'POST', url: await messageUrl(c, '/continue') })),
  },
  {
    method: 'DELETE',
    path: '/api/v1/messages/{id}',
    success: async (c) => {
      const { conversationId, userMessageId } = await exchangeOf(c)
      expect(
        (await send(c, 'user', { method: 'DELETE', url: `/api/v1/messages/${userMessageId}` })).statusCode,
      ).toBe(204)
      const view = await send(c, 'user', { url: `/api/v1/conversations/${conversationId}` })
      expect(view.json().messages.items).toEqual([])
    },
    invalid: invalid('user', () => ({ method: 'DELETE', url: `/api/v1/messages/${longId}` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({ method: 'DELETE', url: await messageUrl(c) })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({ method: 'DELETE', url: await messageUrl(c) })),
  },
  {
    method: 'POST',
    path: '/api/v1/messages/{id}/feedback',
    success: ok(
      'user',
      200,
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/feedback'), payload: { rating: 'up' } }),
      (r) => expect(r.json().feedback).toEqual({ rating: 'up', comment: null }),
    ),
    invalid: invalid(
      'user',
      async (c) => ({ method: 'POST', url: await messageUrl(c, '/feedback'), payload: { rating: 'meh' } }),
      'rating',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'POST',
      url: await messageUrl(c, '/feedback'),
      payload: { rating: 'up' },
    })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({
      method: 'POST',
      url: await messageUrl(c, '/feedback'),
      payload: { rating: 'up' },
    })),
  },
  {
    method: 'GET',
    path: '/api/v1/generations/{id}/events',
    success: async (c) => {
      const { generationId } = await exchangeOf(c)
      const response = await send(c, 'user', { url: `/api/v1/generations/${generationId}/events` })
      expect(response.statusCode).toBe(200)
      expect(parseSse(response.body).map((e) => e.event)).toEqual(['snapshot', 'done'])
    },
    invalid: invalid(
      'user',
      async (c) => ({
        url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/events?lastEventId=${'9'.repeat(30)}`,
      }),
      'lastEventId',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/events`,
    })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({
      url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/events`,
    })),
  },
  {
    method: 'POST',
    path: '/api/v1/generations/{id}/stop',
    success: ok(
      'user',
      200,
      async (c) => ({
        method: 'POST',
        url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/stop`,
      }),
      (r) => expect(r.json().state).toBe('complete'),
    ),
    invalid: invalid('user', () => ({ method: 'POST', url: `/api/v1/generations/${longId}/stop` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'POST',
      url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/stop`,
    })),
    wrongRole: openToAll,
    otherUser: hiddenFromOthers(async (c) => ({
      method: 'POST',
      url: `/api/v1/generations/${(await exchangeOf(c)).generationId}/stop`,
    })),
  },
]
