// The head of a server-rendered page: the app's style sheets go inline when they can be moved
// as they are, so that the first paint needs no second request.
import { describe, expect, it } from 'vitest'
import { inlineStyles } from '../src/http/pages.js'

const HEAD =
  '<head><script type="module" crossorigin src="/assets/index-1.js"></script>' +
  '<link rel="stylesheet" crossorigin href="/assets/index-1.css"></head>'

describe('inlineStyles', () => {
  it('puts a style sheet inline in place of its link', () => {
    const read: string[] = []
    const head = inlineStyles(HEAD, (href) => {
      read.push(href)
      return '.a{color:red;background:url(data:image/png;base64,AA)}'
    })
    expect(read).toEqual(['/assets/index-1.css'])
    expect(head).toBe(
      '<head><script type="module" crossorigin src="/assets/index-1.js"></script>' +
        '<style>.a{color:red;background:url(data:image/png;base64,AA)}</style></head>',
    )
  })

  it('keeps the link when the sheet is missing or would change meaning inline', () => {
    for (const css of [
      null,
      '.a{background:url(./img.png)}',
      '.a{background:url("font.woff2")}',
      '.a::after{content:"</style>"}',
    ]) {
      expect(inlineStyles(HEAD, () => css)).toBe(HEAD)
    }
    // Absolute URLs mean the same from the page as from the sheet.
    expect(inlineStyles(HEAD, () => '.a{background:url(/assets/x.png)}')).toContain('<style>')
  })
})
