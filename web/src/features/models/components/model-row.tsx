import { memo } from 'react'
import { Badge } from '@/components/ui/badge'
import { formatBytes, formatTokenCount } from '@/lib/format'
import { cn } from '@/lib/utils'
import type { Model } from '../types'
import { errorReason } from '../utils/catalog-view'
import { HostChip } from './host-chip'
import { type ModelActionHandlers, ModelRowActions } from './model-row-actions'
import { ModelStatusBadge } from './model-status-badge'

export interface ModelRowProps extends ModelActionHandlers {
  model: Model
  canManage: boolean
  busy: boolean
  /** The time "expires in" counts from; the list ticks it for every row at once. */
  now: number
}

function keepTogether(text: string): string {
  return text.replaceAll(' ', '\u00a0')
}

function facts(model: Model): string[] {
  return [
    model.family,
    model.parameterSize ? `${model.parameterSize} params` : null,
    model.quantization,
    model.contextLength ? `${formatTokenCount(model.contextLength)} context` : null,
    model.sizeBytes ? formatBytes(model.sizeBytes) : null,
  ].filter((fact): fact is string => Boolean(fact))
}

/** One model: status, name, what it is, where it runs, and (for admins) what can be done. */
export const ModelRow = memo(function ModelRow({ model, canManage, busy, now, ...handlers }: ModelRowProps) {
  const reason = model.status === 'error' ? errorReason(model) : null
  const renamed = model.displayName !== model.name
  return (
    <div
      data-testid="model-row"
      data-model-name={model.name}
      className={cn(
        'grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-1.5 border-b px-4 py-3 transition-colors hover:bg-muted/30 sm:grid-cols-[6.75rem_minmax(0,1fr)_auto] sm:gap-x-4',
        canManage
          ? "[grid-template-areas:'status_name'_'info_info'_'actions_actions'] sm:[grid-template-areas:'status_name_actions'_'status_info_actions']"
          : "[grid-template-areas:'status_name'_'info_info'] sm:[grid-template-areas:'status_name_name'_'status_info_info']",
      )}
    >
      <div className="flex items-center [grid-area:status] sm:items-start sm:pt-0.5">
        <ModelStatusBadge status={model.status} reason={reason} />
      </div>
      <div className="flex min-w-0 items-baseline gap-2 [grid-area:name]">
        <button
          type="button"
          className="min-w-0 cursor-pointer truncate text-left font-medium text-sm hover:underline"
          onClick={() => handlers.onOpen(model)}
        >
          {model.displayName}
        </button>
        {renamed ? (
          <span className="truncate font-mono text-muted-foreground text-xs">{model.name}</span>
        ) : null}
      </div>
      <div className="grid min-w-0 gap-1.5 [grid-area:info]">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-muted-foreground text-xs">
          {/* One text run: lines break after a separator, never inside a fact. */}
          <span>{facts(model).map(keepTogether).join('\u00a0· ')}</span>
          {model.capabilities.map((capability) => (
            <Badge key={capability} variant="secondary" className="px-1.5 py-0 font-normal text-[11px]">
              {capability}
            </Badge>
          ))}
        </div>
        {model.hosts.length > 0 ? (
          <div className="flex flex-wrap gap-1.5">
            {model.hosts.map((host) => (
              <HostChip key={host.providerId} host={host} now={now} />
            ))}
          </div>
        ) : null}
        {reason ? (
          <p className="text-destructive text-xs" data-testid="model-error">
            {reason}
          </p>
        ) : null}
      </div>
      {canManage ? (
        <div className="flex pt-1 [grid-area:actions] sm:justify-end sm:pt-0">
          <ModelRowActions model={model} busy={busy} {...handlers} />
        </div>
      ) : null}
    </div>
  )
})
