import { ShieldAlert, ShieldCheck } from 'lucide-react'
import { FormError } from '@/components/form-error'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import type { useVerifyAuditChain } from '../api/audit-log'

export function VerifyChainButton({ verify }: { verify: ReturnType<typeof useVerifyAuditChain> }) {
  return (
    <Button variant="outline" onClick={() => verify.mutate()} pending={verify.isPending}>
      <ShieldCheck aria-hidden="true" />
      Verify chain
    </Button>
  )
}

/** The outcome of the last verification: intact, or where the chain breaks. */
export function VerifyChainResult({ verify }: { verify: ReturnType<typeof useVerifyAuditChain> }) {
  if (verify.isError) return <FormError error={verify.error} title="Could not verify the chain" />
  if (!verify.data) return null
  const { ok, checked, firstBrokenSeq, reason } = verify.data
  return ok ? (
    <Alert variant="success" data-testid="audit-verify-result" data-ok="true">
      <ShieldCheck />
      <AlertTitle>The audit chain is intact</AlertTitle>
      <AlertDescription>
        {checked} {checked === 1 ? 'event was' : 'events were'} checked; none was edited, inserted or deleted.
      </AlertDescription>
    </Alert>
  ) : (
    <Alert variant="destructive" data-testid="audit-verify-result" data-ok="false">
      <ShieldAlert />
      <AlertTitle>The audit chain is broken</AlertTitle>
      <AlertDescription>
        {firstBrokenSeq !== undefined ? `First broken event: #${firstBrokenSeq}. ` : ''}
        {reason ?? ''} ({checked} checked)
      </AlertDescription>
    </Alert>
  )
}
