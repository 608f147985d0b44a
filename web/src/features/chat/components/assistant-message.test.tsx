import { screen, waitFor } from '@testing-library/react'
import { describe, expect, it, vi } from 'vitest'
import { renderWithApi } from '@/test/render'
import { ReplyStreamsProvider } from '../hooks/reply-streams-context'
import { ThreadActionsProvider } from '../hooks/thread-actions'
import { messageFixture, threadActionsFixture } from '../testing/fixtures'
import { AssistantMessage } from './assistant-message'

const actions = threadActionsFixture()

function sse(frames: string[]): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame))
      controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
}

describe('AssistantMessage', () => {
  it('follows a reply being written from where the page left it, to its end', async () => {
    const requests: { url: string; lastEventId: string | null }[] = []
    const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input)
      requests.push({ url, lastEventId: new Headers(init?.headers).get('last-event-id') })
      if (url.endsWith('/generations/g1/events')) {
        return sse([
          'id: 3\nevent: delta\ndata: {"text":" there"}\n\n',
          'id: 4\nevent: done\ndata: {"state":"complete","error":null,"usage":{"inputTokens":3,"outputTokens":2,"ttftMs":40,"durationMs":90,"cost":0}}\n\n',
        ])
      }
      return new Response(null, { status: 404 })
    })
    const message = messageFixture('a1', {
      role: 'assistant',
      state: 'streaming',
      content: 'Hello',
      generationId: 'g1',
      streamSeq: 2,
      contextTrimmed: 4,
    })
    renderWithApi(
      <ReplyStreamsProvider>
        <ThreadActionsProvider value={actions}>
          <AssistantMessage message={message} />
        </ThreadActionsProvider>
      </ReplyStreamsProvider>,
      fetch,
    )
    expect(screen.getByTestId('assistant-message')).toHaveAttribute('data-state', 'streaming')
    expect(screen.getByText('Hello')).toBeInTheDocument()
    expect(screen.getByTestId('context-trimmed')).toHaveTextContent(
      "4 older messages were left out to fit the model's context.",
    )
    await waitFor(() =>
      expect(screen.getByTestId('assistant-message')).toHaveAttribute('data-state', 'complete'),
    )
    expect(screen.getByText('Hello there')).toBeInTheDocument()
    expect(requests[0]).toEqual({ url: '/api/v1/generations/g1/events', lastEventId: '2' })
    expect(screen.getByRole('button', { name: 'Regenerate reply' })).toBeInTheDocument()
  })

  it('offers to continue or regenerate a stopped reply', () => {
    const message = messageFixture('a2', { role: 'assistant', state: 'stopped', content: 'Half a' })
    renderWithApi(
      <ReplyStreamsProvider>
        <ThreadActionsProvider value={actions}>
          <AssistantMessage message={message} />
        </ThreadActionsProvider>
      </ReplyStreamsProvider>,
      vi.fn(),
    )
    expect(screen.getByTestId('reply-status')).toHaveTextContent('Stopped.')
    screen.getByRole('button', { name: 'Continue' }).click()
    expect(actions.continueReply).toHaveBeenCalledWith(message)
    screen.getByRole('button', { name: 'Regenerate' }).click()
    expect(actions.regenerate).toHaveBeenCalledWith(message)
  })
})
