// Your own model usage: totals over a window, then per model and per API key (calls made while
// signed in, i.e. chat, are their own row). Costs follow the admins' price table.
import { useState } from 'react'
import { FormError } from '@/components/form-error'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { WindowPicker } from '@/components/window-picker'
import { formatCompact, formatCost } from '@/lib/format'
import { cn } from '@/lib/utils'
import { USAGE_WINDOWS, type UsageTotals, type UsageWindow, useMyUsage } from '../api/usage'

const WINDOW_WORDS: Record<UsageWindow, string> = {
  '24h': 'last 24 hours',
  '7d': 'last 7 days',
  '30d': 'last 30 days',
}

function Figures({ totals }: { totals: UsageTotals }) {
  const figures = [
    ['Requests', formatCompact(totals.requests)],
    ['Errors', formatCompact(totals.errors)],
    ['Tokens in', formatCompact(totals.inputTokens)],
    ['Tokens out', formatCompact(totals.outputTokens)],
    ['Cost', formatCost(totals.cost)],
  ]
  return (
    <dl className="grid grid-cols-2 gap-2 sm:grid-cols-5" data-testid="usage-totals">
      {figures.map(([label, value]) => (
        <div key={label} className="grid gap-0.5 rounded-lg border p-2.5">
          <dt className="text-muted-foreground text-xs">{label}</dt>
          <dd className="font-semibold text-base tabular-nums">{value}</dd>
        </div>
      ))}
    </dl>
  )
}

function Breakdown({
  title,
  rows,
}: {
  title: string
  rows: Array<UsageTotals & { key: string; label: string }>
}) {
  return (
    <Table aria-label={title}>
      <TableHeader>
        <TableRow>
          <TableHead>{title}</TableHead>
          <TableHead className="text-right">Requests</TableHead>
          <TableHead className="text-right">Tokens in</TableHead>
          <TableHead className="text-right">Tokens out</TableHead>
          <TableHead className="text-right">Cost</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell className="max-w-56 truncate font-medium">{row.label}</TableCell>
            <TableCell className="whitespace-nowrap text-right tabular-nums">
              {formatCompact(row.requests)}
              {row.errors > 0 ? (
                <span className="text-destructive"> ({formatCompact(row.errors)} failed)</span>
              ) : null}
            </TableCell>
            <TableCell className="whitespace-nowrap text-right tabular-nums">
              {formatCompact(row.inputTokens)}
            </TableCell>
            <TableCell className="whitespace-nowrap text-right tabular-nums">
              {formatCompact(row.outputTokens)}
            </TableCell>
            <TableCell className="whitespace-nowrap text-right tabular-nums">
              {formatCost(row.cost)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

export function UsageReport() {
  const [span, setSpan] = useState<UsageWindow>('24h')
  const usage = useMyUsage(span)
  const report = usage.data
  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle>Usage</CardTitle>
          <CardDescription>
            Your calls to models: chat, and the OpenAI-compatible API with your keys.
          </CardDescription>
        </div>
        <WindowPicker options={USAGE_WINDOWS} value={span} onChange={setSpan} />
      </CardHeader>
      <CardContent className={cn('grid gap-6', usage.isPlaceholderData && 'opacity-60 transition-opacity')}>
        {usage.isError ? <FormError error={usage.error} title="Could not load your usage" /> : null}
        {report ? (
          <>
            <Figures totals={report.totals} />
            {report.totals.requests === 0 ? (
              <p className="text-muted-foreground text-sm">No calls in the {WINDOW_WORDS[span]}.</p>
            ) : (
              <>
                <Breakdown
                  title="Model"
                  rows={report.byModel.map((row) => ({
                    ...row,
                    key: row.modelId ?? row.model,
                    label: row.model,
                  }))}
                />
                <Breakdown
                  title="Used with"
                  rows={report.byKey.map((row) => ({
                    ...row,
                    key: row.apiKeyId ?? 'session',
                    label: row.apiKeyId ? `API key: ${row.name ?? 'revoked key'}` : 'Signed in (chat)',
                  }))}
                />
              </>
            )}
          </>
        ) : usage.isPending ? (
          <div className="grid gap-2">
            <Skeleton className="h-16" />
            <Skeleton className="h-32" />
          </div>
        ) : null}
      </CardContent>
    </Card>
  )
}
