// Schemas shared by many routes: the problem body, users, and common error responses.
import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { ClientInfo } from '../auth/service.js'

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
})

/** The error answers every private route can give, for the OpenAPI document. */
export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  429: problemSchema,
}

export const roleSchema = z.enum(['admin', 'developer', 'user'])

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  disabled: z.boolean(),
})

export const idParams = z.object({ id: z.string().min(1).max(64) })

export const emailSchema = z.email().max(254)
export const passwordSchema = z.string().min(1).max(1024)
export const nameSchema = z.string().trim().min(1).max(100)

export function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null }
}
