import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { LazyMarkdown } from './lazy-markdown'

describe('LazyMarkdown', () => {
  it('shows the text at once, then the same reply formatted once the renderer has loaded', async () => {
    const { container } = render(
      <>
        <LazyMarkdown text={'A **bold** claim'} />
        <LazyMarkdown text={'| a | b |\n| - | - |\n| 1 | 2 |'} />
      </>,
    )
    // First render: plain text, nothing held back while the renderer loads.
    expect(container.textContent).toContain('A **bold** claim')
    expect(container.querySelector('strong')).toBeNull()
    // Then every mounted reply takes its formatting (the renderer's first import is slow in a test DOM).
    expect((await screen.findByText('bold', {}, { timeout: 15_000 })).tagName).toBe('STRONG')
    expect(await screen.findByRole('table')).toBeTruthy()
    expect(container.textContent).not.toContain('**')
  }, 20_000)
})
