// A gateway key's limits, which may only narrow its owner's (the server checks the same).
import { FormError } from '@/components/form-error'
import { LimitsForm } from '@/components/limits-form'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import type { ApiKey } from '../api/api-keys'
import { useKeyLimits, useSaveKeyLimits } from '../api/key-limits'

function KeyLimits({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const current = useKeyLimits(apiKey.id)
  const save = useSaveKeyLimits(apiKey.id)
  if (current.isPending) return <Skeleton className="h-72" />
  if (current.isError) return <FormError error={current.error} title="Could not load the key's limits" />
  return (
    <LimitsForm
      limits={current.data.limits}
      ceiling={current.data.userLimits}
      pending={save.isPending}
      error={save.error}
      onSave={(limits) => save.mutate(limits, { onSuccess: onDone })}
      onCancel={onDone}
    />
  )
}

export function KeyLimitsDialog({
  apiKey,
  onOpenChange,
}: {
  apiKey: ApiKey | null
  onOpenChange: (open: boolean) => void
}) {
  return (
    <Dialog open={apiKey !== null} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Limits of {apiKey?.name}</DialogTitle>
          <DialogDescription>
            What this key may do through the OpenAI-compatible API. Empty fields mean no limit beyond your
            account's; over a limit, calls get 429 with the time to wait.
          </DialogDescription>
        </DialogHeader>
        {apiKey ? <KeyLimits key={apiKey.id} apiKey={apiKey} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  )
}
