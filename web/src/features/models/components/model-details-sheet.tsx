import { lazy, Suspense } from 'react'
import { Badge } from '@/components/ui/badge'
import { Separator } from '@/components/ui/separator'
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet'
import { Skeleton } from '@/components/ui/skeleton'
import { formatBytes, formatCost, formatTokenCount } from '@/lib/format'
import type { Model } from '../types'
import { errorReason } from '../utils/catalog-view'
import { type HostActionHandlers, ModelHostsTable } from './model-hosts-table'
import { ModelSettingsForm } from './model-settings-form'
import { ModelStatusBadge } from './model-status-badge'

// The charts pull in recharts: load them only when a drawer opens.
const ModelMetricsPanel = lazy(() => import('./model-metrics-panel'))

const KIND_LABELS: Record<Model['kind'], string> = {
  ollama: 'Ollama',
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  'openai-compatible': 'OpenAI-compatible',
  embedded: 'Embedded engine',
}

function Facts({ model }: { model: Model }) {
  const rows: [string, string][] = [
    ['Backend', KIND_LABELS[model.kind]],
    ['Family', model.family ?? '—'],
    ['Parameters', model.parameterSize ?? '—'],
    ['Quantization', model.quantization ?? '—'],
    ['Context length', model.contextLength ? `${formatTokenCount(model.contextLength)} tokens` : '—'],
    ['Size on disk', formatBytes(model.sizeBytes)],
    [
      'Price per 1M tokens',
      `${formatCost(model.pricing.inputPerMTok)} in · ${formatCost(model.pricing.outputPerMTok)} out`,
    ],
    ['Allowed roles', model.allowedRoles.length ? model.allowedRoles.join(', ') : 'admins only'],
  ]
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-3 text-sm sm:grid-cols-3">
      {rows.map(([label, value]) => (
        <div key={label} className="grid min-w-0 gap-0.5">
          <dt className="text-muted-foreground text-xs">{label}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
      <div className="col-span-full grid gap-1">
        <dt className="text-muted-foreground text-xs">Capabilities</dt>
        <dd className="flex flex-wrap gap-1">
          {model.capabilities.length ? (
            model.capabilities.map((capability) => (
              <Badge key={capability} variant="secondary" className="font-normal">
                {capability}
              </Badge>
            ))
          ) : (
            <span>—</span>
          )}
        </dd>
      </div>
    </dl>
  )
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-3">
      <h3 className="font-semibold text-sm">{title}</h3>
      {children}
    </section>
  )
}

/** A model's details: what it is, where it runs, how it is used, and (admins) its settings. */
export function ModelDetailsSheet({
  model,
  open,
  onOpenChange,
  canManage,
  busy,
  now,
  ...handlers
}: HostActionHandlers & {
  model: Model | undefined
  open: boolean
  onOpenChange: (open: boolean) => void
  canManage: boolean
  busy: boolean
  now: number
}) {
  return (
    <Sheet open={open && model !== undefined} onOpenChange={onOpenChange}>
      <SheetContent side="right" className="gap-0 overflow-y-auto" data-testid="model-details">
        {model ? (
          <>
            <div className="grid gap-2 border-b px-5 py-4 pr-12">
              <SheetTitle className="truncate text-lg">{model.displayName}</SheetTitle>
              <SheetDescription className="flex flex-wrap items-center gap-2">
                <ModelStatusBadge status={model.status} reason={errorReason(model)} />
                <span className="font-mono text-xs">{model.name}</span>
              </SheetDescription>
            </div>
            <div className="grid gap-6 px-5 py-5">
              <Facts model={model} />
              <Separator />
              <Section title="Hosts">
                <ModelHostsTable model={model} canManage={canManage} busy={busy} now={now} {...handlers} />
              </Section>
              <Separator />
              <Suspense
                fallback={
                  <div className="grid gap-2">
                    <Skeleton className="h-16" />
                    <Skeleton className="h-40" />
                  </div>
                }
              >
                <ModelMetricsPanel modelId={model.id} />
              </Suspense>
              {canManage ? (
                <>
                  <Separator />
                  <Section title="Settings">
                    <ModelSettingsForm key={model.id} model={model} />
                  </Section>
                </>
              ) : null}
            </div>
          </>
        ) : null}
      </SheetContent>
    </Sheet>
  )
}
