import { ChevronDown, ChevronRight } from 'lucide-react'
import { Fragment, useState } from 'react'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table'
import { formatDateTime } from '@/lib/format'
import type { AuditEvent } from '../api/audit-log'

function target(event: AuditEvent): string {
  if (!event.targetType && !event.targetId) return '—'
  return [event.targetType, event.targetId].filter(Boolean).join(' ')
}

export function AuditTable({ events }: { events: AuditEvent[] }) {
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set())

  function toggle(seq: number) {
    setExpanded((current) => {
      const next = new Set(current)
      if (!next.delete(seq)) next.add(seq)
      return next
    })
  }

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="pl-4">#</TableHead>
          <TableHead>Time</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Outcome</TableHead>
          <TableHead className="pr-4">
            <span className="sr-only">Details</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {events.map((event) => {
          const open = expanded.has(event.seq)
          const hasDetails = Object.keys(event.details).length > 0
          return (
            <Fragment key={event.seq}>
              <TableRow data-testid="audit-row">
                <TableCell className="pl-4 font-mono text-muted-foreground text-xs">{event.seq}</TableCell>
                <TableCell className="whitespace-nowrap">{formatDateTime(event.at)}</TableCell>
                <TableCell className="font-mono text-xs">{event.action}</TableCell>
                <TableCell>
                  <div className="grid gap-0.5">
                    <span className="max-w-40 truncate font-mono text-xs" title={event.actorId ?? undefined}>
                      {event.actorId ?? 'anonymous'}
                    </span>
                    {event.actorIp ? (
                      <span className="text-muted-foreground text-xs">{event.actorIp}</span>
                    ) : null}
                  </div>
                </TableCell>
                <TableCell className="max-w-48 truncate font-mono text-xs" title={target(event)}>
                  {target(event)}
                </TableCell>
                <TableCell>
                  <Badge variant={event.outcome === 'success' ? 'success' : 'destructive'}>
                    {event.outcome}
                  </Badge>
                </TableCell>
                <TableCell className="pr-4 text-right">
                  {hasDetails ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-expanded={open}
                      aria-label={`${open ? 'Hide' : 'Show'} details of event ${event.seq}`}
                      onClick={() => toggle(event.seq)}
                    >
                      {open ? <ChevronDown aria-hidden="true" /> : <ChevronRight aria-hidden="true" />}
                      Details
                    </Button>
                  ) : null}
                </TableCell>
              </TableRow>
              {open ? (
                <TableRow className="bg-muted/30 hover:bg-muted/30">
                  <TableCell colSpan={7} className="px-4">
                    <pre className="max-h-64 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">
                      {JSON.stringify(event.details, null, 2)}
                    </pre>
                  </TableCell>
                </TableRow>
              ) : null}
            </Fragment>
          )
        })}
      </TableBody>
    </Table>
  )
}
