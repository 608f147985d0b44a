// Endpoint matrix rows for /api/v1 admin routes.

import { expect } from 'vitest'
import { login, PASSWORD } from '../helpers.js'
import {
  adminOnly,
  admins,
  type Endpoint,
  expectSignedOut,
  invalid,
  na,
  needsSignIn,
  noInput,
  ok,
} from './kit.js'

export const adminEndpoints: Endpoint[] = [
  {
    method: 'GET',
    path: '/api/v1/admin/users',
    success: ok(
      'admin',
      200,
      () => ({ url: '/api/v1/admin/users?limit=200' }),
      (r, c) => expect((r.json().items as Array<{ id: string }>).map((u) => u.id)).toContain(c.target.id),
    ),
    invalid: invalid('admin', () => ({ url: '/api/v1/admin/users?limit=0' }), 'limit'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/admin/users' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/admin/users' })),
    otherUser: admins,
  },
  {
    method: 'PATCH',
    path: '/api/v1/admin/users/{id}',
    success: ok(
      'admin',
      200,
      (c) => ({ method: 'PATCH', url: `/api/v1/admin/users/${c.target.id}`, payload: { role: 'developer' } }),
      (r) => expect(r.json().role).toBe('developer'),
    ),
    invalid: invalid(
      'admin',
      (c) => ({ method: 'PATCH', url: `/api/v1/admin/users/${c.target.id}`, payload: { role: 'root' } }),
      'role',
    ),
    unauthenticated: needsSignIn((c) => ({
      method: 'PATCH',
      url: `/api/v1/admin/users/${c.user.id}`,
      payload: { role: 'admin' },
    })),
    wrongRole: adminOnly((c) => ({
      method: 'PATCH',
      url: `/api/v1/admin/users/${c.user.id}`,
      payload: { role: 'admin' },
    })),
    otherUser: admins,
  },
  {
    method: 'POST',
    path: '/api/v1/admin/users/{id}/password',
    success: ok(
      'admin',
      204,
      (c) => ({
        method: 'POST',
        url: `/api/v1/admin/users/${c.target.id}/password`,
        payload: { newPassword: PASSWORD },
      }),
      async (_r, c) => {
        await expectSignedOut(c, c.target.token)
        c.target = await login(c.app, c.target.email)
      },
    ),
    invalid: invalid(
      'admin',
      (c) => ({
        method: 'POST',
        url: `/api/v1/admin/users/${c.target.id}/password`,
        payload: { newPassword: 5 },
      }),
      'newPassword',
    ),
    unauthenticated: needsSignIn((c) => ({
      method: 'POST',
      url: `/api/v1/admin/users/${c.admin.id}/password`,
      payload: { newPassword: 'takeover passphrase' },
    })),
    wrongRole: adminOnly((c) => ({
      method: 'POST',
      url: `/api/v1/admin/users/${c.admin.id}/password`,
      payload: { newPassword: 'takeover passphrase' },
    })),
    otherUser: admins,
  },
  {
    method: 'GET',
    path: '/api/v1/admin/settings',
    success: ok(
      'admin',
      200,
      () => ({ url: '/api/v1/admin/settings' }),
      (r) => expect(r.json()).toEqual({ registrationOpen: true, chatTokensPerDayPerUser: null }),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/admin/settings' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/admin/settings' })),
    otherUser: na('instance-wide'),
  },
  {
    method: 'PATCH',
    path: '/api/v1/admin/settings',
    success: ok('admin', 200, () => ({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      payload: { registrationOpen: true },
    })),
    invalid: invalid(
      'admin',
      () => ({ method: 'PATCH', url: '/api/v1/admin/settings', payload: { registrationOpen: 'yes' } }),
      'registrationOpen',
    ),
    unauthenticated: needsSignIn(() => ({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      payload: { registrationOpen: false },
    })),
    wrongRole: adminOnly(() => ({
      method: 'PATCH',
      url: '/api/v1/admin/settings',
      payload: { registrationOpen: false },
    })),
    otherUser: na('instance-wide'),
  },
  {
    method: 'GET',
    path: '/api/v1/admin/audit',
    success: ok(
      'admin',
      200,
      (c) => ({ url: `/api/v1/admin/audit?actorId=${c.target.id}` }),
      (r, c) => expect(r.json().items[0]).toMatchObject({ actorId: c.target.id }),
    ),
    invalid: invalid('admin', () => ({ url: '/api/v1/admin/audit?outcome=maybe' }), 'outcome'),
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/admin/audit' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/admin/audit' })),
    otherUser: admins,
  },
  {
    method: 'GET',
    path: '/api/v1/admin/audit/verify',
    success: ok(
      'admin',
      200,
      () => ({ url: '/api/v1/admin/audit/verify' }),
      (r) => expect(r.json()).toMatchObject({ ok: true }),
    ),
    invalid: noInput,
    unauthenticated: needsSignIn(() => ({ url: '/api/v1/admin/audit/verify' })),
    wrongRole: adminOnly(() => ({ url: '/api/v1/admin/audit/verify' })),
    otherUser: na('instance-wide'),
  },
]
