// Authentication and authorization for every route. Routes are private by default: a route
// opts out with `config.access.public`, narrows with `roles`, `scope` or `sessionOnly`.
// Credentials come only from the Authorization header, never from a query string.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Role, User } from '../db/schema.js'
import { forbidden, HttpProblem, unauthorized } from '../lib/problem.js'
import { type ApiKeyScope, KEY_PREFIX, type PublicApiKey } from './api-keys.js'

export interface RouteAccess {
  public?: boolean
  roles?: Role[]
  /** For API keys: the scope needed; by default `read` for GET/HEAD and `write` otherwise. */
  scope?: ApiKeyScope
  /** Only a signed-in browser session may call it (account security), never an API key. */
  sessionOnly?: boolean
}

export interface AuthContext {
  user: User
  sessionId?: string
  apiKey?: PublicApiKey
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess
  }
  interface FastifyRequest {
    auth: AuthContext | null
  }
}

/** The caller, for handlers of non-public routes (the guard has already checked it). */
export function caller(request: FastifyRequest): AuthContext {
  if (!request.auth) throw unauthorized()
  return request.auth
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization
  if (!header) return null
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  return match?.[1] ?? null
}

/** Resolves a bearer credential (access token or API key) to the caller, or null. */
export async function resolveCredential(app: FastifyInstance, token: string): Promise<AuthContext | null> {
  if (token.startsWith(KEY_PREFIX)) {
    const found = await app.services.apiKeys.authenticate(token)
    return found ? { user: found.user, apiKey: found.apiKey } : null
  }
  const found = await app.services.auth.authenticateAccessToken(token)
  return found ? { user: found.user, sessionId: found.sessionId } : null
}

function check(request: FastifyRequest, access: RouteAccess, auth: AuthContext): void {
  if (access.roles && !access.roles.includes(auth.user.role)) {
    throw forbidden('Your role does not allow this')
  }
  if (auth.apiKey) {
    if (access.sessionOnly) throw forbidden('API keys cannot do this; sign in instead')
    const needed = access.scope ?? (request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write')
    const scopes = auth.apiKey.scopes
    if (!scopes.includes(needed) || (access.roles?.includes('admin') && !scopes.includes('admin'))) {
      throw forbidden(
        `This API key lacks the '${needed}'${access.roles?.includes('admin') ? " and 'admin'" : ''} scope`,
      )
    }
  }
}

export const authGuard = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('auth', null)
    app.addHook('onRequest', async (request) => {
      const url = request.routeOptions.url
      // Only the API is guarded; static files, health and docs are public. Unknown routes
      // have no url here; the not-found handler answers them.
      if (!url || !(url.startsWith('/api/v1') || url.startsWith('/v1'))) return
      const access = request.routeOptions.config.access ?? {}
      const token = bearerToken(request)
      if (request.headers.authorization && !token) throw unauthorized('Malformed Authorization header')
      if (token) request.auth = await resolveCredential(app, token)
      if (access.public) return
      if (!request.auth) {
        throw token
          ? new HttpProblem(
              401,
              'invalid-token',
              'The access token or API key is invalid, expired or revoked',
            )
          : unauthorized()
      }
      check(request, access, request.auth)
      await app.services.rateLimits.consume('api', request.auth.user.id)
    })
  },
  { name: 'auth-guard' },
)
