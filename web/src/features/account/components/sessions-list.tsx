import { Laptop, Smartphone } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { FormError } from '@/components/form-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDateTime, formatRelative } from '@/lib/format'
import { type AccountSession, useRevokeSession, useSessions } from '../api/sessions'
import { describeUserAgent } from '../utils/describe-user-agent'

const isMobile = (userAgent: string | null) => /Android|iPhone|iPad|Mobile/.test(userAgent ?? '')

function SessionRow({ session, onRevoke }: { session: AccountSession; onRevoke: () => void }) {
  const Icon = isMobile(session.userAgent) ? Smartphone : Laptop
  return (
    <li className="flex items-start gap-3 py-4 first:pt-0 last:pb-0" data-testid="session-row">
      <div className="flex size-9 shrink-0 items-center justify-center rounded-md bg-muted">
        <Icon className="size-4 text-muted-foreground" aria-hidden="true" />
      </div>
      <div className="grid min-w-0 flex-1 gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-sm">{describeUserAgent(session.userAgent)}</span>
          {session.current ? <Badge variant="success">This device</Badge> : null}
        </div>
        <p className="text-muted-foreground text-xs">
          {session.ip ?? 'Unknown address'} · Last active {formatRelative(session.lastUsedAt)}
        </p>
        <p className="text-muted-foreground text-xs">
          Signed in {formatDateTime(session.createdAt)} · Expires {formatDateTime(session.expiresAt)}
        </p>
      </div>
      {session.current ? null : (
        <Button variant="outline" size="sm" onClick={onRevoke}>
          Revoke
        </Button>
      )}
    </li>
  )
}

export function SessionsList() {
  const sessions = useSessions()
  const revoke = useRevokeSession()
  const [target, setTarget] = useState<AccountSession | null>(null)

  function close() {
    setTarget(null)
    revoke.reset()
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Sessions</CardTitle>
        <CardDescription>
          Devices where you are signed in. Revoke any you do not recognise, then change your password.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {sessions.isPending ? (
          <div className="grid gap-3">
            <Skeleton className="h-14" />
            <Skeleton className="h-14" />
          </div>
        ) : sessions.isError ? (
          <FormError error={sessions.error} title="Could not load your sessions" />
        ) : (
          <ul className="divide-y">
            {sessions.data.map((session) => (
              <SessionRow key={session.id} session={session} onRevoke={() => setTarget(session)} />
            ))}
          </ul>
        )}
      </CardContent>
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => !open && close()}
        title="Revoke this session?"
        description={
          target
            ? `${describeUserAgent(target.userAgent)} (${target.ip ?? 'unknown address'}) will be signed out.`
            : ''
        }
        confirmLabel="Revoke session"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => target && revoke.mutate(target.id, { onSuccess: close })}
      />
    </Card>
  )
}
