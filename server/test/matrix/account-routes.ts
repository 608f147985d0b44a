// Endpoint matrix rows for /api/v1 account routes.

import { expect } from 'vitest'
import { expectProblem, login, PASSWORD, sessionIdOf, signUp } from '../helpers.js'
import {
  type Build,
  type Endpoint,
  expectSignedIn,
  expectSignedOut,
  invalid,
  keyOf,
  na,
  needsSignIn,
  noInput,
  ok,
  openToAll,
  own,
  send,
  wsClose,
  wsMessage,
} from './kit.js'

const sessionToRevoke: Build = async (c) => {
  const extra = await login(c.app, c.user.email)
  return { method: 'DELETE', url: `/api/v1/me/sessions/${sessionIdOf(extra.token)}` }
}

export const accountEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/v1/me',
    success: ok(
      'developer',
      200,
      () => ({ url: '/api/v1/me' }),
      (r, c) => expect(r.json()).toMatchObject({ id: c.developer.id, role: 'developer' }),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/me' })),
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'PATCH',
    path: '/api/v1/me',
    success: ok(
      'user',
      200,
      () => ({ method: 'PATCH', url: '/api/v1/me', payload: { name: 'Renamed' } }),
      (r) => expect(r.json().name).toBe('Renamed'),
    ),
    invalid: invalid('user', () => ({ method: 'PATCH', url: '/api/v1/me', payload: { name: '' } }), 'name'),
    unauthenticated: needsSignIn(() => ({ method: 'PATCH', url: '/api/v1/me', payload: { name: 'X' } })),
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/me/password',
    sessionOnly: true,
    success: async (c) => {
      const owner = await signUp(c.app, 'pw')
      const payload = { currentPassword: PASSWORD, newPassword: 'a different long passphrase' }
      const response = await c.app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: owner.auth,
        payload,
      })
      expect(response.statusCode).toBe(204)
      await login(c.app, owner.email, payload.newPassword)
    },
    invalid: invalid(
      'user',
      () => ({ method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: PASSWORD } }),
      'newPassword',
    ),
    unauthenticated: needsSignIn(() => ({
      method: 'POST',
      url: '/api/v1/me/password',
      payload: { currentPassword: PASSWORD, newPassword: 'whatever long enough' },
    })),
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'GET',
    path: '/api/v1/me/sessions',
    sessionOnly: true,
    success: ok(
      'user',
      200,
      () => ({ url: '/api/v1/me/sessions' }),
      (r, c) => {
        const items = r.json().items as Array<{ id: string; current: boolean }>
        expect(items.find((s) => s.current)?.id).toBe(sessionIdOf(c.user.token))
        expect(items.map((s) => s.id)).not.toContain(sessionIdOf(c.other.token))
      },
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/me/sessions' })),
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'DELETE',
    path: '/api/v1/me/sessions/{id}',
    sessionOnly: true,
    success: async (c) => {
      const extra = await login(c.app, c.user.email)
      const url = `/api/v1/me/sessions/${sessionIdOf(extra.token)}`
      expect((await send(c, 'user', { method: 'DELETE', url })).statusCode).toBe(204)
      await expectSignedOut(c, extra.token)
      await expectSignedIn(c, c.user.auth.authorization)
    },
    invalid: invalid(
      'user',
      () => ({ method: 'DELETE', url: `/api/v1/me/sessions/${'x'.repeat(65)}` }),
      'id',
    ),
    unauthenticated: needsSignIn(sessionToRevoke),
    wrongRole: openToAll,
    otherUser: async (c) => {
      const foreign = `/api/v1/me/sessions/${sessionIdOf(c.other.token)}`
      for (const who of ['user', 'admin'] as const) {
        expectProblem(await send(c, who, { method: 'DELETE', url: foreign }), 404)
      }
      await expectSignedIn(c, c.other.auth.authorization)
    },
  },
  {
    method: 'GET',
    path: '/api/v1/api-keys',
    sessionOnly: true,
    success: async (c) => {
      const mine = await keyOf(c, c.user)
      const theirs = await keyOf(c, c.other)
      const response = await send(c, 'user', { url: '/api/v1/api-keys' })
      expect(response.statusCode).toBe(200)
      const ids = (response.json().items as Array<{ id: string }>).map((k) => k.id)
      expect(ids).toContain(mine.id)
      expect(ids).not.toContain(theirs.id)
    },
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/api-keys' })),
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/api-keys',
    sessionOnly: true,
    success: ok(
      'developer',
      201,
      () => ({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'ci', scopes: ['read'] } }),
      (r) => expect(r.json().key).toMatch(/^wp_/),
    ),
    invalid: invalid(
      'user',
      () => ({ method: 'POST', url: '/api/v1/api-keys', payload: { name: 'ci', scopes: ['root'] } }),
      'scopes.0',
    ),
    unauthenticated: needsSignIn(() => ({
      method: 'POST',
      url: '/api/v1/api-keys',
      payload: { name: 'x', scopes: ['read'] },
    })),
    wrongRole: na('any role may create keys; only the admin scope is restricted (api-keys.test.ts)'),
    otherUser: own,
  },
  {
    method: 'DELETE',
    path: '/api/v1/api-keys/{id}',
    sessionOnly: true,
    success: async (c) => {
      const key = await keyOf(c, c.user)
      expect(
        (await send(c, 'user', { method: 'DELETE', url: `/api/v1/api-keys/${key.id}` })).statusCode,
      ).toBe(204)
      await expectSignedOut(c, key.key)
    },
    invalid: invalid('user', () => ({ method: 'DELETE', url: `/api/v1/api-keys/${'k'.repeat(65)}` }), 'id'),
    unauthenticated: needsSignIn(async (c) => ({
      method: 'DELETE',
      url: `/api/v1/api-keys/${(await keyOf(c, c.user)).id}`,
    })),
    wrongRole: openToAll,
    otherUser: async (c) => {
      const theirs = await keyOf(c, c.other)
      for (const who of ['user', 'admin'] as const) {
        expectProblem(await send(c, who, { method: 'DELETE', url: `/api/v1/api-keys/${theirs.id}` }), 404)
      }
      await expectSignedIn(c, theirs.auth.authorization)
    },
  },
  {
    method: 'GET',
    path: '/api/v1/ws',
    success: async (c) => {
      const socket = await c.app.injectWS('/api/v1/ws')
      socket.send(JSON.stringify({ type: 'auth', token: c.user.token }))
      expect(await wsMessage(socket)).toEqual({ type: 'ready', userId: c.user.id })
      socket.terminate()
    },
    invalid: async (c) => {
      const socket = await c.app.injectWS('/api/v1/ws')
      socket.send(JSON.stringify({ type: 'subscribe-everything' }))
      expect(await wsMessage(socket)).toEqual({ type: 'error', detail: 'unknown message' })
      socket.terminate()
    },
    unauthenticated: async (c) => {
      const socket = await c.app.injectWS('/api/v1/ws')
      const closed = wsClose(socket)
      socket.send(JSON.stringify({ type: 'auth', token: 'not-a-token' }))
      expect(await closed).toBe(4401)
    },
    wrongRole: openToAll,
    otherUser: na('per-user channels: realtime.test.ts'),
  },
]
