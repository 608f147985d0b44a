import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import type { GatewayLimits } from '@/components/limits-form'
import { jsonResponse, renderWithApi } from '@/test/render'
import type { User } from '@/types/api'
import { UserLimitsDialog } from './user-limits-dialog'

const user: User = {
  id: 'u1',
  email: 'grace@example.com',
  name: 'Grace',
  role: 'developer',
  createdAt: '2026-11-20T10:00:00.000Z',
  disabled: false,
}
const stored: GatewayLimits = {
  requestsPerMinute: null,
  tokensPerMinute: null,
  tokensPerDay: 1_000_000,
  tokensPerMonth: null,
  budgetPerDay: null,
  budgetPerMonth: null,
  allowedModels: ['llama3.2:1b'],
}

describe('UserLimitsDialog', () => {
  it("sets an account's limits with PUT, every field sent, empty ones as no limit", async () => {
    const puts: unknown[] = []
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      if (String(input) !== '/api/v1/admin/users/u1/limits') return jsonResponse(404, { status: 404 })
      if (init?.method === 'PUT') {
        puts.push(JSON.parse(String(init.body)))
        return jsonResponse(200, JSON.parse(String(init.body)))
      }
      return jsonResponse(200, stored)
    })
    const onClose = vi.fn()
    renderWithApi(<UserLimitsDialog user={user} onClose={onClose} />, fetch)

    expect(await screen.findByLabelText('Tokens per day')).toHaveValue('1000000')
    expect(screen.getByLabelText('Allowed models')).toHaveValue('llama3.2:1b')
    expect(screen.queryByText(/Your account/)).toBeNull()
    await userEvent.type(screen.getByLabelText('Requests per minute'), '30')
    await userEvent.clear(screen.getByLabelText('Allowed models'))
    await userEvent.click(screen.getByRole('button', { name: 'Save limits' }))
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled())
    expect(puts).toEqual([{ ...stored, requestsPerMinute: 30, allowedModels: null }])
  })
})
