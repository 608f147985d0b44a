// The conversation list: new chat, search, then pinned conversations, folders and the rest,
// newest activity first; archived ones on their own tab. Export everything at the bottom.
import { Archive, Download, Folder, MessagesSquare, Plus, Search, X } from 'lucide-react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link } from 'react-router'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { useApiClient } from '@/lib/api-context'
import { errorMessage } from '@/lib/form'
import { useDebouncedValue } from '@/lib/use-debounced-value'
import { cn } from '@/lib/utils'
import { downloadExport, useConversations } from '../api/conversations'
import type { Conversation } from '../types'
import { ConversationRow } from './conversation-row'
import { SearchResults } from './search-results'

interface Group {
  key: string
  label: string
  folder: boolean
  conversations: Conversation[]
}

/** Pinned first, then one group per folder (by name), then everything not filed. */
export function groupConversations(pinned: readonly Conversation[], rest: readonly Conversation[]): Group[] {
  const groups: Group[] = []
  if (pinned.length > 0)
    groups.push({ key: 'pinned', label: 'Pinned', folder: false, conversations: [...pinned] })
  const folders = new Map<string, Conversation[]>()
  const unfiled: Conversation[] = []
  for (const conversation of rest) {
    if (conversation.folder) {
      const list = folders.get(conversation.folder) ?? []
      list.push(conversation)
      folders.set(conversation.folder, list)
    } else {
      unfiled.push(conversation)
    }
  }
  for (const name of [...folders.keys()].sort((a, b) => a.localeCompare(b))) {
    groups.push({ key: `folder:${name}`, label: name, folder: true, conversations: folders.get(name) ?? [] })
  }
  if (unfiled.length > 0)
    groups.push({ key: 'recent', label: 'Recent', folder: false, conversations: unfiled })
  return groups
}

function ConversationGroups({
  groups,
  activeId,
  folders,
  onError,
}: {
  groups: Group[]
  activeId: string | undefined
  folders: readonly string[]
  onError: (error: unknown) => void
}) {
  return (
    <div className="flex flex-col gap-3">
      {groups.map((group) => {
        const list = (
          <ul key={group.key} className="flex flex-col gap-0.5">
            {group.conversations.map((conversation) => (
              <ConversationRow
                key={conversation.id}
                conversation={conversation}
                active={conversation.id === activeId}
                folders={folders}
                onError={onError}
              />
            ))}
          </ul>
        )
        return group.folder ? (
          <details key={group.key} open className="group/folder">
            <summary className="flex cursor-pointer list-none items-center gap-1.5 px-2.5 py-1 font-medium text-muted-foreground text-xs hover:text-foreground">
              <Folder className="size-3.5" aria-hidden="true" />
              <span className="truncate">{group.label}</span>
              <span className="ml-auto tabular-nums">{group.conversations.length}</span>
            </summary>
            <div className="mt-0.5 ml-2 border-l pl-1">{list}</div>
          </details>
        ) : (
          <section key={group.key} aria-label={group.label}>
            <h3 className="px-2.5 py-1 font-medium text-muted-foreground text-xs">{group.label}</h3>
            {list}
          </section>
        )
      })}
    </div>
  )
}

function LoadMore({ onVisible, loading }: { onVisible: () => void; loading: boolean }) {
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = ref.current
    if (!element || typeof IntersectionObserver === 'undefined') return
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) onVisible()
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [onVisible])
  return (
    <div ref={ref} className="px-2 py-2">
      <Button variant="ghost" size="sm" className="w-full" pending={loading} onClick={onVisible}>
        Show more
      </Button>
    </div>
  )
}

export function ConversationSidebar({ activeId }: { activeId: string | undefined }) {
  const api = useApiClient()
  const [query, setQuery] = useState('')
  const debouncedQuery = useDebouncedValue(query, 250)
  const [archived, setArchived] = useState(false)
  const [actionError, setActionError] = useState<unknown>(null)
  const pinned = useConversations({ archived: false, pinned: true })
  const recent = useConversations({ archived: false, pinned: false })
  const archive = useConversations({ archived: true }, archived)
  const current = archived ? archive : recent

  const groups = useMemo(() => {
    const rest = current.data?.pages.flatMap((page) => page.items) ?? []
    const pinnedItems = archived ? [] : (pinned.data?.pages.flatMap((page) => page.items) ?? [])
    return groupConversations(pinnedItems, rest)
  }, [archived, current.data, pinned.data])
  const folders = useMemo(
    () =>
      [
        ...new Set(
          groups.flatMap((group) => group.conversations.flatMap((c) => (c.folder ? [c.folder] : []))),
        ),
      ].sort(),
    [groups],
  )
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = current
  const loadMore = useMemo(
    () => () => {
      if (hasNextPage && !isFetchingNextPage) void fetchNextPage()
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage],
  )
  const searching = debouncedQuery.trim().length > 0 && query.trim().length > 0

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div className="grid gap-2 p-3">
        <Button asChild variant="outline" className="justify-start">
          <Link to="/chat">
            <Plus aria-hidden="true" /> New chat
          </Link>
        </Button>
        <div className="relative">
          <Search
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden="true"
          />
          <Input
            type="search"
            aria-label="Search conversations"
            placeholder="Search"
            value={query}
            className="pr-8 pl-8"
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') setQuery('')
            }}
          />
          {query ? (
            <button
              type="button"
              aria-label="Clear search"
              className="absolute top-1/2 right-2 -translate-y-1/2 cursor-pointer text-muted-foreground hover:text-foreground"
              onClick={() => setQuery('')}
            >
              <X className="size-4" />
            </button>
          ) : null}
        </div>
        {searching ? null : (
          <div
            className="grid grid-cols-2 gap-1 rounded-md bg-muted p-0.5 text-xs"
            role="tablist"
            aria-label="Show"
          >
            {[
              { value: false, label: 'Chats', icon: MessagesSquare },
              { value: true, label: 'Archived', icon: Archive },
            ].map((tab) => (
              <button
                key={tab.label}
                type="button"
                role="tab"
                aria-selected={archived === tab.value}
                className={cn(
                  'inline-flex cursor-pointer items-center justify-center gap-1.5 rounded-sm py-1 text-muted-foreground',
                  archived === tab.value && 'bg-background font-medium text-foreground shadow-xs',
                )}
                onClick={() => setArchived(tab.value)}
              >
                <tab.icon className="size-3.5" aria-hidden="true" />
                {tab.label}
              </button>
            ))}
          </div>
        )}
      </div>
      <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto px-2 pb-2">
        {actionError ? (
          <p
            role="alert"
            className="mx-1 mb-2 rounded-md bg-destructive/10 px-2.5 py-1.5 text-destructive text-xs"
          >
            {errorMessage(actionError)}{' '}
            <button type="button" className="cursor-pointer underline" onClick={() => setActionError(null)}>
              Dismiss
            </button>
          </p>
        ) : null}
        {searching ? (
          <SearchResults query={debouncedQuery} />
        ) : current.isPending ? (
          <p className="px-3 py-4 text-muted-foreground text-sm">Loading conversations…</p>
        ) : current.isError ? (
          <p className="px-3 py-4 text-destructive text-sm">{errorMessage(current.error)}</p>
        ) : groups.length === 0 ? (
          <p className="px-3 py-4 text-muted-foreground text-sm">
            {archived ? 'No archived conversations.' : 'No conversations yet. Start one with New chat.'}
          </p>
        ) : (
          <>
            <ConversationGroups
              groups={groups}
              activeId={activeId}
              folders={folders}
              onError={setActionError}
            />
            {hasNextPage ? <LoadMore onVisible={loadMore} loading={isFetchingNextPage} /> : null}
          </>
        )}
      </nav>
      <div className="border-t p-2">
        <Button
          variant="ghost"
          size="sm"
          className="w-full justify-start text-muted-foreground"
          onClick={() => void downloadExport(api, null, 'json').catch(setActionError)}
        >
          <Download aria-hidden="true" /> Export all conversations
        </Button>
      </div>
    </div>
  )
}
