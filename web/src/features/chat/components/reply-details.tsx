// A reply's figures: model, tokens in and out, time to first token, duration, cost. Opens on
// hover (and on click or tap, where there is no hover).
import { Info } from 'lucide-react'
import { useState } from 'react'
import { Button } from '@/components/ui/button'
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover'
import { formatCost, formatDateTime, formatMs } from '@/lib/format'
import type { Message, Usage } from '../types'

let count: Intl.NumberFormat | undefined

function tokens(value: number | null | undefined): string {
  count ??= new Intl.NumberFormat()
  return value === null || value === undefined ? '—' : count.format(value)
}

/** Formatted only when shown: a conversation renders many replies whose details stay closed. */
function DetailsList({ message, usage }: { message: Message; usage: Usage | null }) {
  const rows: [string, string][] = [
    ['Model', message.modelName ?? '—'],
    ['Tokens in', tokens(usage?.inputTokens)],
    ['Tokens out', tokens(usage?.outputTokens)],
    ['Time to first token', formatMs(usage?.ttftMs)],
    ['Duration', formatMs(usage?.durationMs)],
    ['Cost', formatCost(usage?.cost)],
    ['Written', formatDateTime(message.createdAt)],
  ]
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-xs">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="truncate text-right font-medium tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

export function ReplyDetails({ message, usage }: { message: Message; usage: Usage | null }) {
  const [open, setOpen] = useState(false)
  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <Button
          variant="ghost"
          size="icon"
          className="size-7"
          aria-label="Reply details"
          title="Reply details"
          onMouseEnter={() => setOpen(true)}
          onMouseLeave={() => setOpen(false)}
        >
          <Info />
        </Button>
      </PopoverTrigger>
      <PopoverContent className="w-64 p-3" side="top" align="start" data-testid="reply-details">
        <DetailsList message={message} usage={usage} />
      </PopoverContent>
    </Popover>
  )
}
