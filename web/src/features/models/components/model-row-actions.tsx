import { ChevronDown, Info, MoreHorizontal, Play, Square, Trash2 } from 'lucide-react'
import { DeferredDropdownMenu } from '@/components/deferred-dropdown-menu'
import { Button } from '@/components/ui/button'
import { DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator } from '@/components/ui/dropdown-menu'
import { isLocalKind, type Model, type ModelHost } from '../types'
import { KEEP_ALIVE_CHOICES } from '../utils/catalog-view'

export interface ModelActionHandlers {
  onOpen: (model: Model) => void
  onStart?: (model: Model, keepAlive?: string) => void
  onStop?: (model: Model) => void
  onDelete?: (model: Model, host: ModelHost) => void
}

/** An admin's buttons for one row: Start (with a keep-alive choice) or Stop, and a menu. */
export function ModelRowActions({
  model,
  busy,
  onOpen,
  onStart,
  onStop,
  onDelete,
}: ModelActionHandlers & { model: Model; busy: boolean }) {
  const local = isLocalKind(model.kind)
  const statuses = model.hosts.map((host) => host.status)
  const running = local ? statuses.includes('loaded') || statuses.includes('unloading') : model.enabled
  const loading = statuses.includes('loading')
  const noHost = model.hosts.length === 0
  const startLabel = local ? 'Start' : 'Enable'
  const stopLabel = local ? 'Stop' : 'Disable'
  const pending = busy || (running ? statuses.includes('unloading') : loading)

  return (
    <div className="flex items-center gap-1.5">
      {/* One button element that turns from Start into Stop, so keyboard focus stays on it. */}
      <div className="flex">
        <Button
          variant="outline"
          size="sm"
          className={local && !running ? 'rounded-r-none' : undefined}
          aria-label={`${running ? stopLabel : startLabel} ${model.name}`}
          pending={pending}
          disabled={!running && (noHost || statuses.includes('pulling'))}
          onClick={() => (running ? onStop?.(model) : onStart?.(model))}
        >
          {pending ? null : running ? <Square aria-hidden="true" /> : <Play aria-hidden="true" />}
          {running ? stopLabel : startLabel}
        </Button>
        {local && !running ? (
          <DeferredDropdownMenu
            trigger={
              <Button
                variant="outline"
                size="sm"
                className="-ml-px rounded-l-none px-1.5"
                aria-label={`Keep-alive options for ${model.name}`}
                disabled={busy || loading || noHost || statuses.includes('pulling')}
              >
                <ChevronDown aria-hidden="true" />
              </Button>
            }
          >
            <DropdownMenuLabel className="text-muted-foreground text-xs">
              Start and keep loaded for
            </DropdownMenuLabel>
            {KEEP_ALIVE_CHOICES.map((choice) => (
              <DropdownMenuItem key={choice.value} onSelect={() => onStart?.(model, choice.value)}>
                {choice.label}
              </DropdownMenuItem>
            ))}
          </DeferredDropdownMenu>
        ) : null}
      </div>
      <DeferredDropdownMenu
        contentClassName="min-w-48"
        trigger={
          <Button
            variant="ghost"
            size="icon"
            className="size-8"
            aria-label={`More actions for ${model.name}`}
          >
            <MoreHorizontal aria-hidden="true" />
          </Button>
        }
      >
        <DropdownMenuItem onSelect={() => onOpen(model)}>
          <Info aria-hidden="true" />
          Details and settings
        </DropdownMenuItem>
        {local && model.hosts.length > 0 ? <DropdownMenuSeparator /> : null}
        {local
          ? model.hosts.map((host) => (
              <DropdownMenuItem
                key={host.providerId}
                variant="destructive"
                disabled={host.status === 'pulling'}
                onSelect={() => onDelete?.(model, host)}
              >
                <Trash2 aria-hidden="true" />
                Delete from {host.providerName}
              </DropdownMenuItem>
            ))
          : null}
      </DeferredDropdownMenu>
    </div>
  )
}
