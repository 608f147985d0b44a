import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { GatewayLimits } from '@/components/limits-form'
import { jsonResponse, renderWithApi } from '@/test/render'
import type { ApiKey } from '../api/api-keys'
import { KeyLimitsDialog } from './key-limits-dialog'

const key: ApiKey = {
  id: 'k1',
  name: 'laptop',
  prefix: 'wp_abcd',
  last4: 'wxyz',
  scopes: ['gateway'],
  createdAt: '2026-11-20T10:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
}
const none: GatewayLimits = {
  requestsPerMinute: null,
  tokensPerMinute: null,
  tokensPerDay: null,
  tokensPerMonth: null,
  budgetPerDay: null,
  budgetPerMonth: null,
  allowedModels: null,
}

describe('KeyLimitsDialog', () => {
  it("shows the key's limits beside the account's, refuses bad input, and saves what the server accepts", async () => {
    const onOpenChange = vi.fn()
    const patches: unknown[] = []
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input)
      if (url !== '/api/v1/api-keys/k1/limits') return jsonResponse(404, { title: 'Not Found', status: 404 })
      if (init?.method !== 'PATCH') {
        return jsonResponse(200, {
          limits: { ...none, requestsPerMinute: 60 },
          userLimits: { ...none, tokensPerDay: 100_000 },
        })
      }
      const body = JSON.parse(String(init.body)) as GatewayLimits
      patches.push(body)
      if ((body.tokensPerDay ?? 0) > 100_000) {
        return jsonResponse(
          400,
          {
            title: 'Bad Request',
            status: 400,
            detail: 'tokensPerDay cannot exceed your own limit of 100000',
            errors: [{ field: 'tokensPerDay', message: "exceeds your account's limit of 100000" }],
          },
          'application/problem+json',
        )
      }
      return jsonResponse(200, { limits: body, userLimits: { ...none, tokensPerDay: 100_000 } })
    })
    renderWithApi(<KeyLimitsDialog apiKey={key} onOpenChange={onOpenChange} />, fetch)

    const perMinute = await screen.findByLabelText('Requests per minute')
    expect(perMinute).toHaveValue('60')
    expect(screen.getByText('Your account: 100,000.')).toBeInTheDocument()

    const perDay = screen.getByLabelText('Tokens per day')
    await userEvent.type(perDay, 'lots')
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }))
    expect(
      await screen.findByText('Tokens per day is a whole number, or empty for no limit'),
    ).toBeInTheDocument()
    expect(patches).toHaveLength(0)

    await userEvent.clear(perDay)
    await userEvent.type(perDay, '500000')
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }))
    expect(
      await screen.findByText("Tokens per day exceeds your account's limit of 100000"),
    ).toBeInTheDocument()
    expect(onOpenChange).not.toHaveBeenCalled()

    await userEvent.clear(perDay)
    await userEvent.type(perDay, '50000')
    await userEvent.clear(perMinute)
    await userEvent.type(screen.getByLabelText('Spend per month'), '12.5')
    await userEvent.type(screen.getByLabelText('Allowed models'), 'llama3.2:1b, gpt-4o-mini llama3.2:1b')
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }))
    await vi.waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false))
    expect(patches.at(-1)).toEqual({
      ...none,
      tokensPerDay: 50_000,
      budgetPerMonth: 12.5,
      allowedModels: ['llama3.2:1b', 'gpt-4o-mini'],
    })
  })
})
