// The WebSocket hub: authenticated connections grouped by user. A user's events go only to that
// user's sockets; revoking a session, an API key or a user closes the matching sockets at once.
import type { FastifyBaseLogger } from 'fastify'
import type { WebSocket } from 'ws'
import type { AuthContext } from '../auth/guard.js'
import type { Role } from '../db/schema.js'
import type { BusMessage, ControlEvent, EventBus } from './bus.js'

interface Connection {
  socket: WebSocket
  userId: string
  role: Role
  sessionId?: string
  apiKeyId?: string
}

export const CLOSE_REVOKED = 4401

export class RealtimeHub {
  private readonly byUser = new Map<string, Set<Connection>>()
  private readonly unsubscribe: Array<() => void>

  constructor(
    bus: EventBus,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribe = [
      bus.onMessage((m) => this.deliver(m)),
      bus.onControl((e) => this.control(e)),
      bus.addAudience((userId) => this.byUser.has(userId)),
    ]
  }

  add(socket: WebSocket, auth: AuthContext): void {
    const connection: Connection = {
      socket,
      userId: auth.user.id,
      role: auth.user.role,
      sessionId: auth.sessionId,
      apiKeyId: auth.apiKey?.id,
    }
    const set = this.byUser.get(connection.userId) ?? new Set()
    set.add(connection)
    this.byUser.set(connection.userId, set)
    socket.on('close', () => {
      set.delete(connection)
      if (set.size === 0) this.byUser.delete(connection.userId)
    })
  }

  connectionCount(userId?: string): number {
    if (userId) return this.byUser.get(userId)?.size ?? 0
    let total = 0
    for (const set of this.byUser.values()) total += set.size
    return total
  }

  close(): void {
    for (const off of this.unsubscribe) off()
    for (const set of this.byUser.values()) for (const c of set) c.socket.close(1001, 'server shutting down')
    this.byUser.clear()
  }

  private deliver({ userId, roles, event }: BusMessage): void {
    if (userId !== null) {
      const connections = this.byUser.get(userId)
      if (!connections) return
      const payload = JSON.stringify(event)
      for (const connection of connections) connection.socket.send(payload)
      return
    }
    if (this.byUser.size === 0) return
    const payload = JSON.stringify(event)
    for (const set of this.byUser.values()) {
      for (const connection of set) {
        if (!roles || roles.includes(connection.role)) connection.socket.send(payload)
      }
    }
  }

  private control(event: ControlEvent): void {
    const matches = (c: Connection): boolean => {
      switch (event.type) {
        case 'session.revoked':
          return c.sessionId === event.sessionId
        case 'api-key.revoked':
          return c.apiKeyId === event.apiKeyId
        case 'user.disabled':
          return c.userId === event.userId
        case 'user.changed':
        case 'gateway-limits.changed':
          return false
      }
    }
    for (const set of this.byUser.values()) {
      for (const connection of set) {
        if (matches(connection)) {
          this.log.info({ userId: connection.userId, reason: event.type }, 'closing revoked socket')
          connection.socket.close(CLOSE_REVOKED, event.type)
        }
      }
    }
  }
}
