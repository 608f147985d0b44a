// A fenced code block: its language, a copy button, and the highlighted code (highlighting is
// done by rehype-highlight while the Markdown is turned into elements).
import type { ReactNode } from 'react'
import { CopyButton } from '@/components/copy-button'

export function CodeBlock({
  language,
  source,
  children,
}: {
  language: string | null
  source: string
  children: ReactNode
}) {
  return (
    <div className="code-block group/code not-first:mt-3 overflow-hidden rounded-lg border bg-muted/40">
      <div className="flex h-8 items-center justify-between border-b bg-muted/60 pr-1 pl-3 text-muted-foreground text-xs">
        <span className="font-mono">{language ?? 'text'}</span>
        <CopyButton value={source} label="Copy code" variant="ghost" iconOnly />
      </div>
      <pre className="overflow-x-auto p-3 text-[13px] leading-relaxed">{children}</pre>
    </div>
  )
}
