// Draws a mermaid diagram to an SVG image. Loaded only when a reply contains a diagram (mermaid
// is large). The diagram comes from a model, so mermaid runs in strict mode (labels sanitized, no
// click handlers) and the result is shown as an <img>, where an SVG can run no script and load
// nothing. HTML labels stay on: without them mermaid 11 drops characters such as `>` from labels.
import type { Mermaid } from 'mermaid'

let loaded: Promise<Mermaid> | null = null
let queue: Promise<unknown> = Promise.resolve()
let counter = 0

function load(): Promise<Mermaid> {
  loaded ??= import('mermaid').then((module) => module.default)
  return loaded
}

export interface RenderedDiagram {
  url: string
  width: number | null
  height: number | null
}

function dimensions(svg: string): { width: number | null; height: number | null } {
  const viewBox = /viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"/.exec(svg)
  return viewBox ? { width: Number(viewBox[1]), height: Number(viewBox[2]) } : { width: null, height: null }
}

async function draw(code: string, theme: 'light' | 'dark'): Promise<RenderedDiagram> {
  const mermaid = await load()
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: 'strict',
    theme: theme === 'dark' ? 'dark' : 'default',
    htmlLabels: true,
    fontFamily: 'ui-sans-serif, system-ui, sans-serif',
  })
  counter += 1
  const { svg } = await mermaid.render(`webplus-mermaid-${counter}`, code)
  return { url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, ...dimensions(svg) }
}

/** One diagram at a time: mermaid keeps global configuration and a scratch element per render. */
export function renderDiagram(code: string, theme: 'light' | 'dark'): Promise<RenderedDiagram> {
  const result = queue.then(() => draw(code, theme))
  queue = result.catch(() => undefined)
  return result
}
