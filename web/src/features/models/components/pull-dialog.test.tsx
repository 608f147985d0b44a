import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { useState } from 'react'
import { describe, expect, it, vi } from 'vitest'
import { jsonResponse, renderWithApi } from '@/test/render'
import { fakePull } from '../testing/fixtures'
import { PullDialog } from './pull-dialog'

function Harness() {
  const [open, setOpen] = useState(false)
  return (
    <PullDialog
      hosts={[
        { id: 'p-local', name: 'Local Ollama', kind: 'ollama' },
        { id: 'p-gpu', name: 'GPU box', kind: 'ollama' },
        { id: 'p-embedded', name: 'Embedded engine', kind: 'embedded' },
      ]}
      open={open}
      onOpenChange={setOpen}
    />
  )
}

describe('PullDialog', () => {
  it('starts a pull on the chosen host and shows its progress', async () => {
    const pull = fakePull({ providerId: 'p-gpu', model: 'tinyllama' })
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input)
      if (url === '/api/v1/pulls') return jsonResponse(200, { items: [] })
      if (url === '/api/v1/providers/p-gpu/pulls' && init?.method === 'POST') return jsonResponse(202, pull)
      return jsonResponse(404, { title: 'Not Found', status: 404 }, 'application/problem+json')
    })
    renderWithApi(<Harness />, fetch)

    await userEvent.click(screen.getByRole('button', { name: 'Pull a model' }))
    await userEvent.selectOptions(screen.getByLabelText('Host'), 'GPU box')
    await userEvent.type(screen.getByLabelText('Model name'), 'tinyllama')
    await userEvent.click(screen.getByRole('button', { name: 'Pull' }))

    const progress = await screen.findByTestId('pull-progress')
    expect(progress).toHaveAttribute('data-status', 'running')
    expect(progress).toHaveTextContent('on GPU box')
    expect(screen.getByTestId('pull-figures')).toHaveTextContent('319 MB of 638 MB · 50% · 42 MB/s')
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '50')
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeEnabled()
    const post = fetch.mock.calls.find(
      ([url]) => String(url).endsWith('/pulls') && String(url).includes('p-gpu'),
    )
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({ model: 'tinyllama' })
  })

  it('checks the name before sending it', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => jsonResponse(200, { items: [] }))
    renderWithApi(<Harness />, fetch)
    await userEvent.click(screen.getByRole('button', { name: 'Pull a model' }))
    await userEvent.type(screen.getByLabelText('Model name'), 'bad name!')
    await userEvent.click(screen.getByRole('button', { name: 'Pull' }))
    expect(screen.getByLabelText('Model name')).toHaveAccessibleDescription(
      'Model name may contain letters, digits and . : / @ + - _ only',
    )
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(false)
  })

  it('downloads a GGUF file by URL into the embedded engine, with its checksum', async () => {
    const pull = fakePull({ providerId: 'p-embedded', model: 'tiny.gguf' })
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      const url = String(input)
      if (url === '/api/v1/pulls') return jsonResponse(200, { items: [] })
      if (url === '/api/v1/providers/p-embedded/pulls' && init?.method === 'POST')
        return jsonResponse(202, pull)
      return jsonResponse(404, { title: 'Not Found', status: 404 }, 'application/problem+json')
    })
    renderWithApi(<Harness />, fetch)
    await userEvent.click(screen.getByRole('button', { name: 'Pull a model' }))
    await userEvent.selectOptions(screen.getByLabelText('Host'), 'Embedded engine')
    expect(screen.queryByLabelText('Model name')).toBeNull()
    await userEvent.type(screen.getByLabelText('File URL'), 'ftp://example.com/tiny.gguf')
    await userEvent.click(screen.getByRole('button', { name: 'Pull' }))
    expect(screen.getByLabelText('File URL')).toHaveAccessibleDescription(
      'File URL must be an http(s) address',
    )
    await userEvent.clear(screen.getByLabelText('File URL'))
    await userEvent.type(screen.getByLabelText('File URL'), 'https://example.com/tiny.gguf')
    await userEvent.type(screen.getByLabelText('SHA-256 (optional)'), 'ab'.repeat(32))
    await userEvent.click(screen.getByRole('button', { name: 'Pull' }))
    expect(await screen.findByTestId('pull-progress')).toHaveTextContent('on Embedded engine')
    const post = fetch.mock.calls.find(([, init]) => init?.method === 'POST')
    expect(JSON.parse(String(post?.[1]?.body))).toEqual({
      url: 'https://example.com/tiny.gguf',
      sha256: 'ab'.repeat(32),
    })
  })
})
