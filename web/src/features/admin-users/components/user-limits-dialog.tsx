// An account's gateway limits, set by an admin: the ceiling under which the user's API keys may
// set their own.
import { FormError } from '@/components/form-error'
import { LimitsForm } from '@/components/limits-form'
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import type { User } from '@/types/api'
import { useSaveUserLimits, useUserLimits } from '../api/users'

function UserLimits({ user, onDone }: { user: User; onDone: () => void }) {
  const current = useUserLimits(user.id)
  const save = useSaveUserLimits(user.id)
  if (current.isPending) return <Skeleton className="h-72" />
  if (current.isError) return <FormError error={current.error} title="Could not load the limits" />
  return (
    <LimitsForm
      limits={current.data}
      ceiling={null}
      pending={save.isPending}
      error={save.error}
      onSave={(limits) => save.mutate(limits, { onSuccess: onDone })}
      onCancel={onDone}
    />
  )
}

export function UserLimitsDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  return (
    <Dialog open={user !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Gateway limits of {user?.name}</DialogTitle>
          <DialogDescription>
            What {user?.name}'s API keys may do together through the OpenAI-compatible API; each key can be
            narrowed further by its owner. Empty fields mean no limit.
          </DialogDescription>
        </DialogHeader>
        {user ? <UserLimits key={user.id} user={user} onDone={onClose} /> : null}
      </DialogContent>
    </Dialog>
  )
}
