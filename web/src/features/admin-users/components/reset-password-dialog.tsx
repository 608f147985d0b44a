import { CheckCircle2 } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import type { User } from '@/types/api'
import { useResetUserPassword } from '../api/users'

const resetSchema = z.object({
  newPassword: z.string().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters'),
})

export function ResetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const reset = useResetUserPassword()
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(reset.error), ...clientErrors }

  function close() {
    reset.reset()
    setClientErrors({})
    onClose()
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (!user) return
    const result = validate(resetSchema, formValues(event.currentTarget))
    if (!result.ok) {
      reset.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    reset.mutate({ id: user.id, newPassword: result.data.newPassword })
  }

  return (
    <Dialog open={user !== null} onOpenChange={(open) => !open && close()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Reset password</DialogTitle>
          <DialogDescription>
            Set a new password for {user?.name} ({user?.email}). All of their sessions are signed out.
          </DialogDescription>
        </DialogHeader>
        {reset.isSuccess ? (
          <>
            <Alert variant="success">
              <CheckCircle2 />
              <AlertDescription>
                The password was changed. Share it with {user?.name} safely.
              </AlertDescription>
            </Alert>
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            <FormError error={reset.error} fields={['newPassword']} title="Could not reset the password" />
            <TextField
              label="New password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              hint="At least 8 characters."
              error={errors.newPassword}
            />
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button type="submit" pending={reset.isPending}>
                Reset password
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
