// The realtime connection: one WebSocket to /api/v1/ws, authenticated by its first message,
// reconnecting with capped exponential backoff and a fresh token after every drop.

export type RealtimeStatus = 'offline' | 'connecting' | 'connected'

export interface RealtimeEvent {
  type: string
  [key: string]: unknown
}

export interface RealtimeOptions {
  url: () => string
  /** A valid access token, refreshed first when `forceRefresh`; null when signed out. */
  getToken: (forceRefresh: boolean) => Promise<string | null>
  createSocket?: (url: string) => WebSocket
  initialDelayMs?: number
  maxDelayMs?: number
  random?: () => number
}

type EventListener = (event: RealtimeEvent) => void

export class RealtimeClient {
  private readonly options: Required<Omit<RealtimeOptions, 'createSocket'>> &
    Pick<RealtimeOptions, 'createSocket'>
  private socket: WebSocket | null = null
  private status: RealtimeStatus = 'offline'
  private running = false
  /** Bumped by stop(), so a connect that was waiting for a token knows it is stale. */
  private generation = 0
  private attempt = 0
  private forceRefresh = false
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private readonly statusListeners = new Set<() => void>()
  private readonly eventListeners = new Map<string, Set<EventListener>>()

  constructor(options: RealtimeOptions) {
    this.options = { initialDelayMs: 1000, maxDelayMs: 30_000, random: Math.random, ...options }
  }

  getStatus = (): RealtimeStatus => this.status

  subscribeStatus = (listener: () => void): (() => void) => {
    this.statusListeners.add(listener)
    return () => this.statusListeners.delete(listener)
  }

  /** Listen to pushed events of one type, or every type with '*'. */
  on(type: string, listener: EventListener): () => void {
    const listeners = this.eventListeners.get(type) ?? new Set<EventListener>()
    listeners.add(listener)
    this.eventListeners.set(type, listeners)
    return () => listeners.delete(listener)
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.attempt = 0
    void this.connect()
  }

  stop(): void {
    this.running = false
    this.generation += 1
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    const socket = this.socket
    this.socket = null
    socket?.close(1000, 'client stopped')
    this.setStatus('offline')
  }

  /** Skip the backoff wait, e.g. when the browser comes back online. */
  reconnectNow(): void {
    if (!this.running || this.socket) return
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
    void this.connect()
  }

  private setStatus(next: RealtimeStatus): void {
    if (next === this.status) return
    this.status = next
    for (const listener of this.statusListeners) listener()
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = null
    const generation = this.generation
    this.setStatus('connecting')
    let token: string | null
    try {
      token = await this.options.getToken(this.forceRefresh)
    } catch (error) {
      // Could not get a token right now (server unreachable): try again later.
      console.warn('realtime: token unavailable', error)
      this.scheduleReconnect()
      return
    }
    if (!this.running || generation !== this.generation) return
    if (!token) {
      this.stop()
      return
    }
    const create = this.options.createSocket ?? ((url: string) => new WebSocket(url))
    const socket = create(this.options.url())
    this.socket = socket
    let ready = false
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token }))
    socket.onmessage = (message) => {
      const event = parseEvent(message.data)
      if (!event) return
      if (event.type === 'ready') {
        ready = true
        this.attempt = 0
        this.forceRefresh = false
        this.setStatus('connected')
        return
      }
      this.dispatch(event)
    }
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = null
      // Closed before the server accepted us: most likely the token was refused.
      if (!ready) this.forceRefresh = true
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    if (!this.running) return
    this.setStatus('connecting')
    const { initialDelayMs, maxDelayMs, random } = this.options
    const base = Math.min(maxDelayMs, initialDelayMs * 2 ** this.attempt)
    const delay = Math.round(base * (0.5 + random() / 2))
    this.attempt += 1
    this.reconnectTimer = setTimeout(() => void this.connect(), delay)
  }

  private dispatch(event: RealtimeEvent): void {
    for (const key of [event.type, '*']) {
      for (const listener of this.eventListeners.get(key) ?? []) listener(event)
    }
  }
}

function parseEvent(data: unknown): RealtimeEvent | null {
  if (typeof data !== 'string') return null
  try {
    const value: unknown = JSON.parse(data)
    if (typeof value === 'object' && value !== null && typeof (value as RealtimeEvent).type === 'string') {
      return value as RealtimeEvent
    }
    return null
  } catch (error) {
    if (error instanceof SyntaxError) return null
    throw error
  }
}

export function realtimeUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws'
  return `${scheme}://${window.location.host}/api/v1/ws`
}
