import { useRealtimeStatus } from '@/lib/realtime-context'
import { cn } from '@/lib/utils'

const LABELS = { connected: 'Live', connecting: 'Connecting…', offline: 'Offline' } as const

/** A dot that shows whether live updates are flowing. */
export function ConnectionIndicator() {
  const status = useRealtimeStatus()
  return (
    <output
      className="flex items-center gap-2 rounded-md px-2 py-1 text-muted-foreground text-xs"
      aria-label={`Live updates: ${LABELS[status]}`}
      title={`Live updates: ${LABELS[status]}`}
      data-testid="realtime-status"
      data-status={status}
    >
      <span className="relative flex size-2.5">
        {status === 'connecting' ? (
          <span className="absolute inline-flex size-full animate-ping rounded-full bg-warning opacity-60" />
        ) : null}
        <span
          className={cn(
            'relative inline-flex size-2.5 rounded-full',
            status === 'connected' && 'bg-success',
            status === 'connecting' && 'bg-warning',
            status === 'offline' && 'bg-muted-foreground/50',
          )}
        />
      </span>
      <span className="hidden sm:inline">{LABELS[status]}</span>
    </output>
  )
}
