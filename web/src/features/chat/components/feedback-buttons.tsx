// Thumbs up or down on a reply, then an optional comment.
import { ThumbsDown, ThumbsUp } from 'lucide-react'
import { useId, useState } from 'react'
import { Button } from '@/components/ui/button'
import { Popover, PopoverAnchor, PopoverContent } from '@/components/ui/popover'
import { Textarea } from '@/components/ui/textarea'
import { cn } from '@/lib/utils'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'

export function FeedbackButtons({ message }: { message: Message }) {
  const { rate } = useThreadActions()
  const [asking, setAsking] = useState<'up' | 'down' | null>(null)
  const [comment, setComment] = useState('')
  const [saving, setSaving] = useState(false)
  const commentId = useId()
  const current = message.feedback?.rating ?? null

  async function choose(rating: 'up' | 'down') {
    const next = current === rating ? null : rating
    await rate(message, next)
    setComment(message.feedback?.comment ?? '')
    setAsking(next)
  }

  async function sendComment() {
    if (!asking) return
    setSaving(true)
    try {
      await rate(message, asking, comment.trim() || undefined)
      setAsking(null)
    } finally {
      setSaving(false)
    }
  }

  return (
    <Popover open={asking !== null} onOpenChange={(open) => (open ? undefined : setAsking(null))}>
      <PopoverAnchor asChild>
        <div className="flex items-center">
          {(['up', 'down'] as const).map((rating) => {
            const Icon = rating === 'up' ? ThumbsUp : ThumbsDown
            const label = rating === 'up' ? 'Good reply' : 'Bad reply'
            return (
              <Button
                key={rating}
                variant="ghost"
                size="icon"
                className={cn('size-7', current === rating && 'text-foreground')}
                aria-label={label}
                title={label}
                aria-pressed={current === rating}
                onClick={() => void choose(rating)}
              >
                <Icon className={cn(current === rating && 'fill-current')} />
              </Button>
            )
          })}
        </div>
      </PopoverAnchor>
      <PopoverContent side="top" align="start" className="grid gap-2 p-3">
        <label htmlFor={commentId} className="font-medium text-sm">
          {asking === 'up' ? 'What was good?' : 'What went wrong?'}{' '}
          <span className="font-normal text-muted-foreground">(optional)</span>
        </label>
        <Textarea
          id={commentId}
          value={comment}
          maxLength={2000}
          rows={3}
          onChange={(event) => setComment(event.target.value)}
        />
        <div className="flex justify-end gap-2">
          <Button variant="ghost" size="sm" onClick={() => setAsking(null)}>
            Skip
          </Button>
          <Button size="sm" pending={saving} disabled={!comment.trim()} onClick={() => void sendComment()}>
            Send
          </Button>
        </div>
      </PopoverContent>
    </Popover>
  )
}
