// Sortable string ids (ULID): time-ordered, unique, safe in URLs.
import { monotonicFactory } from 'ulid'

const next = monotonicFactory()

export function newId(): string {
  return next()
}

export function nowIso(): string {
  return new Date().toISOString()
}
