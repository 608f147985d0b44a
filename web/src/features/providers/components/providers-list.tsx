import { CircleAlert, CircleCheck, Pencil, Plug, Plus, Trash2 } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { FormError } from '@/components/form-error'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Switch } from '@/components/ui/switch'
import { formatMs, formatRelative } from '@/lib/format'
import { useDeleteProvider, useProviders, useTestProvider, useUpdateProvider } from '../api/providers'
import { KIND_INFO, type Provider } from '../types'
import { ProviderFormDialog } from './provider-form-dialog'

function ProviderStatus({ provider }: { provider: Provider }) {
  if (!provider.enabled)
    return (
      <Badge variant="outline" className="text-muted-foreground">
        Disabled
      </Badge>
    )
  if (provider.status === 'ok')
    return (
      <Badge variant="success" data-testid="provider-status" data-status="ok">
        Connected{provider.latencyMs !== null ? ` · ${formatMs(provider.latencyMs)}` : ''}
      </Badge>
    )
  if (provider.status === 'unreachable')
    return (
      <Badge variant="destructive" data-testid="provider-status" data-status="unreachable">
        Unreachable
      </Badge>
    )
  return (
    <Badge variant="secondary" data-testid="provider-status" data-status="unknown">
      Not checked yet
    </Badge>
  )
}

function ProviderRow({
  provider,
  onEdit,
  onDelete,
}: {
  provider: Provider
  onEdit: (provider: Provider) => void
  onDelete: (provider: Provider) => void
}) {
  const test = useTestProvider()
  const update = useUpdateProvider()
  // The embedded engine is part of Web+: it can be turned off, not edited or removed.
  const editable = provider.kind !== 'embedded'
  return (
    <li
      className="grid gap-3 border-b px-4 py-4 last:border-b-0"
      data-testid="provider-row"
      data-provider-name={provider.name}
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="grid min-w-0 gap-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{provider.name}</span>
            <Badge variant="secondary" className="font-normal">
              {KIND_INFO[provider.kind].label}
            </Badge>
            <ProviderStatus provider={provider} />
          </div>
          <p className="truncate font-mono text-muted-foreground text-xs" title={provider.baseUrl}>
            {provider.baseUrl || '—'}
          </p>
          <p className="text-muted-foreground text-xs">
            API key: {provider.apiKey.set ? `set · …${provider.apiKey.last4 ?? ''}` : 'none'} · checked{' '}
            {formatRelative(provider.checkedAt).toLowerCase()}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <div className="flex items-center gap-2 pr-1">
            <Switch
              id={`enabled-${provider.id}`}
              checked={provider.enabled}
              disabled={update.isPending}
              aria-label={`Enable ${provider.name}`}
              onCheckedChange={(enabled) => update.mutate({ id: provider.id, change: { enabled } })}
            />
            <label
              htmlFor={`enabled-${provider.id}`}
              className="text-muted-foreground text-sm"
              aria-hidden="true"
            >
              Enabled
            </label>
          </div>
          <Button
            variant="outline"
            size="sm"
            pending={test.isPending}
            onClick={() => test.mutate(provider.id)}
            aria-label={`Test connection to ${provider.name}`}
          >
            {test.isPending ? null : <Plug aria-hidden="true" />}
            Test connection
          </Button>
          {editable ? (
            <>
              <Button
                variant="ghost"
                size="icon"
                className="size-8"
                aria-label={`Edit ${provider.name}`}
                onClick={() => onEdit(provider)}
              >
                <Pencil aria-hidden="true" />
              </Button>
              <Button
                variant="ghost"
                size="icon"
                className="size-8 text-destructive hover:text-destructive"
                aria-label={`Delete ${provider.name}`}
                onClick={() => onDelete(provider)}
              >
                <Trash2 aria-hidden="true" />
              </Button>
            </>
          ) : null}
        </div>
      </div>
      {provider.status === 'unreachable' && provider.lastError && !test.data ? (
        <p className="text-destructive text-xs" data-testid="provider-last-error">
          {provider.lastError}
        </p>
      ) : null}
      <output aria-live="polite" className="contents">
        {test.data ? (
          <p
            className={
              test.data.ok
                ? 'flex items-center gap-1.5 text-sm text-success'
                : 'flex items-start gap-1.5 text-destructive text-sm'
            }
            data-testid="connection-test-result"
            data-ok={test.data.ok}
          >
            {test.data.ok ? (
              <CircleCheck className="size-4 shrink-0" aria-hidden="true" />
            ) : (
              <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
            )}
            {test.data.ok
              ? `Connected in ${formatMs(test.data.latencyMs)}.`
              : `Failed after ${formatMs(test.data.latencyMs)}: ${test.data.error ?? 'no answer'}`}
          </p>
        ) : null}
      </output>
      <FormError error={test.error} title="Could not run the test" />
      <FormError error={update.error} title="Could not change the provider" />
    </li>
  )
}

/** The providers admin list: health, latency, last error; add, edit, enable, test, delete. */
export function ProvidersList() {
  const providers = useProviders({ poll: true })
  const remove = useDeleteProvider()
  const [formOpen, setFormOpen] = useState(false)
  const [editing, setEditing] = useState<Provider | undefined>(undefined)
  const [deleting, setDeleting] = useState<Provider | null>(null)

  function openForm(provider?: Provider) {
    setEditing(provider)
    setFormOpen(true)
  }

  function closeDelete() {
    setDeleting(null)
    remove.reset()
  }

  return (
    <Card className="gap-0 py-0">
      <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
        <div className="grid gap-1">
          <h2 className="font-semibold leading-snug">Providers</h2>
          <p className="text-muted-foreground text-sm">
            The backends Web+ serves models from. API keys are encrypted at rest and never shown again.
          </p>
        </div>
        <Button onClick={() => openForm()} className="shrink-0">
          <Plus aria-hidden="true" />
          Add provider
        </Button>
      </div>
      {providers.isError ? (
        <div className="p-4">
          <FormError error={providers.error} title="Could not load the providers" />
        </div>
      ) : providers.isPending ? (
        <div className="grid gap-2 p-4">
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
        </div>
      ) : providers.data.length === 0 ? (
        <p className="px-4 py-10 text-center text-muted-foreground text-sm">
          No providers yet. Add an Ollama host or an API provider to see its models.
        </p>
      ) : (
        <ul aria-label="Providers">
          {providers.data.map((provider) => (
            <ProviderRow key={provider.id} provider={provider} onEdit={openForm} onDelete={setDeleting} />
          ))}
        </ul>
      )}
      <ProviderFormDialog open={formOpen} onOpenChange={setFormOpen} provider={editing} />
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => {
          if (!open) closeDelete()
        }}
        title={deleting ? `Delete ${deleting.name}?` : ''}
        description="Web+ stops serving its models and destroys its stored API key. The models themselves stay on the host; adding the provider again brings them back."
        confirmLabel="Delete provider"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (deleting) remove.mutate(deleting.id, { onSuccess: closeDelete })
        }}
      />
    </Card>
  )
}
