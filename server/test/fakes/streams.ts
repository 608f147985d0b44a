// Helpers for tests that consume adapter streams.

import type { ChatEvent } from '../../src/providers/types.js'

export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of stream) items.push(item)
  return items
}

/** Consumes a chat stream, aborting `controller` as soon as the first delta arrives. */
export async function abortAfterFirstDelta(
  chat: (signal: AbortSignal) => AsyncIterable<ChatEvent>,
): Promise<ChatEvent[]> {
  const controller = new AbortController()
  const events: ChatEvent[] = []
  for await (const event of chat(controller.signal)) {
    events.push(event)
    if (event.type === 'delta') controller.abort()
  }
  return events
}

export function textOf(events: ChatEvent[]): string {
  return events.map((event) => (event.type === 'delta' ? event.text : '')).join('')
}

/** Rejects with what the iteration threw; fails the test if it did not throw. */
export async function failureOf(stream: AsyncIterable<unknown>): Promise<unknown> {
  try {
    await collect(stream)
  } catch (err) {
    return err
  }
  throw new Error('expected the stream to fail, but it finished')
}
