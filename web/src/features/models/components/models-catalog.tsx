// The Models page body: toolbar, pulls, the virtualized catalog, the details drawer and the
// admin actions (start/stop/delete). Pull hosts come from the route, which knows the providers.
import { useMutationState } from '@tanstack/react-query'
import { Boxes, RefreshCw, Search } from 'lucide-react'
import { useCallback, useDeferredValue, useMemo, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { FormError } from '@/components/form-error'
import { PageHeader } from '@/components/page-header'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Input } from '@/components/ui/input'
import { NativeSelect } from '@/components/ui/native-select'
import { Skeleton } from '@/components/ui/skeleton'
import {
  type ModelControl,
  modelControlKey,
  useControlModel,
  useDeleteModelFromHost,
  useModels,
  useRefreshModels,
} from '../api/models'
import { useNow } from '../hooks/use-now'
import type { Model, ModelHost, ModelStatus } from '../types'
import { countByStatus, filterModels, type StatusFilter } from '../utils/catalog-view'
import { ModelDetailsSheet } from './model-details-sheet'
import { ModelsList } from './models-list'
import { PullDialog, type PullHost } from './pull-dialog'
import { PullsPanel } from './pulls-panel'
import { STATUS_META } from './status-meta'

const FILTERABLE: ModelStatus[] = [
  'loaded',
  'loading',
  'unloading',
  'available',
  'pulling',
  'error',
  'unreachable',
  'no-host',
  'disabled',
]

function isStatusFilter(value: string): value is StatusFilter {
  return value === 'all' || (FILTERABLE as string[]).includes(value)
}

function EmptyState({ canManage, filtered }: { canManage: boolean; filtered: boolean }) {
  return (
    <div className="flex flex-col items-center gap-2 px-6 py-14 text-center text-muted-foreground text-sm">
      <Boxes className="size-6" aria-hidden="true" />
      {filtered ? (
        <p>No models match this search.</p>
      ) : canManage ? (
        <p>
          No models yet.{' '}
          <Link to="/admin/providers" className="font-medium text-foreground underline underline-offset-4">
            Connect a provider
          </Link>{' '}
          or pull a model onto an Ollama host.
        </p>
      ) : (
        <p>No models are available to you yet. An administrator can connect some.</p>
      )}
    </div>
  )
}

export function ModelsCatalog({
  canManage,
  pullHosts,
  hostName,
}: {
  canManage: boolean
  /** Ollama hosts a model can be pulled onto. */
  pullHosts: readonly PullHost[]
  hostName: (providerId: string) => string
}) {
  const models = useModels()
  const refresh = useRefreshModels()
  const control = useControlModel()
  const remove = useDeleteModelFromHost()
  const now = useNow(15_000)
  const [search, setSearch] = useState('')
  const [status, setStatus] = useState<StatusFilter>('all')
  const [pullOpen, setPullOpen] = useState(false)
  const [deleteTarget, setDeleteTarget] = useState<{ model: Model; host: ModelHost } | null>(null)
  const [params, setParams] = useSearchParams()
  const selectedId = params.get('model')
  const deferredSearch = useDeferredValue(search)

  const all = models.data ?? []
  const shown = useMemo(
    () => filterModels(all, { search: deferredSearch, status }),
    [all, deferredSearch, status],
  )
  const counts = useMemo(() => countByStatus(all), [all])
  const selected = selectedId ? all.find((model) => model.id === selectedId) : undefined

  const busyIds = useMutationState({
    filters: { mutationKey: modelControlKey, status: 'pending' },
    select: (mutation) => (mutation.state.variables as ModelControl | undefined)?.model.id ?? '',
  })
  const busy = useMemo(() => new Set(busyIds), [busyIds])

  const run = control.mutate
  const onStart = useCallback(
    (model: Model, keepAlive?: string, hostId?: string) => run({ action: 'start', model, keepAlive, hostId }),
    [run],
  )
  const onStop = useCallback((model: Model, hostId?: string) => run({ action: 'stop', model, hostId }), [run])
  const onDelete = useCallback((model: Model, host: ModelHost) => setDeleteTarget({ model, host }), [])
  const onOpen = useCallback(
    (model: Model) =>
      setParams((current) => {
        const next = new URLSearchParams(current)
        next.set('model', model.id)
        return next
      }),
    [setParams],
  )
  function closeDetails(open: boolean) {
    if (open) return
    setParams((current) => {
      const next = new URLSearchParams(current)
      next.delete('model')
      return next
    })
  }

  function closeDelete() {
    setDeleteTarget(null)
    remove.reset()
  }

  const failed = control.error ? control.variables : undefined
  const loaded = counts.loaded ?? 0

  return (
    <>
      <PageHeader
        title="Models"
        description="Every model on every connected backend, what is loaded where, and how each is doing."
        actions={
          canManage ? (
            <>
              <Button
                variant="outline"
                onClick={() => refresh.mutate()}
                pending={refresh.isPending}
                aria-label="Refresh models"
              >
                {refresh.isPending ? null : <RefreshCw aria-hidden="true" />}
                <span className="hidden sm:inline">Refresh</span>
              </Button>
              <PullDialog hosts={pullHosts} open={pullOpen} onOpenChange={setPullOpen} />
            </>
          ) : null
        }
      />
      {canManage && !pullOpen ? <PullsPanel hostName={hostName} now={now} /> : null}
      <FormError error={refresh.error} title="Could not refresh the models" />
      {failed ? (
        <FormError error={control.error} title={`Could not ${failed.action} ${failed.model.name}`} />
      ) : null}
      <Card className="gap-0 overflow-hidden py-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center">
          <div className="relative w-full sm:max-w-xs">
            <Search
              className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
              aria-hidden="true"
            />
            <Input
              type="search"
              placeholder="Search name, family, host…"
              aria-label="Search models"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              className="pl-8"
            />
          </div>
          <NativeSelect
            aria-label="Filter by status"
            value={status}
            onChange={(event) => {
              if (isStatusFilter(event.target.value)) setStatus(event.target.value)
            }}
            className="sm:w-44"
          >
            <option value="all">All statuses ({all.length})</option>
            {FILTERABLE.map((value) => (
              <option key={value} value={value}>
                {STATUS_META[value].label} ({counts[value] ?? 0})
              </option>
            ))}
          </NativeSelect>
          <output className="text-muted-foreground text-sm sm:ml-auto" aria-live="polite">
            {models.isPending
              ? 'Loading…'
              : `${shown.length === all.length ? all.length : `${shown.length} of ${all.length}`} ${all.length === 1 ? 'model' : 'models'} · ${loaded} loaded`}
          </output>
        </div>
        {models.isError ? (
          <div className="p-4">
            <FormError error={models.error} title="Could not load the models" />
          </div>
        ) : models.isPending ? (
          <div className="grid gap-2 p-4">
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
            <Skeleton className="h-16" />
          </div>
        ) : shown.length === 0 ? (
          <EmptyState canManage={canManage} filtered={all.length > 0} />
        ) : (
          <ModelsList
            models={shown}
            canManage={canManage}
            busyModelIds={busy}
            now={now}
            onOpen={onOpen}
            onStart={onStart}
            onStop={onStop}
            onDelete={onDelete}
          />
        )}
      </Card>
      <ModelDetailsSheet
        model={selected}
        open={selectedId !== null}
        onOpenChange={closeDetails}
        canManage={canManage}
        busy={selected ? busy.has(selected.id) : false}
        now={now}
        onStart={onStart}
        onStop={onStop}
        onDelete={onDelete}
      />
      <ConfirmDialog
        open={deleteTarget !== null}
        onOpenChange={(open) => {
          if (!open) closeDelete()
        }}
        title={
          deleteTarget ? `Delete ${deleteTarget.model.name} from ${deleteTarget.host.providerName}?` : ''
        }
        description={
          deleteTarget ? (
            <>
              This removes the model's files from <strong>{deleteTarget.host.providerName}</strong>. Other
              hosts keep their copy; pulling it again downloads it anew.
            </>
          ) : null
        }
        confirmLabel="Delete model"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (!deleteTarget) return
          remove.mutate(
            { providerId: deleteTarget.host.providerId, name: deleteTarget.model.name },
            { onSuccess: closeDelete },
          )
        }}
      />
    </>
  )
}
