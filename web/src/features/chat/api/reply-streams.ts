// The replies being written right now, one follower per generation, shared by every component
// that shows one. Components read a reply with useSyncExternalStore; updates are batched to one
// per animation frame, so a fast stream re-renders its Markdown at most once a frame.
import type { ApiClient } from '@/lib/api-client'
import { errorMessage } from '@/lib/form'
import { followGeneration, initialStream, type ReplyStream } from './generation-stream'

export interface FollowedReply extends ReplyStream {
  /** Why following stopped before the reply finished (the connection could not be restored). */
  lostConnection: string | null
}

interface Entry {
  generationId: string
  conversationId: string
  reply: FollowedReply
  controller: AbortController | null
}

export interface ReplyStreamsOptions {
  api: ApiClient
  /** Called once a reply is final (or following it failed), to refresh what shows it. */
  onSettled: (conversationId: string, generationId: string) => void
  schedule?: (callback: () => void) => void
}

function nextFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function' && document.visibilityState === 'visible') {
    requestAnimationFrame(callback)
  } else {
    setTimeout(callback, 50)
  }
}

export class ReplyStreams {
  private readonly entries = new Map<string, Entry>()
  private readonly listeners = new Map<string, Set<() => void>>()
  private readonly dirty = new Set<Entry>()
  private flushQueued = false
  private readonly schedule: (callback: () => void) => void

  constructor(private readonly options: ReplyStreamsOptions) {
    this.schedule = options.schedule ?? nextFrame
  }

  /** Starts following a generation unless it is already followed (or finished). */
  follow(generationId: string, conversationId: string, from: { text: string; seq: number | null }): void {
    const existing = this.entries.get(generationId)
    if (existing && (existing.controller || existing.reply.finished)) return
    const entry: Entry = existing ?? {
      generationId,
      conversationId,
      reply: { ...initialStream(from.text, from.seq), lostConnection: null },
      controller: null,
    }
    if (existing) entry.reply = { ...entry.reply, lostConnection: null }
    this.entries.set(generationId, entry)
    this.markDirty(entry)
    const controller = new AbortController()
    entry.controller = controller
    followGeneration({
      api: this.options.api,
      generationId,
      initial: entry.reply,
      signal: controller.signal,
      onChange: (reply) => {
        entry.reply = { ...reply, lostConnection: null }
        this.markDirty(entry)
      },
    })
      .then((reply) => {
        if (controller.signal.aborted) return
        entry.reply = { ...reply, lostConnection: null }
        entry.controller = null
        this.markDirty(entry)
        this.options.onSettled(entry.conversationId, generationId)
      })
      .catch((error: unknown) => {
        entry.controller = null
        if (controller.signal.aborted) return
        entry.reply = { ...entry.reply, lostConnection: errorMessage(error) }
        this.markDirty(entry)
        this.options.onSettled(entry.conversationId, generationId)
      })
  }

  get = (generationId: string): FollowedReply | undefined => this.entries.get(generationId)?.reply

  subscribe = (generationId: string, listener: () => void): (() => void) => {
    const listeners = this.listeners.get(generationId) ?? new Set()
    listeners.add(listener)
    this.listeners.set(generationId, listeners)
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0) this.listeners.delete(generationId)
    }
  }

  /** Whether this tab already follows the generation (so a pushed event about it adds nothing). */
  has(generationId: string): boolean {
    return this.entries.has(generationId)
  }

  /** Stops following everything (the chat page closed); replies go on on the server. */
  close(): void {
    for (const entry of this.entries.values()) entry.controller?.abort()
    this.entries.clear()
  }

  private markDirty(entry: Entry): void {
    this.dirty.add(entry)
    if (this.flushQueued) return
    this.flushQueued = true
    this.schedule(() => {
      this.flushQueued = false
      const entries = [...this.dirty]
      this.dirty.clear()
      for (const dirty of entries) {
        for (const listener of this.listeners.get(dirty.generationId) ?? []) listener()
      }
    })
  }
}
