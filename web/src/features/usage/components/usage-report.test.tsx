import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { jsonResponse, renderWithApi } from '@/test/render'
import type { UsageReport as Report } from '../api/usage'
import { UsageReport } from './usage-report'

const totals = (requests: number, cost: number, errors = 0) => ({
  requests,
  errors,
  inputTokens: requests * 100,
  outputTokens: requests * 50,
  cost,
})

const day: Report = {
  window: '24h',
  since: '2026-11-25T10:00:00.000Z',
  totals: totals(12, 0.042, 1),
  byModel: [
    { modelId: 'm1', model: 'llama3.2:1b', ...totals(9, 0) },
    { modelId: 'm2', model: 'gpt-4o-mini', ...totals(3, 0.042, 1) },
  ],
  byKey: [
    { apiKeyId: null, name: null, ...totals(4, 0.01) },
    { apiKeyId: 'k1', name: 'laptop', ...totals(8, 0.032, 1) },
  ],
}
const month: Report = { ...day, window: '30d', totals: totals(0, 0), byModel: [], byKey: [] }

describe('UsageReport', () => {
  it('shows totals, then usage per model and per key, for the window chosen', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async (input) => {
      const url = new URL(String(input), 'http://localhost')
      if (url.pathname !== '/api/v1/me/usage') return jsonResponse(404, { title: 'Not Found', status: 404 })
      return jsonResponse(200, url.searchParams.get('window') === '30d' ? month : day)
    })
    renderWithApi(<UsageReport />, fetch)

    const figures = await screen.findByTestId('usage-totals')
    expect(figures).toHaveTextContent('Requests12')
    expect(figures).toHaveTextContent('Tokens in1.2K')
    expect(figures).toHaveTextContent('Cost$0.042')
    const models = screen.getByRole('table', { name: 'Model' })
    expect(
      within(models)
        .getAllByRole('row')
        .map((row) => row.textContent),
    ).toEqual([
      'ModelRequestsTokens inTokens outCost',
      'llama3.2:1b9900450$0',
      'gpt-4o-mini3 (1 failed)300150$0.042',
    ])
    const keys = screen.getByRole('table', { name: 'Used with' })
    expect(keys).toHaveTextContent('Signed in (chat)')
    expect(keys).toHaveTextContent('API key: laptop')

    await userEvent.click(screen.getByRole('button', { name: '30d' }))
    expect(await screen.findByText('No calls in the last 30 days.')).toBeInTheDocument()
    expect(screen.queryByRole('table')).toBeNull()
    expect(fetch.mock.calls.map(([input]) => new URL(String(input), 'http://localhost').search)).toEqual([
      '?window=24h',
      '?window=30d',
    ])
  })
})
