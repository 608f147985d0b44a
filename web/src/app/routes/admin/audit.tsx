import { ScrollText } from 'lucide-react'
import { useState } from 'react'
import { FormError } from '@/components/form-error'
import { Button } from '@/components/ui/button'
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { EMPTY_AUDIT_FILTERS, useAuditLog, useVerifyAuditChain } from '@/features/audit/api/audit-log'
import { AuditFiltersForm } from '@/features/audit/components/audit-filters-form'
import { AuditTable } from '@/features/audit/components/audit-table'
import { VerifyChainButton, VerifyChainResult } from '@/features/audit/components/verify-chain'

export default function AuditLogPage() {
  const [filters, setFilters] = useState(EMPTY_AUDIT_FILTERS)
  const log = useAuditLog(filters)
  const verify = useVerifyAuditChain()
  const events = log.data?.pages.flatMap((page) => page.items) ?? []

  return (
    <div className="flex flex-col gap-6">
      <Card className="gap-4">
        <CardHeader className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="grid gap-1.5">
            <CardTitle>Audit log</CardTitle>
            <CardDescription>
              Every sign-in, account change and admin action, newest first. Each event is chained to the one
              before it by a hash, so tampering shows.
            </CardDescription>
          </div>
          <VerifyChainButton verify={verify} />
        </CardHeader>
        <div className="grid gap-4 px-6">
          <VerifyChainResult verify={verify} />
          <AuditFiltersForm filters={filters} onChange={setFilters} />
        </div>
      </Card>
      <Card className="gap-4 py-2">
        {log.isPending ? (
          <div className="grid gap-2 p-4">
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
            <Skeleton className="h-8" />
          </div>
        ) : log.isError ? (
          <div className="p-4">
            <FormError error={log.error} title="Could not load the audit log" />
          </div>
        ) : events.length === 0 ? (
          <div className="flex flex-col items-center gap-2 py-10 text-center text-muted-foreground text-sm">
            <ScrollText className="size-5" aria-hidden="true" />
            No events match these filters.
          </div>
        ) : (
          <AuditTable events={events} />
        )}
        {log.hasNextPage ? (
          <div className="flex justify-center pb-4">
            <Button variant="outline" onClick={() => log.fetchNextPage()} pending={log.isFetchingNextPage}>
              Load more
            </Button>
          </div>
        ) : null}
      </Card>
    </div>
  )
}
