// Turns whatever a provider call threw (HTTP status, socket error, timeout, bad JSON) into a
// ProviderError with a message a user can act on. Shared by every adapter.

import { type ChatEvent, type Health, ProviderError } from './types.js'

export interface ErrorContext {
  /** Shown to users: `Ollama`, `OpenAI`, `Anthropic`… */
  label: string
  baseUrl: string
}

export function fromHttpStatus(
  ctx: ErrorContext,
  status: number,
  detail: string,
  retryAfterMs?: number,
): ProviderError {
  const options = { upstreamStatus: status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  const said = detail ? `: ${detail}` : ''
  if (status === 401)
    return new ProviderError('unauthorized', `${ctx.label} rejected the API key${said}`, options)
  if (status === 403) return new ProviderError('unauthorized', `${ctx.label} refused access${said}`, options)
  if (status === 404) return new ProviderError('not_found', `${ctx.label}: ${detail || 'not found'}`, options)
  if (status === 408) return new ProviderError('timeout', `${ctx.label} timed out${said}`, options)
  if (status === 429)
    return new ProviderError('rate_limited', `${ctx.label} is rate limiting requests${said}`, options)
  if (status >= 400 && status < 500) {
    return new ProviderError('bad_request', `${ctx.label} rejected the request${said}`, options)
  }
  return new ProviderError('upstream', `${ctx.label} failed with HTTP ${status}${said}`, options)
}

/** The error code of a socket failure, looked up through `cause` chains and AggregateErrors. */
function networkCode(err: unknown, depth = 0): string | undefined {
  if (depth > 4 || typeof err !== 'object' || err === null) return undefined
  const { code, cause, errors } = err as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof code === 'string') return code
  if (Array.isArray(errors) && errors.length > 0) return networkCode(errors[0], depth + 1)
  return networkCode(cause, depth + 1)
}

const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
}

const droppedCodes = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

/**
 * Maps an error that did not come with an HTTP status. `signal` is the caller's: when it has
 * fired, the failure is the cancellation, not whatever the transport made of it.
 */
export function fromThrown(ctx: ErrorContext, err: unknown, signal?: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err
  if (signal?.aborted) return new ProviderError('aborted', 'The request was cancelled', { cause: err })
  const name = err instanceof Error ? err.name : ''
  const message = err instanceof Error ? err.message : String(err)
  if (name === 'TimeoutError') {
    return new ProviderError('timeout', `${ctx.label} at ${ctx.baseUrl} did not answer in time`, {
      cause: err,
    })
  }
  if (name === 'AbortError') return new ProviderError('aborted', 'The request was cancelled', { cause: err })
  if (err instanceof SyntaxError) {
    return new ProviderError('bad_response', `${ctx.label} sent a response that is not valid JSON`, {
      cause: err,
    })
  }
  const code = networkCode(err)
  if (code && code in unreachableCodes) {
    const why = unreachableCodes[code]
    return new ProviderError('unreachable', `Cannot reach ${ctx.label} at ${ctx.baseUrl}: ${why}`, {
      cause: err,
    })
  }
  if ((code && droppedCodes.has(code)) || message === 'terminated') {
    return new ProviderError(
      'upstream',
      `${ctx.label} closed the connection before the response was complete`,
      {
        cause: err,
      },
    )
  }
  if (message === 'fetch failed') {
    return new ProviderError('unreachable', `Cannot reach ${ctx.label} at ${ctx.baseUrl}`, { cause: err })
  }
  return new ProviderError('upstream', `${ctx.label}: ${message}`, { cause: err })
}

/** `retry-after-ms`, or `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: Pick<Headers, 'get'> | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'))
  if (Number.isFinite(ms) && ms > 0) return ms
  const value = headers?.get('retry-after')
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

/** The shape shared by the OpenAI and Anthropic SDKs' `APIError`. */
export interface SdkApiError {
  status?: number | undefined
  headers?: Headers | undefined
  error?: unknown
  message: string
}

/** The provider's own words: `{error: {message}}` (OpenAI), `{type, error: {message}}` (Anthropic). */
function sdkDetail(err: SdkApiError): string {
  const body = err.error as { message?: unknown; error?: { message?: unknown } } | undefined
  const nested = body?.error?.message ?? body?.message
  if (typeof nested === 'string' && nested) return nested
  return err.message.replace(/^\d{3}\s+/, '')
}

export function fromSdkApiError(ctx: ErrorContext, err: SdkApiError): ProviderError {
  const detail = sdkDetail(err)
  if (err.status !== undefined) return fromHttpStatus(ctx, err.status, detail, retryAfterMs(err.headers))
  // No status: an error the provider sent inside an already-started stream.
  const type = (err.error as { error?: { type?: unknown }; type?: unknown } | undefined)?.error?.type
  if (type === 'rate_limit_error') {
    return new ProviderError('rate_limited', `${ctx.label} is rate limiting requests: ${detail}`, {
      cause: err,
    })
  }
  return new ProviderError('upstream', `${ctx.label} reported an error mid-stream: ${detail}`, { cause: err })
}

export function errorEvent(err: ProviderError): ChatEvent {
  const event: ChatEvent = { type: 'error', message: err.message, retryable: err.retryable, kind: err.kind }
  return err.retryAfterMs === undefined ? event : { ...event, retryAfterMs: err.retryAfterMs }
}

/** Times a probe; a failure becomes `{ok: false}` with the mapped message. */
export async function probeHealth(
  ctx: ErrorContext,
  probe: () => Promise<string | undefined>,
): Promise<Health> {
  const started = performance.now()
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10
  try {
    const version = await probe()
    return { ok: true, latencyMs: elapsed(), ...(version ? { version } : {}) }
  } catch (err) {
    return { ok: false, latencyMs: elapsed(), error: fromThrown(ctx, err).message }
  }
}

/**
 * `fetch` tied to `signal` that rejects a successful answer that is neither JSON nor an event
 * stream: a wrong base URL often lands on an HTML page that answers 200.
 */
export function guardedFetch(ctx: ErrorContext, signal?: AbortSignal): typeof fetch {
  return async (input, init) => {
    const own = init?.signal ?? undefined
    const merged = own && signal ? AbortSignal.any([own, signal]) : (own ?? signal)
    const response = await fetch(input, { ...init, ...(merged ? { signal: merged } : {}) })
    const type = response.headers.get('content-type')
    if (response.ok && type && !/json|event-stream/.test(type)) {
      await response.body?.cancel()
      throw new ProviderError(
        'bad_response',
        `${ctx.baseUrl} answered with ${type.split(';')[0]} instead of ${ctx.label}'s JSON: is the base URL right?`,
      )
    }
    return response
  }
}
