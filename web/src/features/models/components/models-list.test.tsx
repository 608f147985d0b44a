import { render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { rowNamed } from '@/test/rows'
import { fakeCatalog, fakeHost, fakeModel } from '../testing/fixtures'
import { ModelsList } from './models-list'

const now = Date.parse('2026-11-25T10:00:00.000Z')
const loaded = fakeModel({
  id: 'm1',
  name: 'llama3.2:1b',
  status: 'loaded',
  hosts: [
    fakeHost({
      status: 'loaded',
      vramBytes: 1_200_000_000,
      expiresAt: '2026-11-25T10:04:00.000Z',
    }),
  ],
})
const available = fakeModel({ id: 'm2', name: 'llava:7b' })
const broken = fakeModel({
  id: 'm3',
  name: 'mistral:7b',
  status: 'error',
  hosts: [fakeHost({ status: 'error', error: 'load failed: out of memory' })],
})

const row = (name: string) => rowNamed('model-row', 'data-model-name', name)

describe('ModelsList', () => {
  it('shows each model with its status, facts and per-host memory and expiry', () => {
    render(<ModelsList models={[loaded, available, broken]} canManage={false} now={now} onOpen={vi.fn()} />)
    const llama = row('llama3.2:1b')
    expect(within(llama).getByTestId('model-status')).toHaveAttribute('data-status', 'loaded')
    expect(llama).toHaveTextContent('1.2B params')
    expect(llama).toHaveTextContent('128K context')
    expect(llama).toHaveTextContent('800 MB')
    expect(within(llama).getByTestId('host-chip')).toHaveTextContent(
      'Local Ollamaloaded· 1.2 GB VRAM· expires in 4 min',
    )
    const mistral = row('mistral:7b')
    expect(within(mistral).getByTestId('model-status')).toHaveAttribute('title', 'load failed: out of memory')
    expect(within(mistral).getByTestId('model-error')).toHaveTextContent('load failed: out of memory')
    expect(screen.getByRole('heading', { name: /Local Ollama/ })).toHaveTextContent('3 models')
  })

  it('shows a model that no enabled host has as "No host", in its own group, with Start off', () => {
    const orphan = fakeModel({ id: 'm4', name: 'phi3:mini', status: 'no-host', hosts: [] })
    render(<ModelsList models={[loaded, orphan]} canManage now={now} onOpen={vi.fn()} onStart={vi.fn()} />)
    const phi = row('phi3:mini')
    expect(within(phi).getByTestId('model-status')).toHaveAttribute('data-status', 'no-host')
    expect(within(phi).getByTestId('model-status')).toHaveTextContent('No host')
    expect(within(phi).getByRole('button', { name: 'Start phi3:mini' })).toBeDisabled()
    expect(screen.getByRole('heading', { name: /Not on any host/ })).toHaveTextContent('1 model')
  })

  it('gives admins Start or Stop by what is loaded, and hides them from everyone else', async () => {
    const onStart = vi.fn()
    const onStop = vi.fn()
    const { rerender } = render(
      <ModelsList
        models={[loaded, available]}
        canManage
        now={now}
        onOpen={vi.fn()}
        onStart={onStart}
        onStop={onStop}
      />,
    )
    expect(screen.queryByRole('button', { name: 'Start llama3.2:1b' })).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Stop llama3.2:1b' }))
    expect(onStop).toHaveBeenCalledWith(loaded)
    await userEvent.click(screen.getByRole('button', { name: 'Start llava:7b' }))
    expect(onStart).toHaveBeenCalledWith(available)

    rerender(<ModelsList models={[loaded, available]} canManage={false} now={now} onOpen={vi.fn()} />)
    expect(screen.queryByRole('button', { name: /^(Start|Stop) / })).toBeNull()
  })

  it('keeps keyboard focus on the button when Start turns into Stop', async () => {
    const props = { canManage: true, now, onOpen: vi.fn(), onStart: vi.fn() }
    const { rerender } = render(<ModelsList models={[available]} {...props} />)
    const start = screen.getByRole('button', { name: 'Start llava:7b' })
    start.focus()
    await userEvent.keyboard('{Enter}')
    expect(props.onStart).toHaveBeenCalledWith(available)
    const loading = { ...available, status: 'loading' as const, hosts: [fakeHost({ status: 'loading' })] }
    rerender(<ModelsList models={[loading]} {...props} />)
    expect(screen.getByRole('button', { name: 'Start llava:7b' })).toHaveAttribute('aria-busy', 'true')
    const nowLoaded = { ...available, status: 'loaded' as const, hosts: [fakeHost({ status: 'loaded' })] }
    rerender(<ModelsList models={[nowLoaded]} {...props} />)
    const stop = screen.getByRole('button', { name: 'Stop llava:7b' })
    expect(stop).toBe(start)
    expect(stop).toHaveFocus()
  })

  it('starts with a chosen keep-alive from the Start menu', async () => {
    const onStart = vi.fn()
    render(<ModelsList models={[available]} canManage now={now} onOpen={vi.fn()} onStart={onStart} />)
    await userEvent.click(screen.getByRole('button', { name: 'Keep-alive options for llava:7b' }))
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Until stopped' }))
    expect(onStart).toHaveBeenCalledWith(available, '-1')
  })

  it('renders only the rows on screen out of 600', () => {
    const started = performance.now()
    render(<ModelsList models={fakeCatalog(600)} canManage now={now} onOpen={vi.fn()} />)
    const rows = screen.getAllByTestId('model-row')
    expect(rows.length).toBeGreaterThan(3)
    expect(rows.length).toBeLessThan(60)
    expect(screen.getByRole('list', { name: 'Models' })).toBeInTheDocument()
    console.info(`600 models: ${rows.length} rows rendered in ${Math.round(performance.now() - started)} ms`)
  })
})
