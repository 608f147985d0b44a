import { fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { Markdown } from './markdown'

function renderMarkdown(text: string, streaming = false) {
  return render(<Markdown text={text} streaming={streaming} />).container
}

describe('Markdown from a model is inert', () => {
  it('shows raw HTML as text: no element, no event handler', () => {
    const container = renderMarkdown('Look: <img src=x onerror=alert(1)> and <script>alert(2)</script>')
    expect(container.querySelector('img')).toBeNull()
    expect(container.querySelector('script')).toBeNull()
    expect(container.querySelector('[onerror]')).toBeNull()
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>')
  })

  it('never renders a javascript: (or other unsafe) link', () => {
    const container = renderMarkdown(
      '[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [z](java&#x09;script:alert(1)) [d](data:text/html,hi) <javascript:alert(1)>',
    )
    for (const link of container.querySelectorAll('a')) {
      expect(link.getAttribute('href') ?? '').not.toMatch(/^\s*(javascript|data|vbscript):/i)
    }
    expect(container.querySelectorAll('a[href^="javascript"]')).toHaveLength(0)
    expect(screen.getByText('x').closest('a')).toBeNull()
  })

  it('opens safe links in a new tab without a referrer or opener', () => {
    renderMarkdown('[docs](https://example.com/docs)')
    const link = screen.getByRole('link', { name: 'docs' })
    expect(link).toHaveAttribute('href', 'https://example.com/docs')
    expect(link).toHaveAttribute('target', '_blank')
    expect(link.getAttribute('rel')).toContain('noopener')
    expect(link.getAttribute('rel')).toContain('noreferrer')
  })

  it('does not load a remote image until the reader asks, and then without a referrer', () => {
    const container = renderMarkdown('![cat](https://images.example.com/cat.png)')
    expect(container.querySelector('img')).toBeNull()
    fireEvent.click(screen.getByRole('button', { name: /load image from images\.example\.com/i }))
    const image = container.querySelector('img')
    expect(image).toHaveAttribute('src', 'https://images.example.com/cat.png')
    expect(image).toHaveAttribute('referrerpolicy', 'no-referrer')
    expect(image?.getAttribute('onerror')).toBeNull()
  })

  it('shows an image with an unsafe address as its description only', () => {
    const container = renderMarkdown('![x](javascript:alert(1))')
    expect(container.querySelector('img, button')).toBeNull()
    expect(screen.getByTestId('blocked-image')).toHaveTextContent('[image: x]')
  })
})

describe('Markdown rendering', () => {
  it('renders GFM tables and task lists', () => {
    const container = renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] todo')
    expect(screen.getByRole('table')).toBeInTheDocument()
    expect(screen.getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['1', '2'])
    const boxes = container.querySelectorAll('input[type="checkbox"]')
    expect(boxes).toHaveLength(2)
    expect((boxes[0] as HTMLInputElement).checked).toBe(true)
  })

  it('highlights code, names its language and offers to copy it', () => {
    const container = renderMarkdown('```ts\nconst answer: number = 42\n```')
    expect(screen.getByText('ts')).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Copy code' })).toBeInTheDocument()
    expect(container.querySelector('code.hljs.language-ts .hljs-keyword')).toHaveTextContent('const')
  })

  it('typesets math with KaTeX', () => {
    const container = renderMarkdown('Inline $a^2+b^2=c^2$ and\n\n$$\n\\int_0^1 x\\,dx\n$$')
    expect(container.querySelectorAll('.katex').length).toBeGreaterThanOrEqual(2)
    expect(container.querySelector('.katex-display')).not.toBeNull()
  })

  it('keeps a mermaid block as code while the reply is still being written', () => {
    renderMarkdown('```mermaid\ngraph TD; A-->B\n```', true)
    expect(screen.queryByTestId('mermaid-diagram')).toBeNull()
    expect(screen.getByText('mermaid')).toBeInTheDocument()
  })
})
