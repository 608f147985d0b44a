import { ChevronLeft, ChevronRight } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'

/** "2 / 3" with arrows: the versions of a message (edits, regenerated replies). */
export function SiblingNav({ message }: { message: Message }) {
  const { switchBranch, switching, busy } = useThreadActions()
  if (message.siblingCount < 2) return null
  const index = message.siblingIndex
  const blocked = switching || busy
  return (
    <div className="flex items-center text-muted-foreground text-xs" data-testid="sibling-nav">
      <Button
        variant="ghost"
        size="icon"
        className="size-7"
        aria-label="Previous version"
        title="Previous version"
        disabled={index === 0 || blocked}
        onClick={() => switchBranch(message, 'previous')}
      >
        <ChevronLeft />
      </Button>
      <span className="min-w-9 text-center tabular-nums" data-testid="sibling-position">
        {index + 1} / {message.siblingCount}
      </span>
      <Button
        variant="ghost"
        size="icon"
        className="size-7"
        aria-label="Next version"
        title="Next version"
        disabled={index >= message.siblingCount - 1 || blocked}
        onClick={() => switchBranch(message, 'next')}
      >
        <ChevronRight />
      </Button>
    </div>
  )
}
