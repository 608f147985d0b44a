// Saves the text of replies while they stream: every reply whose text changed is written within
// FLUSH_INTERVAL_MS, all of them together in short transactions, instead of one timer and one
// autocommit per reply (hundreds of concurrent replies made those commits the server's main cost).
import type { FastifyBaseLogger } from 'fastify'
import type { Db } from '../db/index.js'
import { saveText } from './generation-store.js'

export const FLUSH_INTERVAL_MS = 500
/** Replies written per transaction; the event loop gets a turn between transactions. */
const CHUNK = 50

/** Something whose text is read when it is written (so the newest text is saved). */
export interface ReplyText {
  readonly text: string
}

export class ReplyTextFlusher {
  private readonly dirty = new Map<string, ReplyText>()
  private timer: NodeJS.Timeout | null = null
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** The reply's text changed: it is saved at the next flush, at most FLUSH_INTERVAL_MS away. */
  changed(messageId: string, reply: ReplyText): void {
    this.dirty.set(messageId, reply)
    this.timer ??= setTimeout(() => this.flush(), FLUSH_INTERVAL_MS)
  }

  /** Drops the reply's pending save (its final write follows) and waits for a write in flight. */
  async settle(messageId: string): Promise<void> {
    this.dirty.delete(messageId)
    await this.writing
  }

  /** Writes what is pending now (at shutdown), and what was in flight. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.flush()
    await this.writing
  }

  private flush(): void {
    this.timer = null
    if (this.dirty.size === 0) return
    const batch = [...this.dirty]
    this.dirty.clear()
    this.writing = this.writing.then(() => this.write(batch))
  }

  private async write(batch: Array<[string, ReplyText]>): Promise<void> {
    for (let i = 0; i < batch.length; i += CHUNK) {
      const chunk = batch.slice(i, i + CHUNK)
      try {
        await this.db.transaction().execute(async (trx) => {
          for (const [messageId, reply] of chunk) await saveText(trx, messageId, reply.text)
        })
      } catch (error) {
        this.log.error({ err: error, replies: chunk.length }, 'saving reply text failed')
      }
      if (i + CHUNK < batch.length) await new Promise((resolve) => setImmediate(resolve))
    }
  }
}
