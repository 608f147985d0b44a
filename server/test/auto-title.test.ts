// The title a model answers is cleaned to one short line that any database can store.
import { describe, expect, it } from 'vitest'
import { cleanTitle } from '../src/chat/auto-title.js'

describe('cleanTitle', () => {
  it('keeps the first line, without a label, quotes, end punctuation or NUL characters', () => {
    expect(cleanTitle('\nTitle: "Owls\u0000 at night."\nSecond line')).toBe('Owls at night')
    expect(cleanTitle('<think>hmm</think>**Sea birds**')).toBe('Sea birds')
    expect(cleanTitle('\u0000\u0000')).toBeNull()
  })
})
