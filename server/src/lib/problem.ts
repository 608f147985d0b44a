// RFC 9457 problem details: the one error shape every route answers with.
export interface FieldError {
  field: string
  message: string
}

export interface ProblemBody {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: FieldError[]
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** An error a client may see: its status, a stable type slug and a human-readable detail. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail)
  }

  toBody(instance?: string): ProblemBody {
    return problemBody(this.status, this.slug, this.message, instance, this.extra.errors)
  }
}

export function problemBody(
  status: number,
  slug: string,
  detail?: string,
  instance?: string,
  errors?: FieldError[],
): ProblemBody {
  return {
    type: `https://webplus.dev/problems/${slug}`,
    title: titles[status] ?? 'Error',
    status,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...(errors ? { errors } : {}),
  }
}

export const notFound = (what: string) => new HttpProblem(404, 'not-found', `${what} not found`)
export const forbidden = (detail = 'You are not allowed to do this') =>
  new HttpProblem(403, 'forbidden', detail)
export const unauthorized = (detail = 'Authentication required') =>
  new HttpProblem(401, 'unauthorized', detail)
export const conflict = (detail: string) => new HttpProblem(409, 'conflict', detail)
export const badRequest = (detail: string, errors?: FieldError[]) =>
  new HttpProblem(400, 'bad-request', detail, errors ? { errors } : {})
export const tooManyRequests = (retryAfterSeconds: number, detail: string) =>
  new HttpProblem(429, 'rate-limited', detail, { retryAfterSeconds })

/** Makes third-party error text safe to store and show: no control characters, bounded length. */
export function cleanMessage(text: string, max = 500): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  const cleaned = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/g, '').trim()
  return cleaned.length > max ? `${cleaned.slice(0, max - 1)}…` : cleaned
}
