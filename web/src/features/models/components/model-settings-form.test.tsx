import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'
import { ApiClientProvider } from '@/lib/api-context'
import { jsonResponse } from '@/test/render'
import { fakeHost, fakeModel } from '../testing/fixtures'
import { ModelSettingsForm } from './model-settings-form'

const admin = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'admin',
  createdAt: '2026-01-01T00:00:00.000Z',
  disabled: false,
}
const primary = fakeModel({ id: 'm1', name: 'gpt-4o-mini', kind: 'openai-compatible' })
const local = fakeModel({ id: 'm2', name: 'llama3.2:1b', hosts: [fakeHost({ providerName: 'GPU box' })] })

describe('ModelSettingsForm', () => {
  it('sets and clears the fallback model, offering every other model', async () => {
    const patches: unknown[] = []
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input)
      if (url === '/api/v1/auth/login')
        return jsonResponse(200, { accessToken: 't', tokenType: 'Bearer', expiresIn: 900, user: admin })
      if (url === '/api/v1/models') return jsonResponse(200, { items: [primary, local] })
      if (url === '/api/v1/models/m1' && init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body)) as { fallbackModelId: string | null }
        patches.push(body)
        return jsonResponse(200, { ...primary, fallbackModelId: body.fallbackModelId })
      }
      return jsonResponse(404, { title: 'Not Found', status: 404 }, 'application/problem+json')
    })
    const api = new ApiClient({ fetch })
    await api.login({ email: admin.email, password: 'a long passphrase' })
    render(
      <ApiClientProvider client={api}>
        <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
          <ModelSettingsForm model={primary} />
        </QueryClientProvider>
      </ApiClientProvider>,
    )

    const select = screen.getByLabelText('Fallback model')
    expect(select).toHaveValue('')
    expect(await screen.findByRole('option', { name: 'llama3.2:1b (GPU box)' })).toBeInTheDocument()
    expect(screen.queryByRole('option', { name: /gpt-4o-mini/ })).toBeNull()
    await userEvent.selectOptions(select, 'llama3.2:1b (GPU box)')
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument()
    await userEvent.selectOptions(select, 'None')
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }))
    await vi.waitFor(() => expect(patches).toHaveLength(2))
    expect(patches.map((body) => (body as { fallbackModelId: unknown }).fallbackModelId)).toEqual([
      'm2',
      null,
    ])
  })
})
