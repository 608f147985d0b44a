import { cn } from '@/lib/utils'
import type { ModelStatus } from '../types'
import { STATUS_META } from './status-meta'

/** A model's aggregate status; `reason` (an error's text) shows on hover and to screen readers. */
export function ModelStatusBadge({
  status,
  reason,
  className,
  testId = 'model-status',
}: {
  status: ModelStatus
  reason?: string | null
  className?: string
  /** `model-status` for a model's aggregate status, `host-status` for one host's. */
  testId?: string
}) {
  const meta = STATUS_META[status]
  const Icon = meta.icon
  return (
    <span
      data-testid={testId}
      data-status={status}
      title={reason ?? undefined}
      className={cn(
        'inline-flex w-fit shrink-0 items-center gap-1.5 whitespace-nowrap rounded-md border px-2 py-0.5 font-medium text-xs',
        meta.badge,
        className,
      )}
    >
      <Icon className={cn('size-3.5 shrink-0', meta.iconMotion)} aria-hidden="true" />
      {meta.label}
      {reason ? <span className="sr-only">: {reason}</span> : null}
    </span>
  )
}
