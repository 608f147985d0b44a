// Search hits: the conversation's title and a snippet whose matched words are marked. Snippets
// are plain-text pieces from the server, rendered as text (never as HTML).
import { Loader2, MessageSquare } from 'lucide-react'
import { Link } from 'react-router'
import { errorMessage } from '@/lib/form'
import { useChatSearch } from '../api/search'
import type { SnippetPiece } from '../types'

export function Snippet({ pieces }: { pieces: readonly SnippetPiece[] }) {
  return (
    <>
      {pieces.map((piece, index) =>
        piece.highlight ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces have no identity beyond their place
          <mark key={index} className="rounded-sm bg-warning/40 px-0.5 text-foreground">
            {piece.text}
          </mark>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces have no identity beyond their place
          <span key={index}>{piece.text}</span>
        ),
      )}
    </>
  )
}

export function SearchResults({ query }: { query: string }) {
  const search = useChatSearch(query)
  if (search.isPending) {
    return (
      <p className="flex items-center gap-2 px-3 py-4 text-muted-foreground text-sm">
        <Loader2 className="size-4 animate-spin" aria-hidden="true" /> Searching…
      </p>
    )
  }
  if (search.isError) {
    return <p className="px-3 py-4 text-destructive text-sm">{errorMessage(search.error)}</p>
  }
  const hits = search.data.items
  if (hits.length === 0) {
    return <p className="px-3 py-4 text-muted-foreground text-sm">Nothing matches “{query.trim()}”.</p>
  }
  return (
    <ul className="grid gap-0.5 px-2" aria-label="Search results" data-testid="search-results">
      {hits.map((hit) => (
        <li key={`${hit.conversationId}:${hit.messageId ?? 'title'}`}>
          <Link
            to={`/chat/${hit.conversationId}`}
            state={hit.messageId ? { focusMessageId: hit.messageId } : undefined}
            className="grid gap-0.5 rounded-md px-2.5 py-2 text-sm hover:bg-accent"
          >
            <span className="flex items-center gap-1.5 truncate font-medium">
              <MessageSquare className="size-3.5 shrink-0 text-muted-foreground" aria-hidden="true" />
              <span className="truncate">{hit.conversationTitle}</span>
            </span>
            <span className="line-clamp-2 text-muted-foreground text-xs">
              {hit.role ? (
                <span className="font-medium">{hit.role === 'user' ? 'You: ' : 'Reply: '}</span>
              ) : null}
              <Snippet pieces={hit.snippet} />
            </span>
          </Link>
        </li>
      ))}
    </ul>
  )
}
