// A mermaid code block drawn as a diagram once the reply is complete; the source stays one click
// away. While the reply streams, the block shows as code (a half-written diagram cannot be drawn).
import { useEffect, useState } from 'react'
import { errorMessage } from '@/lib/form'
import { resolvedTheme, useThemePreference } from '@/lib/theme'
import type { RenderedDiagram } from './mermaid-render'

type DiagramState =
  | { status: 'drawing' }
  | { status: 'drawn'; diagram: RenderedDiagram }
  | { status: 'failed'; reason: string }

export function MermaidDiagram({ code, source }: { code: string; source: React.ReactNode }) {
  const preference = useThemePreference()
  const theme = resolvedTheme(preference)
  const [state, setState] = useState<DiagramState>({ status: 'drawing' })

  useEffect(() => {
    let current = true
    setState((previous) => (previous.status === 'drawn' ? previous : { status: 'drawing' }))
    import('./mermaid-render')
      .then(({ renderDiagram }) => renderDiagram(code, theme))
      .then((diagram) => {
        if (current) setState({ status: 'drawn', diagram })
      })
      .catch((error: unknown) => {
        if (current) setState({ status: 'failed', reason: errorMessage(error) })
      })
    return () => {
      current = false
    }
  }, [code, theme])

  if (state.status === 'failed') {
    return (
      <div className="not-first:mt-3">
        <p className="mb-1 text-destructive text-xs" role="note">
          This diagram could not be drawn: {state.reason}
        </p>
        {source}
      </div>
    )
  }
  return (
    <figure
      className="mermaid-diagram not-first:mt-3 overflow-x-auto rounded-lg border bg-card p-3"
      data-testid="mermaid-diagram"
    >
      {state.status === 'drawn' ? (
        <img
          src={state.diagram.url}
          alt="Diagram"
          className="mx-auto h-auto w-full"
          style={{ maxWidth: state.diagram.width ?? undefined }}
          width={state.diagram.width ?? undefined}
          height={state.diagram.height ?? undefined}
        />
      ) : (
        <div className="h-24 animate-pulse rounded bg-muted" role="status">
          <span className="sr-only">Drawing the diagram</span>
        </div>
      )}
      <details className="mt-2 text-xs">
        <summary className="cursor-pointer text-muted-foreground">Diagram source</summary>
        <div className="mt-2">{source}</div>
      </details>
    </figure>
  )
}
