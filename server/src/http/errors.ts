// The one error handler: every failure becomes an RFC 9457 problem. Client errors say what was
// wrong; server errors are logged with the request and answered without internals.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { cleanMessage, type FieldError, HttpProblem, type ProblemBody, problemBody } from '../lib/problem.js'
import { ProviderError } from '../providers/types.js'
import { isAppRoute } from './web.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

const fastifyCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-json', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-json', 'The request body is empty but JSON was declared'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'This content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-request', 'Content-Length does not match the body'],
}

/**
 * Errors Fastify meets before any route runs: an address with a malformed percent-encoding in a
 * route parameter (its default answer is plain JSON, not a problem).
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const detail =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The address is not valid: it has a malformed percent-encoding'
      : 'The request could not be routed'
  void reply
    .code(400)
    .type(PROBLEM)
    .send(problemBody(400, 'bad-request', detail, request.id))
}

function fieldPath(instancePath: string, params: Record<string, unknown>): string {
  const base = instancePath.replace(/^\//, '').replaceAll('/', '.')
  // Unknown keys are reported on the object that holds them; name the keys themselves.
  const keys = Array.isArray(params.keys) ? params.keys.join(',') : ''
  if (keys) return base ? `${base}.${keys}` : keys
  return base || '(body)'
}

/** Maps an error to the problem a client may see, or null when it is a server fault. */
export function clientProblem(error: FastifyError, instance: string): ProblemBody | null {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors: FieldError[] = error.validation.map((issue) => ({
      field: fieldPath(issue.instancePath, issue.params ?? {}),
      message: issue.message,
    }))
    const where = error.validationContext ?? 'request'
    return problemBody(400, 'validation-failed', `The ${where} is invalid`, instance, errors)
  }
  if (error instanceof HttpProblem) return error.toBody(instance)
  // Provider failures carry messages written for users (e.g. "host unreachable").
  if (error instanceof ProviderError) {
    return problemBody(
      error.status,
      `provider-${error.kind.replaceAll('_', '-')}`,
      cleanMessage(error.message),
      instance,
    )
  }
  const known = error.code ? fastifyCodes[error.code] : undefined
  if (known) return problemBody(known[0], known[1], known[2], instance)
  const status = error.statusCode ?? 500
  // Fastify's own client errors carry safe, readable messages.
  if (status >= 400 && status < 500) return problemBody(status, 'bad-request', error.message, instance)
  return null
}

export function registerErrorHandling(app: FastifyInstance, options: { serveApp: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: ProblemBody | null = null
    try {
      problem = clientProblem(error, request.id)
    } catch (mappingError) {
      request.log.error({ err: mappingError }, 'could not map error to a problem')
    }
    if (!problem) {
      request.log.error({ err: error }, 'request failed')
      problem = problemBody(
        500,
        'internal',
        `Something went wrong on our side (request ${request.id})`,
        request.id,
      )
    }
    if (error instanceof HttpProblem && error.extra.retryAfterSeconds) {
      reply.header('retry-after', String(error.extra.retryAfterSeconds))
    }
    return reply.code(problem.status).type(PROBLEM).send(problem)
  })

  app.setNotFoundHandler((request, reply) => {
    if (options.serveApp && isAppRoute(request.method, request.url, request.headers.accept)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    const detail = `No route for ${request.method} ${request.url.split('?')[0]}`
    return reply
      .code(404)
      .type(PROBLEM)
      .send(problemBody(404, 'not-found', detail, request.id))
  })
}
