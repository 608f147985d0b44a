// Usage of one model over a window: summary figures and charts. Loaded on demand with the
// details drawer, so the charting library stays out of the first download.
import { useState } from 'react'
import { FormError } from '@/components/form-error'
import { Skeleton } from '@/components/ui/skeleton'
import { WindowPicker } from '@/components/window-picker'
import { formatCompact, formatCost, formatMs, formatPercent } from '@/lib/format'
import { cn } from '@/lib/utils'
import { useModelMetrics } from '../api/model-metrics'
import { METRIC_WINDOWS, type MetricWindow, type ModelMetrics } from '../types'
import { MetricsCharts } from './metrics-charts'

const WINDOW_LABELS: Record<MetricWindow, string> = {
  '1h': 'last hour',
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
}

function rate(value: number): string {
  return value === 0 ? '0' : value < 10 ? value.toFixed(2) : Math.round(value).toString()
}

function figures(metrics: ModelMetrics): { label: string; value: string; detail?: string }[] {
  return [
    {
      label: 'Requests/min',
      value: rate(metrics.requestsPerMinute),
      detail: `${formatCompact(metrics.requests)} requests`,
    },
    { label: 'Error rate', value: formatPercent(metrics.requests ? metrics.errorRate : null) },
    {
      label: 'Latency p50',
      value: formatMs(metrics.latencyMs.p50),
      detail: `p95 ${formatMs(metrics.latencyMs.p95)}`,
    },
    {
      label: 'First token p50',
      value: formatMs(metrics.ttftMs.p50),
      detail: `p95 ${formatMs(metrics.ttftMs.p95)}`,
    },
    {
      label: 'Tokens/s',
      value: metrics.tokensPerSecond === null ? '—' : metrics.tokensPerSecond.toFixed(1),
    },
    {
      label: 'Tokens',
      value: formatCompact(metrics.inputTokens + metrics.outputTokens),
      detail: `${formatCompact(metrics.inputTokens)} in · ${formatCompact(metrics.outputTokens)} out`,
    },
    { label: 'Cost', value: formatCost(metrics.cost) },
  ]
}

export default function ModelMetricsPanel({ modelId }: { modelId: string }) {
  const [metricWindow, setMetricWindow] = useState<MetricWindow>('24h')
  const metrics = useModelMetrics(modelId, metricWindow)

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold text-sm">Usage</h3>
        <WindowPicker options={METRIC_WINDOWS} value={metricWindow} onChange={setMetricWindow} />
      </div>
      {metrics.isError ? <FormError error={metrics.error} title="Could not load the usage figures" /> : null}
      {metrics.data ? (
        <>
          <dl
            className={cn(
              'grid grid-cols-2 gap-2 sm:grid-cols-4',
              metrics.isPlaceholderData && 'opacity-60 transition-opacity',
            )}
            data-testid="model-metrics"
          >
            {figures(metrics.data).map((figure) => (
              <div key={figure.label} className="grid gap-0.5 rounded-lg border p-2.5">
                <dt className="text-muted-foreground text-xs">{figure.label}</dt>
                <dd className="font-semibold text-base tabular-nums">{figure.value}</dd>
                {figure.detail ? (
                  <dd className="text-muted-foreground text-xs tabular-nums">{figure.detail}</dd>
                ) : null}
              </div>
            ))}
          </dl>
          {metrics.data.requests === 0 ? (
            <p className="text-muted-foreground text-sm">
              No calls to this model in the {WINDOW_LABELS[metricWindow]}. Figures appear once it is used in
              Chat, through the API or by a pipeline.
            </p>
          ) : null}
          <MetricsCharts series={metrics.data.series} metricWindow={metrics.data.window} />
        </>
      ) : metrics.isPending ? (
        <div className="grid gap-2">
          <Skeleton className="h-16" />
          <Skeleton className="h-40" />
        </div>
      ) : null}
    </div>
  )
}
