import { CircleAlert, CircleCheck, RotateCcw, X } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { formatBytes, formatBytesPerSecond } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { Pull } from '../types'

interface PullProgressProps {
  pull: Pull
  hostName: string
  onCancel?: (pull: Pull) => void
  onRetry?: (pull: Pull) => void
  onDismiss?: (pull: Pull) => void
  cancelling?: boolean
}

function progressText(pull: Pull): string {
  const done = formatBytes(pull.completedBytes)
  const parts = [pull.totalBytes ? `${done} of ${formatBytes(pull.totalBytes)}` : done]
  if (pull.percent !== null) parts.push(`${pull.percent.toFixed(pull.percent < 10 ? 1 : 0)}%`)
  if (pull.status === 'running' && pull.bytesPerSecond) parts.push(formatBytesPerSecond(pull.bytesPerSecond))
  return parts.join(' · ')
}

const STATUS_TEXT: Record<Pull['status'], string> = {
  running: 'Pulling',
  succeeded: 'Pulled',
  failed: 'Pull failed',
  cancelled: 'Pull cancelled',
}

/** One pull: bar, bytes done of total, percent, speed; Cancel while running, Retry after a failure. */
export function PullProgress({
  pull,
  hostName,
  onCancel,
  onRetry,
  onDismiss,
  cancelling,
}: PullProgressProps) {
  const percent = pull.status === 'succeeded' ? 100 : (pull.percent ?? 0)
  const label = `${STATUS_TEXT[pull.status]} ${pull.model} on ${hostName}`
  return (
    <div
      className="grid gap-2 rounded-lg border bg-card p-3"
      data-testid="pull-progress"
      data-status={pull.status}
      data-model-name={pull.model}
    >
      <div className="flex items-start justify-between gap-3">
        <div className="grid min-w-0 gap-0.5">
          <p className="flex items-center gap-1.5 font-medium text-sm">
            {pull.status === 'succeeded' ? (
              <CircleCheck className="size-4 shrink-0 text-success" aria-hidden="true" />
            ) : pull.status === 'failed' ? (
              <CircleAlert className="size-4 shrink-0 text-destructive" aria-hidden="true" />
            ) : null}
            <span className="truncate">
              {STATUS_TEXT[pull.status]} <span className="font-mono">{pull.model}</span>
            </span>
          </p>
          <p className="truncate text-muted-foreground text-xs">
            on {hostName}
            {pull.status === 'running' && pull.detail ? ` · ${pull.detail}` : ''}
          </p>
        </div>
        <div className="flex shrink-0 items-center gap-1">
          {pull.status === 'running' && onCancel ? (
            <Button variant="outline" size="sm" pending={cancelling} onClick={() => onCancel(pull)}>
              Cancel
            </Button>
          ) : null}
          {pull.status === 'failed' && onRetry ? (
            <Button variant="outline" size="sm" onClick={() => onRetry(pull)}>
              <RotateCcw aria-hidden="true" />
              Retry
            </Button>
          ) : null}
          {pull.status !== 'running' && onDismiss ? (
            <Button
              variant="ghost"
              size="icon"
              className="size-8"
              aria-label={`Dismiss ${pull.model}`}
              onClick={() => onDismiss(pull)}
            >
              <X aria-hidden="true" />
            </Button>
          ) : null}
        </div>
      </div>
      {pull.status === 'running' || pull.status === 'succeeded' ? (
        <>
          <div
            role="progressbar"
            aria-label={label}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={
              pull.percent === null && pull.status === 'running' ? undefined : Math.round(percent)
            }
            className="h-2 overflow-hidden rounded-full bg-muted"
          >
            <div
              className={cn(
                'h-full rounded-full transition-[width] duration-500',
                pull.status === 'succeeded' ? 'bg-success' : 'bg-sky-500',
                pull.percent === null && pull.status === 'running' && 'w-1/3 animate-pulse',
              )}
              style={
                pull.percent === null && pull.status === 'running' ? undefined : { width: `${percent}%` }
              }
            />
          </div>
          <p className="text-muted-foreground text-xs tabular-nums" data-testid="pull-figures">
            {progressText(pull)}
          </p>
        </>
      ) : null}
      {pull.status === 'failed' && pull.error ? (
        <p className="text-destructive text-xs">{pull.error}</p>
      ) : null}
    </div>
  )
}
