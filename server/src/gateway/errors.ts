// OpenAI's error shape for the /v1 routes: `{error: {message, type, param, code}}` with the
// status codes OpenAI uses, so that its SDKs raise their typed errors. Every failure on /v1 —
// auth, validation, limits, providers — is answered through toOpenAIError; /api/v1 keeps RFC 9457.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod'
import { cleanMessage, HttpProblem } from '../lib/problem.js'
import { ProviderError, type ProviderErrorKind } from '../providers/types.js'

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

/** A failure a gateway client may see, in OpenAI's terms. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string | null = null,
    readonly param: string | null = null,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
  }

  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError(400, message, 'invalid_request_error', code, param)

export const unsupportedParam = (param: string, message: string) =>
  invalidRequest(message, param, 'unsupported_parameter')

export const modelNotFound = (model: string) =>
  new GatewayError(
    404,
    `The model '${model}' does not exist or you do not have access to it.`,
    'invalid_request_error',
    'model_not_found',
    'model',
  )

export const invalidApiKey = (message: string) =>
  new GatewayError(401, message, 'invalid_request_error', 'invalid_api_key')

const typeByStatus: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'requests',
}

const codeByStatus: Record<number, string> = {
  401: 'invalid_api_key',
  403: 'permission_denied',
  404: 'not_found',
  413: 'request_too_large',
  429: 'rate_limit_exceeded',
}

/** Statuses for provider failures; never 401/403, which would blame the caller's own key. */
const statusByKind: Record<ProviderErrorKind, number> = {
  bad_request: 400,
  unauthorized: 502,
  not_found: 404,
  rate_limited: 429,
  timeout: 504,
  unreachable: 503,
  bad_response: 502,
  upstream: 502,
  aborted: 499,
}

/** A provider failure (an adapter error, or the invoker's error event) as a gateway error. */
export function providerFailure(kind: ProviderErrorKind, message: string, retryAfterMs?: number) {
  const status = statusByKind[kind]
  const retry = retryAfterMs ? Math.max(1, Math.ceil(retryAfterMs / 1000)) : undefined
  const type = status === 429 ? 'requests' : status >= 500 ? 'server_error' : 'invalid_request_error'
  return new GatewayError(status, cleanMessage(message), type, `upstream_${kind}`, null, retry)
}

/** `/messages/0/content` → `messages[0].content`, as OpenAI names params. */
function paramOf(instancePath: string): string | null {
  const parts = instancePath.split('/').filter(Boolean)
  if (parts.length === 0) return null
  return parts.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')
}

const fastifyStatus: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'We could not parse the JSON body of your request.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is empty.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the request body as application/json.'],
}

/** Maps any error to what a gateway client sees, or null for a server fault (logged, hidden). */
export function toOpenAIError(error: unknown): GatewayError | null {
  if (error instanceof GatewayError) return error
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issue = error.validation[0]
    const param = issue ? paramOf(issue.instancePath) : null
    const detail = issue?.message ?? 'invalid'
    if (!param) return invalidRequest(`The request body must be a JSON object (application/json): ${detail}`)
    return invalidRequest(`Invalid value for '${param}': ${detail}`, param)
  }
  if (error instanceof HttpProblem) {
    const status = error.status
    return new GatewayError(
      status,
      error.message,
      typeByStatus[status] ?? 'invalid_request_error',
      codeByStatus[status] ?? error.slug,
      null,
      error.extra.retryAfterSeconds,
    )
  }
  if (error instanceof ProviderError) return providerFailure(error.kind, error.message, error.retryAfterMs)
  const fastifyError = error as FastifyError
  const known = fastifyError.code ? fastifyStatus[fastifyError.code] : undefined
  if (known)
    return new GatewayError(known[0], known[1], 'invalid_request_error', codeByStatus[known[0]] ?? null)
  const status = fastifyError.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return new GatewayError(status, fastifyError.message, typeByStatus[status] ?? 'invalid_request_error')
  }
  return null
}

export function sendOpenAIError(reply: FastifyReply, error: GatewayError): FastifyReply {
  if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds))
  return reply.code(error.status).type('application/json; charset=utf-8').send(error.body())
}

/** Installs the OpenAI-shaped error and not-found handlers on the /v1 plugin. */
export function registerOpenAIErrors(
  app: FastifyInstance,
  refine: (req: FastifyRequest, e: GatewayError) => GatewayError,
) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = toOpenAIError(error)
    if (!mapped) {
      request.log.error({ err: error }, 'gateway request failed')
      const hidden = new GatewayError(
        500,
        `The server had an error while processing your request (request ${request.id}).`,
        'server_error',
      )
      return sendOpenAIError(reply, hidden)
    }
    return sendOpenAIError(reply, refine(request, mapped))
  })
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]
    const error = invalidRequest(`Invalid URL (${request.method} ${path})`, null, 'unknown_url')
    return sendOpenAIError(reply, new GatewayError(404, error.message, error.type, error.code))
  })
}
