// Endpoint matrix rows for /api/v1 auth routes.

import { expect } from 'vitest'
import { expectProblem, login, PASSWORD, uniqueEmail } from '../helpers.js'
import {
  type Endpoint,
  expectSignedIn,
  expectSignedOut,
  invalid,
  na,
  noInput,
  ok,
  openToAll,
  own,
  publicRoute,
  send,
} from './kit.js'

export const authEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/v1/auth/status',
    success: ok(
      'anonymous',
      200,
      () => ({ url: '/api/v1/auth/status' }),
      (r) => expect(r.json()).toEqual({ registrationOpen: true, hasUsers: true }),
    ),
    invalid: noInput,
    unauthenticated: publicRoute,
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/register',
    success: ok(
      'anonymous',
      201,
      () => ({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: PASSWORD, name: 'New' },
      }),
      (r) => expect(r.json().user).toMatchObject({ role: 'user', disabled: false }),
    ),
    invalid: invalid(
      'anonymous',
      () => ({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: 'nope', password: PASSWORD, name: 'N' },
      }),
      'email',
    ),
    unauthenticated: publicRoute,
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    success: ok(
      'anonymous',
      200,
      (c) => ({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: c.user.email, password: PASSWORD },
      }),
      (r, c) => expect(r.json()).toMatchObject({ tokenType: 'Bearer', user: { id: c.user.id } }),
    ),
    invalid: invalid(
      'anonymous',
      (c) => ({ method: 'POST', url: '/api/v1/auth/login', payload: { email: c.user.email } }),
      'password',
    ),
    unauthenticated: publicRoute,
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    success: ok(
      'anonymous',
      200,
      async (c) => ({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        cookies: { wp_refresh: (await login(c.app, c.user.email)).refreshCookie },
      }),
      (r, c) => expect(r.json().user.id).toBe(c.user.id),
    ),
    invalid: na('no body; the cookie is the only input'),
    unauthenticated: async (c) => {
      expectProblem(await send(c, 'anonymous', { method: 'POST', url: '/api/v1/auth/refresh' }), 401)
      const bogus = {
        method: 'POST' as const,
        url: '/api/v1/auth/refresh',
        cookies: { wp_refresh: 'forged' },
      }
      expectProblem(await send(c, 'anonymous', bogus), 401)
    },
    wrongRole: openToAll,
    otherUser: own,
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    success: async (c) => {
      const session = await login(c.app, c.user.email)
      const cookies = { wp_refresh: session.refreshCookie }
      const out = await c.app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: session.auth,
        cookies,
      })
      expect(out.statusCode).toBe(204)
      await expectSignedOut(c, session.token)
    },
    invalid: na('no body'),
    unauthenticated: async (c) => {
      // Public: without credentials it signs nobody out.
      expect((await send(c, 'anonymous', { method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(
        204,
      )
      await expectSignedIn(c, c.user.auth.authorization)
    },
    wrongRole: openToAll,
    otherUser: own,
  },
]
