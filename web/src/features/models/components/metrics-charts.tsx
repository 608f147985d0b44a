// The drawer's charts (recharts, loaded with the drawer's metrics chunk only). Chart children
// are passed as plain elements, never inside fragments: recharts resolves react-is 17 here, whose
// isFragment does not recognise React 19 elements.
import type { ReactNode } from 'react'
import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts'
import { formatCompact, formatCost, formatMs } from '@/lib/format'
import type { MetricPoint, MetricWindow } from '../types'

const timeFormat: Record<MetricWindow, Intl.DateTimeFormat> = {
  '1h': new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  '24h': new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }),
  '7d': new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' }),
}
const tooltipTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

const axis = { stroke: 'var(--muted-foreground)', fontSize: 11, tickLine: false, axisLine: false } as const
const tooltipStyle = {
  contentStyle: {
    background: 'var(--popover)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--popover-foreground)',
    fontSize: 12,
  },
  labelStyle: { color: 'var(--muted-foreground)' },
  cursor: { fill: 'var(--muted)', opacity: 0.5 },
}

function ChartCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <figure className="grid gap-2 rounded-lg border p-3">
      <figcaption className="font-medium text-sm">{title}</figcaption>
      {children}
    </figure>
  )
}

interface ChartProps {
  series: MetricPoint[]
  metricWindow: MetricWindow
}

function Frame({
  series,
  metricWindow,
  children,
  right,
  format,
}: ChartProps & { children: ReactNode; right?: boolean; format?: (value: number) => string }) {
  return (
    <ComposedChart
      responsive
      style={{ width: '100%', height: 170 }}
      data={series}
      margin={{ top: 4, right: right ? 0 : 4, bottom: 0, left: 0 }}
    >
      <CartesianGrid vertical={false} stroke="var(--border)" />
      <XAxis
        dataKey="t"
        {...axis}
        minTickGap={24}
        tickFormatter={(value: string) => timeFormat[metricWindow].format(new Date(value))}
      />
      <YAxis
        yAxisId="left"
        {...axis}
        width={44}
        tickFormatter={format ?? formatCompact}
        allowDecimals={false}
      />
      {right ? (
        <YAxis yAxisId="right" orientation="right" {...axis} width={52} tickFormatter={formatCost} />
      ) : null}
      <Tooltip
        {...tooltipStyle}
        labelFormatter={(value) => tooltipTime.format(new Date(String(value)))}
        formatter={(value, name) => [
          typeof value === 'number'
            ? name === 'Cost'
              ? formatCost(value)
              : format && !String(name).startsWith('Tokens')
                ? format(value)
                : formatCompact(value)
            : String(value),
          name,
        ]}
      />
      <Legend iconSize={10} wrapperStyle={{ fontSize: 12 }} />
      {children}
    </ComposedChart>
  )
}

export function MetricsCharts({ series, metricWindow }: ChartProps) {
  const common = { isAnimationActive: false, yAxisId: 'left' } as const
  return (
    <div className="grid gap-3">
      <ChartCard title="Requests and errors">
        <Frame series={series} metricWindow={metricWindow}>
          <Bar {...common} dataKey="requests" name="Requests" fill="var(--chart-1)" radius={[2, 2, 0, 0]} />
          <Bar {...common} dataKey="errors" name="Errors" fill="var(--destructive)" radius={[2, 2, 0, 0]} />
        </Frame>
      </ChartCard>
      <ChartCard title="Latency and time to first token (p50)">
        <Frame series={series} metricWindow={metricWindow} format={formatMs}>
          <Line
            {...common}
            dataKey="latencyP50Ms"
            name="Latency"
            stroke="var(--chart-2)"
            strokeWidth={2}
            dot={false}
            connectNulls
          />
          <Line
            {...common}
            dataKey="ttftP50Ms"
            name="Time to first token"
            stroke="var(--chart-3)"
            strokeWidth={2}
            dot={false}
            connectNulls
          />
        </Frame>
      </ChartCard>
      <ChartCard title="Tokens per second">
        <Frame series={series} metricWindow={metricWindow}>
          <Line
            {...common}
            dataKey="tokensPerSecond"
            name="Tokens/s"
            stroke="var(--chart-4)"
            strokeWidth={2}
            dot={false}
            connectNulls
          />
        </Frame>
      </ChartCard>
      <ChartCard title="Tokens in and out, and cost">
        <Frame series={series} metricWindow={metricWindow} right>
          <Bar {...common} dataKey="inputTokens" name="Tokens in" stackId="tokens" fill="var(--chart-1)" />
          <Bar {...common} dataKey="outputTokens" name="Tokens out" stackId="tokens" fill="var(--chart-2)" />
          <Line
            isAnimationActive={false}
            yAxisId="right"
            dataKey="cost"
            name="Cost"
            stroke="var(--chart-3)"
            strokeWidth={2}
            dot={false}
          />
        </Frame>
      </ChartCard>
    </div>
  )
}
