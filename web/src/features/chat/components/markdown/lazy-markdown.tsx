// The Markdown renderer (remark, rehype, KaTeX, highlight.js: most of the chat page's code) is
// fetched on its own, so a conversation's messages show as plain text at once and take their
// formatting when it arrives, instead of the first paint waiting for it.
import { lazy, memo, Suspense } from 'react'
import { cn } from '@/lib/utils'

const Markdown = lazy(() => import('./markdown').then((module) => ({ default: module.Markdown })))

interface MarkdownProps {
  text: string
  streaming?: boolean
  className?: string
}

const PlainText = ({ text, className }: MarkdownProps) => (
  <div className={cn('markdown whitespace-pre-wrap', className)}>{text}</div>
)

export const LazyMarkdown = memo(function LazyMarkdown(props: MarkdownProps) {
  return (
    <Suspense fallback={<PlainText {...props} />}>
      <Markdown {...props} />
    </Suspense>
  )
})
