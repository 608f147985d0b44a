// Sign-up, sign-in, token refresh and sign-out. The refresh token lives only in an httpOnly,
// SameSite=Strict cookie scoped to this path; the access token only in the response body.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import {
  clientInfo,
  emailSchema,
  errorResponses,
  nameSchema,
  passwordSchema,
  problemSchema,
  userSchema,
} from '../http/schemas.js'
import { unauthorized } from '../lib/problem.js'
import { type IssuedTokens, normalizeEmail } from './service.js'

export const REFRESH_COOKIE = 'wp_refresh'
const COOKIE_PATH = '/api/v1/auth'
/**
 * The page cookie: httpOnly, SameSite=Strict, for the whole site, so that a request for one of
 * the app's pages says whose it is and the server can render it with its data (the API never
 * accepts it; see http/pages.ts). It follows the refresh cookie: set and cleared with it.
 */
export const PAGE_COOKIE = 'wp_page'
const PAGE_COOKIE_PATH = '/'

function clearCookies(reply: FastifyReply) {
  reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH })
  reply.clearCookie(PAGE_COOKIE, { path: PAGE_COOKIE_PATH })
}

const tokenResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int(),
  user: userSchema,
})

function sendTokens(request: FastifyRequest, reply: FastifyReply, issued: IssuedTokens) {
  const cookie = (path: string) => ({
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
    path,
    expires: new Date(issued.refreshExpiresAt),
  })
  reply.setCookie(REFRESH_COOKIE, issued.refreshToken, cookie(COOKIE_PATH))
  reply.setCookie(PAGE_COOKIE, issued.pageToken, cookie(PAGE_COOKIE_PATH))
  reply.header('cache-control', 'no-store')
  return {
    accessToken: issued.accessToken,
    tokenType: 'Bearer' as const,
    expiresIn: issued.expiresIn,
    user: issued.user,
  }
}

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { auth, rateLimits, settings, db } = app.services

  app.get(
    '/auth/status',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Whether sign-up is open and whether any account exists',
        security: [],
        response: { 200: z.object({ registrationOpen: z.boolean(), hasUsers: z.boolean() }) },
      },
    },
    async () => {
      const anyUser = await db.selectFrom('users').select('id').limit(1).executeTakeFirst()
      return { registrationOpen: !anyUser || (await settings.registrationOpen()), hasUsers: Boolean(anyUser) }
    },
  )

  app.post(
    '/auth/register',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Create an account (the first one becomes admin)',
        security: [],
        body: z.strictObject({ email: emailSchema, password: passwordSchema, name: nameSchema }),
        response: { 201: z.object({ user: userSchema }), 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await rateLimits.consume('registerIp', request.ip)
      await rateLimits.consume('registerAccount', normalizeEmail(request.body.email))
      const user = await auth.register(request.body, clientInfo(request))
      return reply.code(201).send({ user })
    },
  )

  app.post(
    '/auth/login',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Sign in: access token in the body, refresh token in a cookie',
        security: [],
        body: z.strictObject({ email: z.string().max(254), password: passwordSchema }),
        response: { 200: tokenResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      await rateLimits.consume('loginIp', request.ip)
      await rateLimits.consume('loginAccount', normalizeEmail(request.body.email))
      const issued = await auth.login(request.body, clientInfo(request))
      return sendTokens(request, reply, issued)
    },
  )

  app.post(
    '/auth/refresh',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['auth'],
        summary: 'Rotate the refresh cookie and get a new access token',
        security: [],
        response: { 200: tokenResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const token = request.cookies[REFRESH_COOKIE]
      if (!token) throw unauthorized('No refresh token; sign in again')
      try {
        return sendTokens(request, reply, await auth.refresh(token, clientInfo(request)))
      } catch (error) {
        clearCookies(reply)
        throw error
      }
    },
  )

  app.post(
    '/auth/logout',
    {
      config: { access: { public: true } },
      schema: { tags: ['auth'], summary: 'Sign out this session', security: [], response: { 204: z.null() } },
    },
    async (request, reply) => {
      await auth.logout(request.cookies[REFRESH_COOKIE], request.auth?.sessionId, clientInfo(request))
      clearCookies(reply)
      return reply.code(204).send(null)
    },
  )
}
