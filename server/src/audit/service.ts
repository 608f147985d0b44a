// The audit trail: append-only events, each holding the hash of the one before it, so that an
// edited, inserted or deleted row breaks the chain and `verify` finds where. Hashes are HMACs
// under a key derived from the server secret, so someone with only database access cannot
// rewrite the chain; the head (last seq and hash) is kept in settings to catch a cut-off tail.
import { createHmac } from 'node:crypto'
import { sql } from 'kysely'
import type { Db, Dialect } from '../db/index.js'
import type { AuditEvent } from '../db/schema.js'
import { newId, nowIso } from '../lib/ids.js'
import { Mutex } from '../lib/mutex.js'

export interface AuditInput {
  action: string
  actorId?: string | null
  actorIp?: string | null
  targetType?: string | null
  targetId?: string | null
  outcome?: 'success' | 'failure'
  details?: Record<string, unknown>
}

export interface AuditFilter {
  action?: string
  actorId?: string
  targetId?: string
  outcome?: 'success' | 'failure'
  before?: number
  limit: number
}

export interface VerifyResult {
  ok: boolean
  checked: number
  firstBrokenSeq?: number
  reason?: string
}

const GENESIS = '0'.repeat(64)
const PG_LOCK_KEY = 727_001
const HEAD_KEY = 'audit.head'

function hashEvent(key: Buffer, e: Omit<AuditEvent, 'hash'>): string {
  const canonical = JSON.stringify([
    e.seq,
    e.id,
    e.at,
    e.actor_id,
    e.actor_ip,
    e.action,
    e.target_type,
    e.target_id,
    e.outcome,
    e.details,
    e.prev_hash,
  ])
  return createHmac('sha256', key).update(canonical).digest('hex')
}

export class AuditService {
  private readonly mutex = new Mutex()

  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
    private readonly key: Buffer,
  ) {}

  /** Appends one event. Serialized in-process, and across processes by a PostgreSQL lock. */
  record(input: AuditInput): Promise<void> {
    return this.mutex.run(() =>
      this.db.transaction().execute(async (trx) => {
        if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx)
        const last = await trx
          .selectFrom('audit_events')
          .select(['seq', 'hash'])
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst()
        const row: Omit<AuditEvent, 'hash'> = {
          seq: (last?.seq ?? 0) + 1,
          id: newId(),
          at: nowIso(),
          actor_id: input.actorId ?? null,
          actor_ip: input.actorIp ?? null,
          action: input.action,
          target_type: input.targetType ?? null,
          target_id: input.targetId ?? null,
          outcome: input.outcome ?? 'success',
          details: JSON.stringify(input.details ?? {}),
          prev_hash: last?.hash ?? GENESIS,
        }
        const hash = hashEvent(this.key, row)
        await trx
          .insertInto('audit_events')
          .values({ ...row, hash })
          .execute()
        const head = { key: HEAD_KEY, value: JSON.stringify({ seq: row.seq, hash }), updated_at: row.at }
        await trx
          .insertInto('settings')
          .values(head)
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ value: head.value, updated_at: head.updated_at }),
          )
          .execute()
      }),
    )
  }

  async list(filter: AuditFilter): Promise<{ items: AuditEvent[]; nextBefore: number | null }> {
    let query = this.db.selectFrom('audit_events').selectAll()
    if (filter.action) query = query.where('action', '=', filter.action)
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId)
    if (filter.targetId) query = query.where('target_id', '=', filter.targetId)
    if (filter.outcome) query = query.where('outcome', '=', filter.outcome)
    if (filter.before !== undefined) query = query.where('seq', '<', filter.before)
    const rows = await query
      .orderBy('seq', 'desc')
      .limit(filter.limit + 1)
      .execute()
    const items = rows.slice(0, filter.limit)
    const nextBefore = rows.length > filter.limit ? (items.at(-1)?.seq ?? null) : null
    return { items, nextBefore }
  }

  /** Walks the whole chain in seq order, in pages, recomputing every hash. */
  async verify(): Promise<VerifyResult> {
    let expectedSeq = 1
    let prevHash = GENESIS
    let checked = 0
    const pageSize = 1000
    for (;;) {
      const page = await this.db
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .orderBy('seq', 'asc')
        .limit(pageSize)
        .execute()
      for (const event of page) {
        if (event.seq !== expectedSeq) {
          return {
            ok: false,
            checked,
            firstBrokenSeq: expectedSeq,
            reason: `event ${expectedSeq} is missing`,
          }
        }
        if (event.prev_hash !== prevHash) {
          return {
            ok: false,
            checked,
            firstBrokenSeq: event.seq,
            reason: 'link to the previous event is broken',
          }
        }
        if (hashEvent(this.key, event) !== event.hash) {
          return {
            ok: false,
            checked,
            firstBrokenSeq: event.seq,
            reason: 'event content does not match its hash',
          }
        }
        prevHash = event.hash
        expectedSeq += 1
        checked += 1
      }
      if (page.length < pageSize) return this.checkHead(checked, prevHash)
    }
  }

  private async checkHead(checked: number, lastHash: string): Promise<VerifyResult> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', HEAD_KEY)
      .executeTakeFirst()
    const head = row ? (JSON.parse(row.value) as { seq: number; hash: string }) : { seq: 0, hash: GENESIS }
    if (head.seq !== checked || head.hash !== lastHash) {
      return {
        ok: false,
        checked,
        firstBrokenSeq: checked + 1,
        reason: `the chain ends at ${checked}, its head says ${head.seq}`,
      }
    }
    return { ok: true, checked }
  }
}
