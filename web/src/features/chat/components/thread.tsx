// The selected branch as a virtualized list: only the rows on screen are in the DOM, so a
// 10,000-message conversation costs what a short one does. It opens at the newest message,
// loads older pages when scrolled near the top (keeping what is on screen in place), and stays
// at the bottom while a reply grows if the reader is there.
// On a page the server rendered, the newest rows are first plain, in the page's flow and
// bottom-anchored by CSS, so the browser shows them before any script has run; the list becomes
// virtual once React has hydrated it.
import { measureElement, useVirtualizer } from '@tanstack/react-virtual'
import { ArrowDown, Loader2 } from 'lucide-react'
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/form'
import { useHydrated } from '@/lib/use-hydrated'
import { cn } from '@/lib/utils'
import type { Message } from '../types'
import { AssistantMessage } from './assistant-message'
import { UserMessage } from './user-message'

const LOAD_OLDER_WITHIN_PX = 600
/** The list's size until it is measured (a test DOM never measures it). */
const INITIAL_RECT = { width: 800, height: 600 }
/**
 * The newest messages that fill a tall screen (1,400 px), by a rough height from their length:
 * a server-rendered page lays out no more text than it shows (laying out a long conversation's
 * text is most of the browser's work for that first frame).
 */
export function newestScreenful(messages: readonly Message[]): readonly Message[] {
  let height = 0
  let first = messages.length
  while (first > 0 && height < 1_400) {
    first -= 1
    height += 64 + 24 * Math.ceil((messages[first]?.content.length ?? 0) / 90)
  }
  return messages.slice(first)
}

/** One message; re-rendered only when the message itself changes, not when the list scrolls. */
const MessageRow = memo(function MessageRow({ message }: { message: Message }) {
  return (
    <div className="mx-auto w-full max-w-3xl py-2">
      {message.role === 'user' ? <UserMessage message={message} /> : <AssistantMessage message={message} />}
    </div>
  )
})

export interface ThreadProps {
  messages: readonly Message[]
  hasMore: boolean
  loadingOlder: boolean
  olderError: unknown
  onLoadOlder: () => void
  /** A message to bring into view (a search hit). */
  focusMessageId?: string | null
}

export function Thread({
  messages,
  hasMore,
  loadingOlder,
  olderError,
  onLoadOlder,
  focusMessageId,
}: ThreadProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const hydrated = useHydrated()
  const [atEnd, setAtEnd] = useState(true)
  const estimateSize = (index: number) => (messages[index]?.role === 'user' ? 80 : 180)
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey: (index) => messages[index]?.id ?? index,
    // A row never measures 0 in a browser; in a test DOM (no layout) keep the estimate.
    measureElement: (element, entry, instance) =>
      measureElement(element, entry, instance) || estimateSize(instance.indexFromElement(element)),
    overscan: 4,
    paddingStart: 16,
    paddingEnd: 24,
    // Chat behaviour: older pages prepend without moving what is on screen, new messages and a
    // growing reply keep the view at the bottom when it was there.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: 32,
    initialRect: INITIAL_RECT,
    // The first render already shows the newest rows (by estimate), not the oldest ones only to
    // replace them once the list has scrolled to the end.
    initialOffset: () =>
      Math.max(0, messages.reduce((total, _, index) => total + estimateSize(index), 0) - INITIAL_RECT.height),
  })

  // Open at the newest message; only then may scrolling near the top fetch older pages.
  const opened = useRef(false)
  const [ready, setReady] = useState(false)
  useLayoutEffect(() => {
    if (!hydrated || opened.current || messages.length === 0) return
    opened.current = true
    virtualizer.scrollToIndex(messages.length - 1, { align: 'end' })
    requestAnimationFrame(() => setReady(true))
  }, [hydrated, messages.length, virtualizer])

  // Bring a search hit into view once, when it is loaded.
  const focused = useRef<string | null>(null)
  useEffect(() => {
    if (!focusMessageId || focused.current === focusMessageId) return
    const index = messages.findIndex((message) => message.id === focusMessageId)
    if (index < 0) return
    focused.current = focusMessageId
    virtualizer.scrollToIndex(index, { align: 'center' })
  }, [focusMessageId, messages, virtualizer])

  const items = virtualizer.getVirtualItems()
  const nearTop = (virtualizer.scrollOffset ?? 0) < LOAD_OLDER_WITHIN_PX || (items[0]?.index ?? 0) < 3
  useEffect(() => {
    if (ready && nearTop && hasMore && !loadingOlder && !olderError) onLoadOlder()
  }, [ready, nearTop, hasMore, loadingOlder, olderError, onLoadOlder])

  return (
    <div className="relative min-h-0 flex-1">
      <div
        ref={scrollRef}
        className={cn(
          'h-full overflow-y-auto overscroll-contain [overflow-anchor:none]',
          // A column-reverse box starts scrolled to its end (the newest message).
          !hydrated && 'flex flex-col-reverse',
        )}
        data-testid="thread"
        // Scrolling before the list has opened at its end is the opening itself (on a server-
        // rendered page, also the switch to the virtual list), not the reader's.
        onScroll={() => {
          if (ready) setAtEnd(virtualizer.isAtEnd(64))
        }}
      >
        {/* Its auto margin keeps a short list at the top, as the virtual list has it. */}
        <div className={cn(!hydrated && 'mb-auto')}>
          {hasMore || loadingOlder || olderError ? (
            <div
              className="flex h-10 items-center justify-center text-muted-foreground text-xs"
              aria-live="polite"
            >
              {olderError ? (
                <span>
                  Could not load older messages: {errorMessage(olderError)}{' '}
                  <Button variant="link" size="sm" className="h-auto p-0 text-xs" onClick={onLoadOlder}>
                    Try again
                  </Button>
                </span>
              ) : (
                <span className="inline-flex items-center gap-1.5">
                  <Loader2 className="size-3.5 animate-spin" aria-hidden="true" /> Loading older messages
                </span>
              )}
            </div>
          ) : null}
          {hydrated ? (
            <ol
              aria-label="Messages"
              className="relative w-full"
              style={{ height: virtualizer.getTotalSize() }}
            >
              {items.map((item) => {
                const message = messages[item.index]
                if (!message) return null
                return (
                  <li
                    key={item.key}
                    ref={virtualizer.measureElement}
                    data-index={item.index}
                    data-last={item.index === messages.length - 1 || undefined}
                    className="group/row absolute top-0 left-0 w-full px-3 md:px-6"
                    style={{ transform: `translateY(${item.start}px)` }}
                  >
                    <MessageRow message={message} />
                  </li>
                )
              })}
            </ol>
          ) : (
            <ol aria-label="Messages" className="w-full pt-4 pb-6">
              {newestScreenful(messages).map((message) => (
                <li
                  key={message.id}
                  data-last={message === messages.at(-1) || undefined}
                  className="group/row w-full px-3 md:px-6"
                >
                  <MessageRow message={message} />
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
      {atEnd ? null : (
        <Button
          variant="outline"
          size="icon"
          className="absolute bottom-3 left-1/2 size-8 -translate-x-1/2 rounded-full shadow-md"
          aria-label="Scroll to the newest message"
          onClick={() => virtualizer.scrollToEnd()}
        >
          <ArrowDown />
        </Button>
      )}
    </div>
  )
}
