// The one error handler: every failure becomes an RFC 9457 problem. Client errors say what was
// wrong; server errors are logged with the request and answered without internals.
import type { FastifyError, FastifyInstance } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { type FieldError, HttpProblem, problemBody } from '../lib/problem.js'
import { isAppRoute } from './web.js'

const PROBLEM = 'application/problem+json; charset=utf-8'

const fastifyCodes: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid-json', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid-json', 'The request body is empty but JSON was declared'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body-too-large', 'The request body is too large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported-media-type', 'This content type is not accepted here'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad-request', 'Content-Length does not match the body'],
}

function fieldPath(instancePath: string, fallback?: string): string {
  const path = instancePath.replace(/^\//, '').replaceAll('/', '.')
  return path || fallback || '(body)'
}

export function registerErrorHandling(app: FastifyInstance, options: { serveApp: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const instance = request.id
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: FieldError[] = error.validation.map((issue) => ({
        field: fieldPath(issue.instancePath, issue.params.issue.path?.join('.')),
        message: issue.message,
      }))
      const where = error.validationContext ?? 'request'
      return reply
        .code(400)
        .type(PROBLEM)
        .send(problemBody(400, 'validation-failed', `The ${where} is invalid`, instance, errors))
    }
    if (error instanceof HttpProblem) {
      if (error.extra.retryAfterSeconds) reply.header('retry-after', String(error.extra.retryAfterSeconds))
      return reply.code(error.status).type(PROBLEM).send(error.toBody(instance))
    }
    if (/prototype property/.test(error.message)) {
      return reply
        .code(400)
        .type(PROBLEM)
        .send(
          problemBody(
            400,
            'forbidden-key',
            'The body contains a forbidden key (__proto__ or constructor.prototype)',
            instance,
          ),
        )
    }
    const known = error.code ? fastifyCodes[error.code] : undefined
    if (known) {
      return reply
        .code(known[0])
        .type(PROBLEM)
        .send(problemBody(known[0], known[1], known[2], instance))
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (e.g. __proto__ in JSON) carry safe, readable messages.
      return reply
        .code(status)
        .type(PROBLEM)
        .send(problemBody(status, 'bad-request', error.message, instance))
    }
    request.log.error({ err: error }, 'request failed')
    return reply
      .code(500)
      .type(PROBLEM)
      .send(problemBody(500, 'internal', `Something went wrong on our side (request ${instance})`, instance))
  })

  app.setNotFoundHandler((request, reply) => {
    if (options.serveApp && isAppRoute(request.method, request.url, request.headers.accept)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    }
    reply
      .code(404)
      .type(PROBLEM)
      .send(
        problemBody(
          404,
          'not-found',
          `No route for ${request.method} ${request.url.split('?')[0]}`,
          request.id,
        ),
      )
  })
}
