import { Play, Square, Trash2 } from 'lucide-react'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatBytes } from '@/lib/format'
import { isLocalKind, type Model, type ModelHost } from '../types'
import { describeExpiry } from '../utils/catalog-view'
import { ModelStatusBadge } from './model-status-badge'

export interface HostActionHandlers {
  onStart?: (model: Model, keepAlive?: string, hostId?: string) => void
  onStop?: (model: Model, hostId?: string) => void
  onDelete?: (model: Model, host: ModelHost) => void
}

/** A model on each of its hosts: status, memory once loaded, expiry; per-host actions for admins. */
export function ModelHostsTable({
  model,
  canManage,
  busy,
  now,
  onStart,
  onStop,
  onDelete,
}: HostActionHandlers & { model: Model; canManage: boolean; busy: boolean; now: number }) {
  if (model.hosts.length === 0) {
    return <p className="text-muted-foreground text-sm">No connected host has this model now.</p>
  }
  const local = isLocalKind(model.kind)
  const manageHosts = canManage && local
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-0">Host</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Memory</TableHead>
          <TableHead>Unloads</TableHead>
          {manageHosts ? (
            <TableHead className="pr-0 text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {model.hosts.map((host) => {
          const loaded = host.status === 'loaded'
          return (
            <TableRow key={host.providerId} data-testid="model-host-row">
              <TableCell className="whitespace-nowrap pl-0 font-medium">{host.providerName}</TableCell>
              <TableCell>
                <div className="grid gap-1">
                  <ModelStatusBadge status={host.status} reason={host.error} testId="host-status" />
                  {host.error ? (
                    <span className="max-w-56 whitespace-normal text-destructive text-xs">{host.error}</span>
                  ) : null}
                </div>
              </TableCell>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                {loaded && host.vramBytes !== null
                  ? `${formatBytes(host.vramBytes)} VRAM`
                  : formatBytes(host.sizeBytes ?? model.sizeBytes)}
              </TableCell>
              <TableCell className="whitespace-nowrap text-muted-foreground">
                {loaded ? (describeExpiry(host.expiresAt, now) ?? '—') : '—'}
              </TableCell>
              {manageHosts ? (
                <TableCell className="pr-0">
                  <div className="flex justify-end gap-1">
                    {loaded || host.status === 'unloading' ? (
                      <Button
                        variant="outline"
                        size="sm"
                        pending={busy || host.status === 'unloading'}
                        aria-label={`Stop ${model.name} on ${host.providerName}`}
                        onClick={() => onStop?.(model, host.providerId)}
                      >
                        <Square aria-hidden="true" />
                        Stop
                      </Button>
                    ) : (
                      <Button
                        variant="outline"
                        size="sm"
                        pending={busy || host.status === 'loading'}
                        disabled={host.status === 'pulling' || host.status === 'unreachable'}
                        aria-label={`Start ${model.name} on ${host.providerName}`}
                        onClick={() => onStart?.(model, undefined, host.providerId)}
                      >
                        <Play aria-hidden="true" />
                        Start
                      </Button>
                    )}
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-8 text-destructive hover:text-destructive"
                      disabled={host.status === 'pulling'}
                      aria-label={`Delete ${model.name} from ${host.providerName}`}
                      onClick={() => onDelete?.(model, host)}
                    >
                      <Trash2 aria-hidden="true" />
                    </Button>
                  </div>
                </TableCell>
              ) : null}
            </TableRow>
          )
        })}
      </TableBody>
    </Table>
  )
}
