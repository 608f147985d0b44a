// The one API client. It owns the signed-in session: the access token lives here, in memory
// only, and never leaves this module except to authenticate the realtime socket. A 401 triggers
// one refresh (shared by every request that hit it) and a retry; a failed refresh signs out.
import type { Problem, TokenResponse, User } from '@/types/api'

export const API_BASE = '/api/v1'

/** An error answer from the API (or the network), with the problem's text and field errors. */
export class ApiError extends Error {
  readonly status: number
  readonly type: string
  readonly title: string
  readonly detail: string | undefined
  /** First message per field, keyed by the field name the server reports (e.g. `email`). */
  readonly fieldErrors: Record<string, string>
  /** From a 429's (or 503's) Retry-After header: how long to wait before trying again. */
  readonly retryAfterSeconds: number | null

  constructor(problem: Problem, retryAfterSeconds: number | null = null) {
    super(problem.detail ?? problem.title)
    this.name = 'ApiError'
    this.status = problem.status
    this.type = problem.type
    this.title = problem.title
    this.detail = problem.detail
    this.retryAfterSeconds = retryAfterSeconds
    this.fieldErrors = {}
    for (const { field, message } of problem.errors ?? []) {
      this.fieldErrors[field] ??= message
    }
  }
}

export type SessionState =
  | { status: 'restoring'; user: null }
  | { status: 'signed-in'; user: User }
  | { status: 'signed-out'; user: null; reason: 'signed-out' | 'expired' }

export type QueryParams = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  body?: unknown
  query?: QueryParams
  signal?: AbortSignal
  /** Send the access token and refresh on 401 (default). Off for the public auth routes. */
  auth?: boolean
  /** Extra request headers, e.g. Last-Event-ID when resuming an event stream. */
  headers?: Record<string, string>
  /** What the caller accepts (JSON by default). */
  accept?: string
}

export interface ApiClientOptions {
  fetch?: typeof fetch
  baseUrl?: string
  /** Called when the session ends on its own (refresh refused); the app sends the user to sign in. */
  onSessionExpired?: () => void
  now?: () => number
}

const NETWORK_PROBLEM: Problem = {
  type: 'about:blank',
  title: 'Network error',
  status: 0,
  detail: 'Could not reach the server. Check your connection and try again.',
}

const nothing = () => undefined

/** A GET started ahead of its caller; `arrived` once its answer is here. */
interface EarlyAnswer {
  answer: Promise<unknown>
  arrived?: { body: unknown }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return typeof candidate.title === 'string' && typeof candidate.status === 'number'
}

/** Retry-After is either seconds or an HTTP date. */
function retryAfterSeconds(value: string | null, now: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

export class ApiClient {
  private readonly fetchImpl: typeof fetch
  private readonly baseUrl: string
  private onSessionExpired: (() => void) | undefined
  private readonly now: () => number
  private accessToken: string | null = null
  private accessTokenExpiresAt = 0
  private session: SessionState = { status: 'restoring', user: null }
  private refreshing: Promise<boolean> | null = null
  private readonly listeners = new Set<() => void>()
  /** GETs started ahead of their caller (`prefetch`), by URL, until that caller takes them. */
  private readonly early = new Map<string, EarlyAnswer>()

  constructor(options: ApiClientOptions = {}) {
    // Bound so that `window.fetch` keeps its receiver.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.baseUrl = options.baseUrl ?? API_BASE
    this.onSessionExpired = options.onSessionExpired
    this.now = options.now ?? Date.now
  }

  // --- session state, for React's useSyncExternalStore ---

  getSession = (): SessionState => this.session

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private setSession(next: SessionState): void {
    this.session = next
    for (const listener of this.listeners) listener()
  }

  /** Sets who is told when the session ends on its own (for a client made before the router). */
  setOnSessionExpired(handler: () => void): void {
    this.onSessionExpired = handler
  }

  /** Resolves once the session is known: restored on app start, or not (signed out). */
  whenRestored(): Promise<SessionState> {
    if (this.session.status !== 'restoring') return Promise.resolve(this.session)
    return new Promise((resolve) => {
      const unsubscribe = this.subscribe(() => {
        if (this.session.status === 'restoring') return
        unsubscribe()
        resolve(this.session)
      })
    })
  }

  /** Keeps the signed-in user current after the profile changes. */
  updateSessionUser(user: User): void {
    if (this.session.status === 'signed-in') this.setSession({ status: 'signed-in', user })
  }

  // --- session lifecycle ---

  /** On app start: exchange the refresh cookie (if any) for an access token. */
  async restoreSession(): Promise<void> {
    try {
      const restored = await this.refresh()
      if (!restored) this.clearSession()
    } catch (error) {
      // The server is unreachable: start signed out; signing in will report the problem.
      this.clearSession()
      if (!(error instanceof ApiError)) throw error
    }
  }

  async login(credentials: { email: string; password: string }): Promise<User> {
    const tokens = await this.request<TokenResponse>('/auth/login', {
      method: 'POST',
      body: credentials,
      auth: false,
    })
    this.applyTokens(tokens)
    return tokens.user
  }

  /** Ends this session on the server and here; the local session ends even if the call fails. */
  async logout(): Promise<void> {
    const token = this.accessToken
    this.clearSession()
    const response = await this.send('/auth/logout', { method: 'POST' }, token)
    if (!response.ok && response.status !== 401) await this.parse(response)
  }

  /** A token for the realtime socket, refreshed first when it is about to expire. */
  async freshAccessToken(forceRefresh = false): Promise<string | null> {
    if (this.session.status !== 'signed-in') return null
    if (forceRefresh || this.accessTokenExpiresAt - this.now() < 30_000) {
      await this.refreshOrExpire()
    }
    return this.accessToken
  }

  /** Single-flight: concurrent callers share one POST /auth/refresh. Resolves false when refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null
    })
    return this.refreshing
  }

  private async refreshOnce(): Promise<boolean> {
    // Tabs share one refresh cookie, and the server treats a rotated token presented twice as
    // theft; a Web Lock keeps two tabs from refreshing at the same moment.
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
    if (!locks) return this.exchangeRefreshCookie()
    return await locks.request('webplus-auth-refresh', () => this.exchangeRefreshCookie())
  }

  private async exchangeRefreshCookie(): Promise<boolean> {
    const response = await this.send('/auth/refresh', { method: 'POST' }, null)
    if (response.status === 401 || response.status === 403) return false
    this.applyTokens(await this.parse<TokenResponse>(response))
    return true
  }

  private async refreshOrExpire(): Promise<boolean> {
    const renewed = await this.refresh()
    if (!renewed) this.expireSession()
    return renewed
  }

  /** Starts signed in with tokens obtained elsewhere (the server rendering a page for a session). */
  acceptTokens(tokens: TokenResponse): void {
    this.applyTokens(tokens)
  }

  private applyTokens(tokens: TokenResponse): void {
    this.accessToken = tokens.accessToken
    this.accessTokenExpiresAt = this.now() + tokens.expiresIn * 1000
    this.setSession({ status: 'signed-in', user: tokens.user })
  }

  private clearSession(reason: 'signed-out' | 'expired' = 'signed-out'): void {
    this.accessToken = null
    this.accessTokenExpiresAt = 0
    this.early.clear()
    if (this.session.status !== 'signed-out') this.setSession({ status: 'signed-out', user: null, reason })
  }

  private expireSession(): void {
    const wasSignedIn = this.session.status === 'signed-in'
    this.clearSession('expired')
    if (wasSignedIn) this.onSessionExpired?.()
  }

  // --- requests ---

  get<T>(path: string, query?: QueryParams, signal?: AbortSignal): Promise<T> {
    const url = this.url(path, query)
    const early = this.early.get(url)
    if (early) {
      this.early.delete(url)
      return early.answer as Promise<T>
    }
    return this.request<T>(path, { method: 'GET', query, signal })
  }

  /** A prefetched answer that has already arrived, taken as `get` would take it; else undefined. */
  takeArrived<T>(path: string, query?: QueryParams): T | undefined {
    const url = this.url(path, query)
    const arrived = this.early.get(url)?.arrived
    if (!arrived) return undefined
    this.early.delete(url)
    return arrived.body as T
  }

  /**
   * Starts a GET now for a `get` of the same URL that comes later: a page's data while the app's
   * code is still loading. The first such `get` receives this response (or its error); one that
   * nobody asks for within `keepMs` is dropped, and so is every one when the session ends.
   * Resolves once the answer is here (also when it is an error).
   */
  prefetch(path: string, query?: QueryParams, keepMs = 10_000): Promise<void> {
    const url = this.url(path, query)
    const existing = this.early.get(url)
    if (existing) return existing.answer.then(nothing, nothing)
    const entry: EarlyAnswer = { answer: this.request(path, { method: 'GET', query }) }
    this.early.set(url, entry)
    setTimeout(() => {
      if (this.early.get(url) === entry) this.early.delete(url)
    }, keepMs)
    return entry.answer.then(
      (body) => {
        entry.arrived = { body }
      },
      // Its error belongs to the `get` that takes it; none may come.
      nothing,
    )
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>(path, { method: 'POST', body })
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PATCH', body })
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>(path, { method: 'PUT', body })
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>(path, { method: 'DELETE' })
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const useAuth = options.auth !== false
    const tokenSent = useAuth ? this.accessToken : null
    let response = await this.send(path, options, tokenSent)
    if (response.status === 401 && useAuth) {
      // Another request may already have renewed the token while this one was in flight.
      const renewed =
        this.accessToken !== null && this.accessToken !== tokenSent ? true : await this.refreshOrExpire()
      if (renewed) response = await this.send(path, options, this.accessToken)
    }
    return this.parse<T>(response)
  }

  /**
   * The successful response itself, unread, for answers that are not one JSON document: event
   * streams and file downloads. Authenticates and refreshes like `request`; errors throw ApiError.
   */
  async raw(path: string, options: RequestOptions = {}): Promise<Response> {
    const tokenSent = this.accessToken
    let response = await this.send(path, options, tokenSent)
    if (response.status === 401) {
      const renewed =
        this.accessToken !== null && this.accessToken !== tokenSent ? true : await this.refreshOrExpire()
      if (renewed) response = await this.send(path, options, this.accessToken)
    }
    if (!response.ok) throw await this.toApiError(response)
    return response
  }

  private async send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers: Record<string, string> = {
      ...options.headers,
      accept: options.accept ?? 'application/json, application/problem+json',
    }
    if (token) headers.authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    try {
      return await this.fetchImpl(this.url(path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        credentials: 'same-origin',
        signal: options.signal,
      })
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error
      throw new ApiError(NETWORK_PROBLEM)
    }
  }

  private url(path: string, query?: QueryParams): string {
    const search = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
    }
    const suffix = search.size > 0 ? `?${search}` : ''
    return `${this.baseUrl}${path}${suffix}`
  }

  private async parse<T>(response: Response): Promise<T> {
    if (response.ok) {
      if (response.status === 204) return undefined as T
      const type = response.headers.get('content-type') ?? ''
      return (type.includes('json') ? await response.json() : undefined) as T
    }
    throw await this.toApiError(response)
  }

  private async toApiError(response: Response): Promise<ApiError> {
    const fallback: Problem = {
      type: 'about:blank',
      title: response.statusText || 'Request failed',
      status: response.status,
      detail: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
    }
    const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), this.now())
    const type = response.headers.get('content-type') ?? ''
    if (!type.includes('json')) return new ApiError(fallback, retryAfter)
    const text = await response.text()
    try {
      const body: unknown = JSON.parse(text)
      return new ApiError(isProblem(body) ? body : fallback, retryAfter)
    } catch (error) {
      if (error instanceof SyntaxError) return new ApiError(fallback, retryAfter)
      throw error
    }
  }
}
