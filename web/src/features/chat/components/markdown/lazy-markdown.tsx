// The Markdown renderer (remark, rehype, KaTeX, highlight.js: most of the chat page's code) is
// fetched on its own once a reply has been painted, so a conversation's messages show as plain
// text at once and take their formatting when it arrives (loading and running its code earlier
// would hold back that first frame). It is not a Suspense boundary: React holds
// back a render that suspends, and the first paint would wait for the renderer after all.
import { type ComponentType, memo, useSyncExternalStore } from 'react'
import { cn } from '@/lib/utils'

interface MarkdownProps {
  text: string
  streaming?: boolean
  className?: string
}

let renderer: ComponentType<MarkdownProps> | null = null
let requested = false
const listeners = new Set<() => void>()

/** After the frame being prepared has been painted (a task queued from the next frame's start). */
function afterPaint(run: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') run()
  else requestAnimationFrame(() => setTimeout(run, 0))
}

function load(): void {
  if (requested) return
  requested = true
  afterPaint(importRenderer)
}

function importRenderer(): void {
  void import('./markdown').then(
    (module) => {
      renderer = module.Markdown
      for (const listener of listeners) listener()
    },
    () => {
      // Offline or a new deployment: plain text stays, and the next reply mounted tries again.
      requested = false
    },
  )
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  load()
  return () => listeners.delete(listener)
}

const noRenderer = () => null

const PlainText = ({ text, className }: MarkdownProps) => (
  <div className={cn('markdown whitespace-pre-wrap', className)}>{text}</div>
)

export const LazyMarkdown = memo(function LazyMarkdown(props: MarkdownProps) {
  // Plain text on the server and while hydrating its page (as the server sent it), even when the
  // renderer has arrived by then; React renders again with it right after.
  const Markdown = useSyncExternalStore(subscribe, () => renderer, noRenderer)
  return Markdown ? <Markdown {...props} /> : <PlainText {...props} />
})
