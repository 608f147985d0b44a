// The event bus every live feature publishes on: per-user events (model status, streams, runs)
// and control events (a session revoked, a user disabled). In-process by default; Redis pub/sub
// when REDIS_URL is set, so that every server process sees every event.
import { EventEmitter } from 'node:events'
import { Redis } from 'ioredis'
import type { Role } from '../db/schema.js'

export interface UserEvent {
  type: string
  [key: string]: unknown
}

export type ControlEvent =
  | { type: 'session.revoked'; sessionId: string }
  | { type: 'user.disabled'; userId: string }
  /** The user's role or profile changed: caches of the user's row must read it again. */
  | { type: 'user.changed'; userId: string }
  | { type: 'api-key.revoked'; apiKeyId: string }
  /** A user's or an API key's gateway limits changed (`user:<id>`, `key:<id>`). */
  | { type: 'gateway-limits.changed'; subject: string }

/** To one user, or (userId null) to every connection whose role is in `roles`. */
export interface BusMessage {
  userId: string | null
  roles?: Role[]
  event: UserEvent
}

export interface EventBus {
  publish(userId: string, event: UserEvent): Promise<void>
  broadcast(event: UserEvent, roles?: Role[]): Promise<void>
  publishControl(event: ControlEvent): Promise<void>
  onMessage(listener: (message: BusMessage) => void): () => void
  onControl(listener: (event: ControlEvent) => void): () => void
  /**
   * Whether an event for this user can reach anyone: always across processes (Redis), else
   * whether an audience registered here (the WebSocket hub) has the user. Lets a publisher of
   * high-rate events (reply deltas) skip building them for nobody.
   */
  reaches(userId: string): boolean
  /** Registers who listens here for user events. */
  addAudience(has: (userId: string) => boolean): () => void
  close(): Promise<void>
}

class LocalBus implements EventBus {
  protected readonly emitter = new EventEmitter().setMaxListeners(0)
  private readonly audiences = new Set<(userId: string) => boolean>()

  reaches(userId: string): boolean {
    for (const has of this.audiences) if (has(userId)) return true
    return false
  }

  addAudience(has: (userId: string) => boolean) {
    this.audiences.add(has)
    return () => {
      this.audiences.delete(has)
    }
  }

  async publish(userId: string, event: UserEvent) {
    this.emitter.emit('message', { userId, event })
  }

  async broadcast(event: UserEvent, roles?: Role[]) {
    this.emitter.emit('message', { userId: null, roles, event })
  }

  async publishControl(event: ControlEvent) {
    this.emitter.emit('control', event)
  }

  onMessage(listener: (message: BusMessage) => void) {
    this.emitter.on('message', listener)
    return () => this.emitter.off('message', listener)
  }

  onControl(listener: (event: ControlEvent) => void) {
    this.emitter.on('control', listener)
    return () => this.emitter.off('control', listener)
  }

  async close() {
    this.emitter.removeAllListeners()
    this.audiences.clear()
  }
}

const MESSAGE_CHANNEL = 'webplus:events'
const CONTROL_CHANNEL = 'webplus:control'

class RedisBus extends LocalBus {
  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {
    super()
    subscriber.on('message', (channel: string, payload: string) => {
      const data: unknown = JSON.parse(payload)
      if (channel === MESSAGE_CHANNEL) this.emitter.emit('message', data)
      else if (channel === CONTROL_CHANNEL) this.emitter.emit('control', data)
    })
  }

  static async connect(url: string): Promise<RedisBus> {
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 })
    const subscriber = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 })
    await Promise.all([publisher.connect(), subscriber.connect()])
    await subscriber.subscribe(MESSAGE_CHANNEL, CONTROL_CHANNEL)
    return new RedisBus(publisher, subscriber)
  }

  /** Another process may hold the user's connections. */
  override reaches(_userId: string): boolean {
    return true
  }

  override async publish(userId: string, event: UserEvent) {
    await this.publisher.publish(MESSAGE_CHANNEL, JSON.stringify({ userId, event }))
  }

  override async broadcast(event: UserEvent, roles?: Role[]) {
    await this.publisher.publish(MESSAGE_CHANNEL, JSON.stringify({ userId: null, roles, event }))
  }

  override async publishControl(event: ControlEvent) {
    await this.publisher.publish(CONTROL_CHANNEL, JSON.stringify(event))
  }

  override async close() {
    await super.close()
    this.subscriber.disconnect()
    this.publisher.disconnect()
  }
}

export async function createBus(redisUrl?: string): Promise<EventBus> {
  return redisUrl ? RedisBus.connect(redisUrl) : new LocalBus()
}
