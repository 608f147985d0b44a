import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { jsonResponse, renderWithApi } from '@/test/render'
import type { Provider } from '../types'
import { effectiveBaseUrl, needsKeyAgain, ProviderFormDialog } from './provider-form-dialog'

const openai: Provider = {
  id: 'p1',
  name: 'OpenAI',
  kind: 'openai',
  baseUrl: 'https://api.openai.com/v1',
  apiKey: { set: true, last4: 'abcd' },
  enabled: true,
  status: 'ok',
  lastError: null,
  latencyMs: 120,
  checkedAt: '2026-11-25T10:00:00.000Z',
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
}

describe('needsKeyAgain', () => {
  it('asks for the key only when a stored key would go to a different address', () => {
    expect(needsKeyAgain(openai, 'https://api.openai.com/v1/', false)).toBe(false)
    expect(needsKeyAgain(openai, '', false)).toBe(false) // empty means the default, the same URL
    expect(needsKeyAgain(openai, 'https://proxy.example/v1', false)).toBe(true)
    expect(needsKeyAgain(openai, 'https://proxy.example/v1', true)).toBe(false) // removing the key
    expect(
      needsKeyAgain({ ...openai, apiKey: { set: false, last4: null } }, 'https://x.example', false),
    ).toBe(false)
    expect(needsKeyAgain(undefined, 'https://x.example', false)).toBe(false)
  })

  it('treats an empty URL as the kind default', () => {
    expect(effectiveBaseUrl('anthropic', '  ')).toBe('https://api.anthropic.com')
    expect(effectiveBaseUrl('ollama', '')).toBe('')
  })
})

describe('ProviderFormDialog', () => {
  it('never prefills the key, and requires it again when the base URL changes', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => jsonResponse(200, openai))
    renderWithApi(<ProviderFormDialog open onOpenChange={vi.fn()} provider={openai} />, fetch)

    const key = screen.getByLabelText('API key')
    expect(key).toHaveValue('')
    expect(key).toHaveAccessibleDescription('Set · …abcd. Leave empty to keep it.')
    expect(screen.queryByTestId('key-required-notice')).toBeNull()

    const url = screen.getByLabelText('Base URL')
    await userEvent.clear(url)
    await userEvent.type(url, 'https://proxy.example/v1')
    expect(screen.getByTestId('key-required-notice')).toHaveTextContent('never sends a stored key')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(key).toHaveAccessibleDescription('Enter the API key again for the new URL')
    expect(fetch).not.toHaveBeenCalled()

    await userEvent.type(key, 'sk-new-key-9876')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled())
    const [path, init] = fetch.mock.calls[0] ?? []
    expect(path).toBe('/api/v1/providers/p1')
    expect(init?.method).toBe('PATCH')
    expect(JSON.parse(String(init?.body))).toEqual({
      baseUrl: 'https://proxy.example/v1',
      apiKey: 'sk-new-key-9876',
    })
  })

  it('shows the server refusing a URL change without the key next to the key field', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      jsonResponse(
        400,
        {
          type: 'about:blank',
          title: 'Bad Request',
          status: 400,
          detail: 'Changing the base URL requires entering the API key again',
          errors: [{ field: 'apiKey', message: 'is required when baseUrl changes' }],
        },
        'application/problem+json',
      ),
    )
    renderWithApi(
      <ProviderFormDialog open onOpenChange={vi.fn()} provider={{ ...openai, name: 'Old' }} />,
      fetch,
    )
    await userEvent.clear(screen.getByLabelText('Name'))
    await userEvent.type(screen.getByLabelText('Name'), 'New name')
    await userEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect(await screen.findByText('API key is required when baseUrl changes')).toBeVisible()
    expect(screen.getByTestId('form-error')).toHaveTextContent('requires entering the API key again')
  })

  it('adds a provider with the kind default URL left empty', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => jsonResponse(201, openai))
    const onOpenChange = vi.fn()
    renderWithApi(<ProviderFormDialog open onOpenChange={onOpenChange} />, fetch)
    await userEvent.selectOptions(screen.getByLabelText('Kind'), 'Anthropic')
    expect(screen.getByLabelText('Base URL')).toHaveAttribute('placeholder', 'https://api.anthropic.com')
    await userEvent.type(screen.getByLabelText('Name'), 'Claude')
    await userEvent.type(screen.getByLabelText('API key'), 'sk-ant-1234')
    await userEvent.click(screen.getByRole('button', { name: 'Add provider' }))
    await vi.waitFor(() => expect(onOpenChange).toHaveBeenCalledWith(false))
    expect(JSON.parse(String(fetch.mock.calls[0]?.[1]?.body))).toEqual({
      name: 'Claude',
      kind: 'anthropic',
      baseUrl: '',
      apiKey: 'sk-ant-1234',
      enabled: true,
    })
  })
})
