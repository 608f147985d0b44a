import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { modelsKey } from '@/lib/query-keys'
import { fakeHost, fakeModel, fakePull } from '../testing/fixtures'
import type { Model, Pull } from '../types'
import {
  applyModelEvent,
  applyModelHidden,
  applyModelSnapshot,
  applyPullEvent,
  isVisibleTo,
  mergePulls,
  modelEventLog,
  pullsKey,
  upsertModel,
  upsertPull,
  withNewerEvents,
} from './model-cache'

const llama = fakeModel({ id: 'm1', name: 'llama3.2:1b' })
const llava = fakeModel({ id: 'm2', name: 'llava:7b' })
const nomic = fakeModel({ id: 'm3', name: 'nomic-embed-text:latest' })
const loaded = (model: Model): Model => ({
  ...model,
  status: 'loaded',
  hosts: [fakeHost({ status: 'loaded', vramBytes: 1_200_000_000 })],
})
const loading = (model: Model): Model => ({
  ...model,
  status: 'loading',
  hosts: [fakeHost({ status: 'loading' })],
})

describe('upsertModel', () => {
  it('replaces a model in place and leaves the input untouched', () => {
    const list = [llama, llava]
    const next = upsertModel(list, loaded(llava), 'admin')
    expect(next.map((m) => m.status)).toEqual(['available', 'loaded'])
    expect(list[1]?.status).toBe('available')
    expect(next[0]).toBe(llama)
  })

  it('adds a new model in name order', () => {
    expect(upsertModel([llama, nomic], llava, 'admin').map((m) => m.name)).toEqual([
      'llama3.2:1b',
      'llava:7b',
      'nomic-embed-text:latest',
    ])
    expect(upsertModel([llama], nomic, 'admin').map((m) => m.id)).toEqual(['m1', 'm3'])
    expect(upsertModel([llava], llama, 'admin').map((m) => m.id)).toEqual(['m1', 'm2'])
  })

  it('drops a model the role may no longer use, and never adds one it may not', () => {
    const disabled = { ...llava, enabled: false, status: 'disabled' as const }
    expect(upsertModel([llama, llava], disabled, 'user').map((m) => m.id)).toEqual(['m1'])
    expect(upsertModel([llama, llava], disabled, 'admin').map((m) => m.status)).toEqual([
      'available',
      'disabled',
    ])
    const adminsOnly = { ...nomic, allowedRoles: ['admin' as const] }
    expect(upsertModel([llama], adminsOnly, 'developer')).toEqual([llama])
  })
})

describe('isVisibleTo', () => {
  it('mirrors what GET /models lists per role', () => {
    expect(isVisibleTo({ ...llama, hosts: [] }, 'admin')).toBe(true)
    expect(isVisibleTo({ ...llama, hosts: [] }, 'user')).toBe(false)
    expect(isVisibleTo({ ...llama, allowedRoles: ['developer'] }, 'user')).toBe(false)
    expect(isVisibleTo({ ...llama, allowedRoles: ['developer'] }, 'developer')).toBe(true)
  })
})

describe('live events against HTTP answers', () => {
  it('writes a pushed status into the cached list', () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData(modelsKey, [llama, llava])
    applyModelEvent(queryClient, loaded(llama), 'admin')
    expect(queryClient.getQueryData<Model[]>(modelsKey)?.map((m) => m.status)).toEqual([
      'loaded',
      'available',
    ])
  })

  it('keeps the pushed "loaded" when the start request answers "loading" after it', () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData(modelsKey, [llama])
    const mark = modelEventLog(queryClient).mark() // the start request leaves
    applyModelEvent(queryClient, loading(llama), 'admin')
    applyModelEvent(queryClient, loaded(llama), 'admin') // the load settled first
    applyModelSnapshot(queryClient, loading(llama), mark, 'admin') // then the 202 arrives
    expect(queryClient.getQueryData<Model[]>(modelsKey)?.[0]?.status).toBe('loaded')
  })

  it('applies an HTTP answer when no event came after its request left', () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData(modelsKey, [llama])
    applyModelEvent(queryClient, loaded(llama), 'admin')
    const mark = modelEventLog(queryClient).mark()
    applyModelSnapshot(queryClient, { ...llama, displayName: 'Llama small' }, mark, 'admin')
    expect(queryClient.getQueryData<Model[]>(modelsKey)?.[0]?.displayName).toBe('Llama small')
  })

  it('corrects a fetched list with the events that arrived while it was on its way', () => {
    const queryClient = new QueryClient()
    const log = modelEventLog(queryClient)
    applyModelEvent(queryClient, loaded(llava), 'admin') // before the request: the list knows it
    const mark = log.mark()
    applyModelEvent(queryClient, loaded(llama), 'admin') // during the request
    applyModelEvent(queryClient, nomic, 'admin') // a model that appeared during the request
    const snapshot = [llama, { ...llava, displayName: 'fresher from the list' }]
    const list = withNewerEvents(snapshot, log, mark, 'admin')
    expect(list.map((m) => [m.name, m.status])).toEqual([
      ['llama3.2:1b', 'loaded'],
      ['llava:7b', 'available'],
      ['nomic-embed-text:latest', 'available'],
    ])
    expect(list[1]?.displayName).toBe('fresher from the list')
  })

  it('drops a model the server says the caller may no longer use', () => {
    const queryClient = new QueryClient()
    queryClient.setQueryData(modelsKey, [llama, llava])
    applyModelHidden(queryClient, llava.id)
    expect(queryClient.getQueryData<Model[]>(modelsKey)?.map((m) => m.id)).toEqual([llama.id])
    const before = queryClient.getQueryData<Model[]>(modelsKey)
    applyModelHidden(queryClient, 'not-listed')
    expect(queryClient.getQueryData<Model[]>(modelsKey)).toBe(before)
  })

  it('does not create a list that was never fetched', () => {
    const queryClient = new QueryClient()
    applyModelEvent(queryClient, llama, 'admin')
    expect(queryClient.getQueryData(modelsKey)).toBeUndefined()
  })

  it('keeps one log per query cache', () => {
    const a = new QueryClient()
    const b = new QueryClient()
    applyModelEvent(a, llama, 'admin')
    expect(modelEventLog(a).mark()).toBe(1)
    expect(modelEventLog(b).mark()).toBe(0)
  })
})

describe('pulls', () => {
  const running = fakePull({
    id: '01B',
    completedBytes: 100,
    percent: 10,
    updatedAt: '2026-11-25T10:00:01.000Z',
  })
  const later = { ...running, completedBytes: 500, percent: 50, updatedAt: '2026-11-25T10:00:03.000Z' }
  const done: Pull = { ...running, status: 'succeeded', percent: 100, updatedAt: '2026-11-25T10:00:04.000Z' }

  it('adds a new pull newest first and merges progress by id', () => {
    const older = fakePull({ id: '01A', status: 'failed' })
    const list = upsertPull([older], running)
    expect(list.map((p) => p.id)).toEqual(['01B', '01A'])
    expect(upsertPull(list, later)[0]?.percent).toBe(50)
  })

  it('never lets an older report overwrite a newer one or a finished pull', () => {
    expect(upsertPull([later], running)[0]?.percent).toBe(50)
    expect(upsertPull([done], later)[0]?.status).toBe('succeeded')
    expect(upsertPull([later], done)[0]?.status).toBe('succeeded')
  })

  it('keeps live progress when a list fetched earlier arrives', () => {
    expect(mergePulls([running], [later])[0]?.percent).toBe(50)
    expect(mergePulls([done], [later])[0]?.status).toBe('succeeded')
    // A cached pull the server no longer lists (older than the 50 most recent) is dropped.
    expect(mergePulls([running], [fakePull({ id: '00Z' })]).map((p) => p.id)).toEqual(['01B'])
  })

  it('applies pushed progress to the cache', () => {
    const queryClient = new QueryClient()
    applyPullEvent(queryClient, running)
    expect(queryClient.getQueryData(pullsKey)).toBeUndefined()
    queryClient.setQueryData(pullsKey, [running])
    applyPullEvent(queryClient, done)
    expect(queryClient.getQueryData<Pull[]>(pullsKey)?.[0]?.status).toBe('succeeded')
  })
})
