import { KeyRound } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { FormError } from '@/components/form-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDate, formatRelative } from '@/lib/format'
import { type ApiKey, useApiKeys, useRevokeApiKey } from '../api/api-keys'
import { KeyLimitsDialog } from './key-limits-dialog'

function keyState(key: ApiKey): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked'
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'expired'
  return 'active'
}

function ApiKeyRow({
  apiKey,
  onRevoke,
  onLimits,
}: {
  apiKey: ApiKey
  onRevoke: () => void
  onLimits: () => void
}) {
  const state = keyState(apiKey)
  return (
    <li
      className="flex flex-col gap-3 py-4 first:pt-0 last:pb-0 sm:flex-row sm:items-start"
      data-testid="api-key-row"
    >
      <div className="grid min-w-0 flex-1 gap-1.5">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-sm">{apiKey.name}</span>
          {state === 'revoked' ? <Badge variant="destructive">Revoked</Badge> : null}
          {state === 'expired' ? <Badge variant="outline">Expired</Badge> : null}
        </div>
        <code className="w-fit rounded bg-muted px-1.5 py-0.5 font-mono text-xs" data-testid="api-key-masked">
          {apiKey.prefix}…{apiKey.last4}
        </code>
        <div className="flex flex-wrap gap-1">
          {apiKey.scopes.map((scope) => (
            <Badge key={scope} variant="secondary" className="font-mono">
              {scope}
            </Badge>
          ))}
        </div>
        <p className="text-muted-foreground text-xs">
          Created {formatDate(apiKey.createdAt)} · Last used{' '}
          {apiKey.lastUsedAt ? formatRelative(apiKey.lastUsedAt) : 'never'} ·{' '}
          {apiKey.expiresAt ? `Expires ${formatDate(apiKey.expiresAt)}` : 'Never expires'}
        </p>
      </div>
      {state === 'revoked' ? null : (
        <div className="flex gap-2 self-start">
          {apiKey.scopes.includes('gateway') ? (
            <Button variant="outline" size="sm" onClick={onLimits}>
              Limits
            </Button>
          ) : null}
          <Button variant="outline" size="sm" onClick={onRevoke}>
            Revoke
          </Button>
        </div>
      )}
    </li>
  )
}

export function ApiKeysList() {
  const keys = useApiKeys()
  const revoke = useRevokeApiKey()
  const [target, setTarget] = useState<ApiKey | null>(null)
  const [limited, setLimited] = useState<ApiKey | null>(null)

  function close() {
    setTarget(null)
    revoke.reset()
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Your API keys</CardTitle>
        <CardDescription>
          Only the start and the last four characters of each key are kept visible.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {keys.isPending ? (
          <div className="grid gap-3">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : keys.isError ? (
          <FormError error={keys.error} title="Could not load your API keys" />
        ) : keys.data.length === 0 ? (
          <div className="flex flex-col items-center gap-2 py-6 text-center text-muted-foreground text-sm">
            <KeyRound className="size-5" aria-hidden="true" />
            You have no API keys yet.
          </div>
        ) : (
          <ul className="divide-y">
            {keys.data.map((apiKey) => (
              <ApiKeyRow
                key={apiKey.id}
                apiKey={apiKey}
                onRevoke={() => setTarget(apiKey)}
                onLimits={() => setLimited(apiKey)}
              />
            ))}
          </ul>
        )}
      </CardContent>
      <ConfirmDialog
        open={target !== null}
        onOpenChange={(open) => !open && close()}
        title="Revoke this API key?"
        description={
          target
            ? `Anything using “${target.name}” (${target.prefix}…${target.last4}) stops working at once. This cannot be undone.`
            : ''
        }
        confirmLabel="Revoke key"
        pending={revoke.isPending}
        error={revoke.error}
        onConfirm={() => target && revoke.mutate(target.id, { onSuccess: close })}
      />
      <KeyLimitsDialog apiKey={limited} onOpenChange={(open) => !open && setLimited(null)} />
    </Card>
  )
}
