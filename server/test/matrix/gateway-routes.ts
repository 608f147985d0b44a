// Endpoint matrix rows for the gateway's settings under /api/v1 (key and user limits, own usage).
// The OpenAI-compatible /v1 routes are covered by test/gateway-*.test.ts.

import { expect } from 'vitest'
import { expectProblem } from '../helpers.js'
import {
  adminOnly,
  admins,
  type Endpoint,
  invalid,
  keyOf,
  needsSignIn,
  ok,
  openToAll,
  own,
  send,
} from './kit.js'

const limitsUrl = (id: string) => `/api/v1/api-keys/${id}/limits`
const userLimitsUrl = (id: string) => `/api/v1/admin/users/${id}/limits`

export const gatewayEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/v1/api-keys/{id}/limits',
    sessionOnly: true,
    success: async (c) => {
      const key = await keyOf(c, c.user)
      const response = await send(c, 'user', { url: limitsUrl(key.id) })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toEqual({
        limits: expect.objectContaining({ requestsPerMinute: null, allowedModels: null }),
        userLimits: expect.objectContaining({ tokensPerDay: null }),
      })
    },
    invalid: invalid('user', () => ({ url: limitsUrl('k'.repeat(65)) }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({ url: limitsUrl((await keyOf(c, c.user)).id) })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      const theirs = await keyOf(c, c.other)
      for (const who of ['user', 'admin'] as const) {
        expectProblem(await send(c, who, { url: limitsUrl(theirs.id) }), 404)
      }
    },
  },
  {
    method: 'PATCH',
    path: '/api/v1/api-keys/{id}/limits',
    sessionOnly: true,
    success: ok(
      'developer',
      200,
      async (c) => ({
        method: 'PATCH',
        url: limitsUrl((await keyOf(c, c.developer)).id),
        payload: { requestsPerMinute: 30, allowedModels: [c.models.modelId] },
      }),
      (r) => expect(r.json().limits).toMatchObject({ requestsPerMinute: 30, allowedModels: ['llama3.2:1b'] }),
    ),
    invalid: invalid(
      'user',
      async (c) => ({
        method: 'PATCH',
        url: limitsUrl((await keyOf(c, c.user)).id),
        payload: { tokensPerDay: -1 },
      }),
      'tokensPerDay',
    ),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'PATCH',
      url: limitsUrl((await keyOf(c, c.user)).id),
      payload: { requestsPerMinute: 1 },
    })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      const theirs = await keyOf(c, c.other)
      for (const who of ['user', 'admin'] as const) {
        const response = await send(c, who, {
          method: 'PATCH',
          url: limitsUrl(theirs.id),
          payload: { requestsPerMinute: 1 },
        })
        expectProblem(response, 404)
      }
      const unchanged = await c.app.inject({ url: limitsUrl(theirs.id), headers: c.other.auth })
      expect(unchanged.json().limits.requestsPerMinute).toBeNull()
    },
  },
  {
    method: 'GET',
    path: '/api/v1/admin/users/{id}/limits',
    success: ok(
      'admin',
      200,
      (c) => ({ url: userLimitsUrl(c.target.id) }),
      (r) =>
        expect(Object.keys(r.json()).sort()).toEqual([
          'allowedModels',
          'budgetPerDay',
          'budgetPerMonth',
          'requestsPerMinute',
          'tokensPerDay',
          'tokensPerMinute',
          'tokensPerMonth',
        ]),
    ),
    invalid: invalid('admin', () => ({ url: userLimitsUrl('u'.repeat(65)) }), 'id'),
    unauthenticated: needsSignIn((c) => ({ url: userLimitsUrl(c.target.id) })),
    wrongRole: adminOnly((c) => ({ url: userLimitsUrl(c.user.id) })),
    otherUser: admins,
  },
  {
    method: 'PUT',
    path: '/api/v1/admin/users/{id}/limits',
    success: async (c) => {
      const response = await send(c, 'admin', {
        method: 'PUT',
        url: userLimitsUrl(c.target.id),
        payload: { requestsPerMinute: 100, budgetPerMonth: 25.5 },
      })
      expect(response.statusCode, response.body).toBe(200)
      expect(response.json()).toEqual({
        requestsPerMinute: 100,
        tokensPerMinute: null,
        tokensPerDay: null,
        tokensPerMonth: null,
        budgetPerDay: null,
        budgetPerMonth: 25.5,
        allowedModels: null,
      })
      expectProblem(
        await send(c, 'admin', { method: 'PUT', url: userLimitsUrl('no-such-user'), payload: {} }),
        404,
      )
    },
    invalid: invalid(
      'admin',
      (c) => ({ method: 'PUT', url: userLimitsUrl(c.target.id), payload: { requestsPerMinute: 'many' } }),
      'requestsPerMinute',
    ),
    unauthenticated: needsSignIn((c) => ({ method: 'PUT', url: userLimitsUrl(c.target.id), payload: {} })),
    wrongRole: adminOnly((c) => ({
      method: 'PUT',
      url: userLimitsUrl(c.user.id),
      payload: { requestsPerMinute: 1_000_000 },
    })),
    otherUser: admins,
  },
  {
    method: 'GET',
    path: '/api/v1/me/usage',
    success: ok(
      'user',
      200,
      () => ({ url: '/api/v1/me/usage?window=30d' }),
      (r) =>
        expect(r.json()).toMatchObject({
          window: '30d',
          totals: { requests: expect.any(Number) },
          byModel: expect.any(Array),
          byKey: expect.any(Array),
        }),
    ),
    invalid: invalid('user', () => ({ url: '/api/v1/me/usage?window=1y' }), 'window'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/me/usage' })),
    wrongRole: openToAll,
    otherUser: own,
  },
]
