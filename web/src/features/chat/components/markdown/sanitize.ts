// Model output is untrusted. Raw HTML never becomes elements (react-markdown turns it into text
// unless rehype-raw is added, which it must not be), unsafe link protocols become empty (its
// default urlTransform), and this plugin drops any event-handler attribute a plugin might add.
import type { Element, Root, RootContent } from 'hast'

function strip(node: Root | RootContent): void {
  if (node.type === 'element') {
    const element = node as Element
    for (const name of Object.keys(element.properties)) {
      if (/^on/i.test(name)) delete element.properties[name]
    }
  }
  if ('children' in node) for (const child of node.children) strip(child)
}

export function rehypeStripEventHandlers() {
  return (tree: Root) => strip(tree)
}

/** A link or image address that may be followed: http(s), mailto, or in-page. */
export function safeHref(href: string | undefined): string | null {
  if (!href) return null
  const trimmed = href.trim()
  if (trimmed.startsWith('#')) return trimmed
  try {
    const url = new URL(trimmed, window.location.href)
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : null
  } catch (error) {
    if (error instanceof TypeError) return null
    throw error
  }
}

/** The text of a hast subtree (a highlighted code block's source, for copying). */
export function textOf(node: Root | RootContent | undefined): string {
  if (!node) return ''
  if (node.type === 'text') return node.value
  if ('children' in node) return node.children.map(textOf).join('')
  return ''
}
