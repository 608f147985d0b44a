// The thread on a page the server rendered: the newest rows are in the page's flow, bottom
// anchored by CSS (seen before any script runs), and React takes that HTML over without a
// mismatch, turning it into the virtual list.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { act } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { MemoryRouter } from 'react-router'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'
import { ApiClientProvider } from '@/lib/api-context'
import { ReplyStreamsProvider } from '../hooks/reply-streams-context'
import { ThreadActionsProvider } from '../hooks/thread-actions'
import { branchFixture, threadActionsFixture } from '../testing/fixtures'
import type { Message } from '../types'
import { newestScreenful, Thread } from './thread'

const actions = threadActionsFixture()

function page(messages: Message[]) {
  const api = new ApiClient({ fetch: async () => new Response(null, { status: 404 }) })
  return (
    <ApiClientProvider client={api}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <ReplyStreamsProvider>
            <ThreadActionsProvider value={actions}>
              <Thread
                messages={messages}
                hasMore
                loadingOlder={false}
                olderError={null}
                onLoadOlder={vi.fn()}
              />
            </ThreadActionsProvider>
          </ReplyStreamsProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </ApiClientProvider>
  )
}

const rows = (root: HTMLElement) => [...root.querySelectorAll<HTMLElement>('ol[aria-label="Messages"] > li')]
const thread = (root: HTMLElement) => root.querySelector<HTMLElement>('[data-testid="thread"]')

describe('Thread on a server-rendered page', () => {
  afterEach(() => {
    document.body.replaceChildren()
  })

  it('renders the newest rows in the page flow, scrolled to the end by CSS alone', () => {
    const messages = branchFixture(30)
    const root = document.createElement('div')
    root.innerHTML = renderToString(page(messages))
    const rendered = rows(root)
    // Short messages: about 16 fill a tall screen.
    expect(rendered.length).toBeGreaterThan(10)
    expect(rendered.length).toBeLessThan(30)
    expect(rendered.map((row) => row.textContent)).toEqual(
      messages.slice(-rendered.length).map((message) => expect.stringContaining(message.content)),
    )
    expect(rendered.some((row) => row.classList.contains('absolute') || row.style.transform)).toBe(false)
    expect(rendered.at(-1)?.dataset.last).toBe('true')
    expect(thread(root)?.className).toContain('flex-col-reverse')
  })

  it('renders fewer rows when the newest messages are long', () => {
    const long = branchFixture(30).map((message) => ({ ...message, content: 'word '.repeat(600) }))
    expect(newestScreenful(long)).toHaveLength(2)
    expect(newestScreenful(long.slice(0, 1))).toHaveLength(1)
    expect(newestScreenful([])).toHaveLength(0)
  })

  it('is taken over without a hydration mismatch and becomes the virtual list', async () => {
    const messages = branchFixture(30)
    const root = document.createElement('div')
    document.body.append(root)
    root.innerHTML = renderToString(page(messages))
    // Until the app has taken the page over, the messages' actions are inert (a click would be lost).
    const actions = () => [...root.querySelectorAll<HTMLElement>('button[aria-label="Copy reply"]')]
    expect(actions().length).toBeGreaterThan(0)
    expect(actions().every((button) => button.closest('[inert]'))).toBe(true)
    // A test DOM has no layout: give every element the size of a small screen.
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(800)
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
    const recoverable = vi.fn()
    await act(async () => {
      hydrateRoot(root, page(messages), { onRecoverableError: recoverable })
    })
    expect(recoverable).not.toHaveBeenCalled()
    const live = rows(root)
    expect(live.length).toBeGreaterThan(0)
    expect(live.every((row) => row.classList.contains('absolute'))).toBe(true)
    expect(thread(root)?.className).not.toContain('flex-col-reverse')
    expect(actions().length).toBeGreaterThan(0)
    expect(actions().some((button) => button.closest('[inert]'))).toBe(false)
    // The newest message is among the rows the list shows first.
    expect(live.some((row) => row.textContent?.includes(messages[29]?.content ?? '-'))).toBe(true)
  })
})
