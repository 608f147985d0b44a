import { describe, expect, it } from 'vitest'
import { fakeHost, fakeModel } from '../testing/fixtures'
import { countByStatus, describeExpiry, filterModels, groupModels } from './catalog-view'

const a = { providerId: 'p-a', providerName: 'gpu-a' }
const b = { providerId: 'p-b', providerName: 'Basement box' }

describe('groupModels', () => {
  it('lists a model on several hosts once, in the group of exactly those hosts', () => {
    const shared = fakeModel({ id: 's', name: 'shared:1b', hosts: [fakeHost(a), fakeHost(b)] })
    const onlyA = fakeModel({ id: 'a', name: 'only-a:1b', hosts: [fakeHost(a)] })
    const onlyB = fakeModel({ id: 'b', name: 'only-b:1b', hosts: [fakeHost(b)] })
    const nowhere = fakeModel({ id: 'n', name: 'deleted:1b', hosts: [] })
    const groups = groupModels([nowhere, onlyA, shared, onlyB])
    expect(groups.map((g) => [g.label, g.models.map((m) => m.id)])).toEqual([
      ['Basement box', ['b']],
      ['Basement box + gpu-a', ['s']],
      ['gpu-a', ['a']],
      ['Not on any host', ['n']],
    ])
  })

  it('names a group the same whichever order the hosts come in', () => {
    const one = fakeModel({ id: '1', hosts: [fakeHost(a), fakeHost(b)] })
    const two = fakeModel({ id: '2', hosts: [fakeHost(b), fakeHost(a)] })
    expect(groupModels([one, two])).toHaveLength(1)
  })
})

describe('filterModels', () => {
  const models = [
    fakeModel({ id: '1', name: 'llama3.2:1b', status: 'loaded', hosts: [fakeHost(a)] }),
    fakeModel({
      id: '2',
      name: 'llava:7b',
      family: 'llama',
      capabilities: ['chat', 'vision'],
      hosts: [fakeHost(b)],
    }),
    fakeModel({
      id: '3',
      name: 'nomic-embed-text',
      family: 'nomic-bert',
      capabilities: ['embeddings'],
      hosts: [fakeHost(a)],
    }),
  ]

  it('matches every word against name, family, capabilities and host', () => {
    const ids = (search: string) => filterModels(models, { search, status: 'all' }).map((m) => m.id)
    expect(ids('')).toEqual(['1', '2', '3'])
    expect(ids('LLAMA')).toEqual(['1', '2'])
    expect(ids('llama vision')).toEqual(['2'])
    expect(ids('basement')).toEqual(['2'])
    expect(ids('embeddings')).toEqual(['3'])
    expect(ids('gpt')).toEqual([])
    expect(ids('3.2')).toEqual(['1'])
    // Host names match from a word's start: "llama" is not found inside "Local Ollama".
    expect(
      filterModels([fakeModel({ name: 'qwen3:4b', family: 'qwen3' })], { search: 'llama', status: 'all' }),
    ).toEqual([])
    expect(filterModels([fakeModel({ name: 'qwen3:4b' })], { search: 'oll', status: 'all' })).toHaveLength(1)
  })

  it('filters by status and counts statuses', () => {
    expect(filterModels(models, { search: '', status: 'loaded' }).map((m) => m.id)).toEqual(['1'])
    expect(countByStatus(models)).toEqual({ loaded: 1, available: 2 })
  })
})

describe('describeExpiry', () => {
  const now = Date.parse('2026-11-25T10:00:00.000Z')
  it('counts down to the unload', () => {
    expect(describeExpiry('2026-11-25T10:04:30.000Z', now)).toBe('expires in 4 min')
    expect(describeExpiry('2026-11-25T10:00:20.000Z', now)).toBe('expires in 20 s')
    expect(describeExpiry('2026-11-25T09:59:00.000Z', now)).toBe('expiring now')
  })

  it('reads Ollama\'s far-future date as "until stopped", and unknown as nothing', () => {
    expect(describeExpiry('2318-11-26T12:00:00.000Z', now)).toBe('until stopped')
    expect(describeExpiry(null, now)).toBeNull()
    expect(describeExpiry('not a date', now)).toBeNull()
  })
})
