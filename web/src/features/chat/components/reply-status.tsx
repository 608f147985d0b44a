// What a reply that did not finish normally says, and what can be done about it.
import { CircleAlert, CirclePause, Play, RefreshCw, Unplug } from 'lucide-react'
import { Button } from '@/components/ui/button'
import type { LiveReply } from '../hooks/reply-streams-context'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'

export function ReplyStatus({
  message,
  live,
  onReconnect,
}: {
  message: Message
  live: LiveReply
  onReconnect: () => void
}) {
  const { continueReply, regenerate, busy } = useThreadActions()
  if (live.state === 'streaming' && live.lostConnection) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-muted-foreground text-sm" role="status">
        <Unplug className="size-4" aria-hidden="true" />
        Lost the connection to this reply; it may still be written on the server.
        <Button variant="outline" size="sm" onClick={onReconnect}>
          Reconnect
        </Button>
      </div>
    )
  }
  if (live.state !== 'stopped' && live.state !== 'interrupted' && live.state !== 'error') return null
  const note =
    live.state === 'stopped'
      ? 'Stopped.'
      : live.state === 'interrupted'
        ? 'The server restarted while this reply was being written.'
        : (live.error ?? 'The model could not finish this reply.')
  const Icon = live.state === 'error' ? CircleAlert : CirclePause
  const canContinue = live.state !== 'error' || live.text.length > 0
  return (
    <div
      className="flex flex-wrap items-center gap-2 text-sm"
      data-testid="reply-status"
      data-state={live.state}
      role="status"
    >
      <span
        className={
          live.state === 'error'
            ? 'inline-flex items-center gap-1.5 text-destructive'
            : 'inline-flex items-center gap-1.5 text-muted-foreground'
        }
      >
        <Icon className="size-4 shrink-0" aria-hidden="true" />
        {note}
      </span>
      {canContinue ? (
        <Button variant="outline" size="sm" disabled={busy} onClick={() => continueReply(message)}>
          <Play aria-hidden="true" />
          Continue
        </Button>
      ) : null}
      <Button variant="outline" size="sm" disabled={busy} onClick={() => regenerate(message)}>
        <RefreshCw aria-hidden="true" />
        Regenerate
      </Button>
    </div>
  )
}
