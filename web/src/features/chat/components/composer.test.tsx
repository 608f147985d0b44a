import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { act } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { ApiError } from '@/lib/api-client'
import { Composer } from './composer'

describe('Composer', () => {
  it('sends on Enter, adds a line on Shift+Enter, and empties itself once sent', async () => {
    const user = userEvent.setup()
    const onSend = vi.fn(async () => true)
    render(<Composer onSend={onSend} onStop={vi.fn()} streaming={false} />)
    const box = screen.getByRole('textbox', { name: 'Message' })
    await user.type(box, 'first line{Shift>}{Enter}{/Shift}second line')
    expect(onSend).not.toHaveBeenCalled()
    await user.keyboard('{Enter}')
    expect(onSend).toHaveBeenCalledWith('first line\nsecond line')
    expect(box).toHaveValue('')
  })

  it('takes the focus when asked to (in the next frame), and only then', async () => {
    const { unmount } = render(<Composer onSend={vi.fn()} onStop={vi.fn()} streaming={false} autoFocus />)
    await waitFor(() => expect(screen.getByRole('textbox', { name: 'Message' })).toHaveFocus())
    unmount()
    render(<Composer onSend={vi.fn()} onStop={vi.fn()} streaming={false} />)
    await new Promise((resolve) => requestAnimationFrame(resolve))
    expect(screen.getByRole('textbox', { name: 'Message' })).not.toHaveFocus()
  })

  it('is inert on a server-rendered page until hydrated, and then takes the focus', async () => {
    const composer = <Composer onSend={vi.fn()} onStop={vi.fn()} streaming={false} autoFocus />
    const root = document.body.appendChild(document.createElement('div'))
    onTestFinished(() => root.remove())
    root.innerHTML = renderToString(composer)
    const box = () => root.querySelector('textarea') as HTMLTextAreaElement
    expect(box().closest('[inert]')).not.toBeNull()
    const recoverable = vi.fn()
    const hydrated = await act(async () => hydrateRoot(root, composer, { onRecoverableError: recoverable }))
    expect(recoverable).not.toHaveBeenCalled()
    expect(box().closest('[inert]')).toBeNull()
    await waitFor(() => expect(box()).toHaveFocus())
    act(() => hydrated.unmount())
  })

  it('keeps the text when the send is refused', async () => {
    const user = userEvent.setup()
    render(<Composer onSend={async () => false} onStop={vi.fn()} streaming={false} />)
    const box = screen.getByRole('textbox', { name: 'Message' })
    await user.type(box, 'keep me{Enter}')
    expect(box).toHaveValue('keep me')
  })

  it('turns Send into Stop while a reply is written, and Esc stops it', () => {
    const onStop = vi.fn()
    render(<Composer onSend={vi.fn()} onStop={onStop} streaming />)
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull()
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Escape' })
    screen.getByRole('button', { name: 'Stop' }).click()
    expect(onStop).toHaveBeenCalledTimes(2)
  })

  it('explains a limit with its readable detail and when to try again', () => {
    const limit = new ApiError(
      {
        type: 'about:blank',
        title: 'Too Many Requests',
        status: 429,
        detail: 'You already have 3 replies being written; wait for one to finish or stop it',
      },
      5,
    )
    render(<Composer onSend={vi.fn()} onStop={vi.fn()} streaming={false} error={limit} />)
    const alert = screen.getByRole('alert')
    expect(alert).toHaveTextContent('You already have 3 replies being written')
    expect(alert).toHaveTextContent('try again in 5 s')
  })
})
