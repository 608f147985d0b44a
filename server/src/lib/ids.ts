// Sortable string ids (ULID): time-ordered, unique, safe in URLs.
import { randomFillSync } from 'node:crypto'
import { monotonicFactory } from 'ulid'

// ulid's default generator asks the OS for one random byte per character (16 system calls per
// id); drawing the same bytes from a pooled buffer makes ids cheap on hot paths (usage rows).
const pool = new Uint8Array(4096)
let offset = pool.length
function pooledRandom(): number {
  if (offset >= pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  return (pool[offset++] as number) / 256
}

const next = monotonicFactory(pooledRandom)

export function newId(): string {
  return next()
}

export function nowIso(): string {
  return new Date().toISOString()
}
