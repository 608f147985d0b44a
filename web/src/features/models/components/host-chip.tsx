import { formatBytes } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { ModelHost } from '../types'
import { describeExpiry } from '../utils/catalog-view'
import { STATUS_META } from './status-meta'

/** One host's view of a model: its status and, once loaded, memory and when it unloads. */
export function HostChip({ host, now }: { host: ModelHost; now: number }) {
  const meta = STATUS_META[host.status]
  const loaded = host.status === 'loaded'
  const expiry = loaded ? describeExpiry(host.expiresAt, now) : null
  return (
    <span
      className="inline-flex max-w-full flex-wrap items-center gap-x-1.5 rounded-lg border bg-muted/40 px-2 py-0.5 text-xs"
      data-testid="host-chip"
      data-status={host.status}
      title={host.error ?? undefined}
    >
      <span className={cn('size-2 shrink-0 rounded-full', meta.dot)} aria-hidden="true" />
      <span className="truncate font-medium">{host.providerName}</span>
      <span className="text-muted-foreground">{meta.label.toLowerCase()}</span>
      {loaded && host.vramBytes !== null ? (
        <span className="whitespace-nowrap text-muted-foreground">· {formatBytes(host.vramBytes)} VRAM</span>
      ) : null}
      {expiry ? <span className="whitespace-nowrap text-muted-foreground">· {expiry}</span> : null}
    </span>
  )
}
