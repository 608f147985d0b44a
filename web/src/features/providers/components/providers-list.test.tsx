import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { jsonResponse, renderWithApi } from '@/test/render'
import { rowNamed } from '@/test/rows'
import type { Provider } from '../types'
import { ProvidersList } from './providers-list'

const base = {
  apiKey: { set: false, last4: null },
  enabled: true,
  status: 'ok',
  lastError: null,
  latencyMs: 4,
  checkedAt: '2026-11-25T10:00:00.000Z',
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
} as const
const embedded: Provider = {
  ...base,
  id: 'p-embedded',
  name: 'Embedded engine',
  kind: 'embedded',
  baseUrl: 'file:///data/models',
}
const ollama: Provider = {
  ...base,
  id: 'p-ollama',
  name: 'Local Ollama',
  kind: 'ollama',
  baseUrl: 'http://gpu:11434',
}

const row = (name: string) => rowNamed('provider-row', 'data-provider-name', name)

describe('ProvidersList', () => {
  it('lets an admin turn the embedded engine off, but not edit or delete it', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input)
      if (init?.method === 'PATCH') return jsonResponse(200, { ...embedded, enabled: false })
      if (url.endsWith('/api/v1/providers')) return jsonResponse(200, { items: [embedded, ollama] })
      return jsonResponse(404, { title: 'Not Found', status: 404 }, 'application/problem+json')
    })
    renderWithApi(<ProvidersList />, fetch)

    await screen.findAllByTestId('provider-row')
    const engine = row('Embedded engine')
    const toggle = within(engine).getByRole('switch', { name: 'Enable Embedded engine' })
    expect(toggle).toBeEnabled()
    expect(within(engine).queryByRole('button', { name: 'Edit Embedded engine' })).toBeNull()
    expect(within(engine).queryByRole('button', { name: 'Delete Embedded engine' })).toBeNull()
    expect(within(row('Local Ollama')).getByRole('button', { name: 'Edit Local Ollama' })).toBeInTheDocument()

    await userEvent.click(toggle)
    const patch = fetch.mock.calls.find(([, init]) => init?.method === 'PATCH')
    expect(String(patch?.[0])).toMatch(/\/api\/v1\/providers\/p-embedded$/)
    expect(JSON.parse(String(patch?.[1]?.body))).toEqual({ enabled: false })
  })
})
