import { CheckCircle2 } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import { useChangePassword } from '../api/change-password'

const passwordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: z.string().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters'),
    confirmPassword: z.string(),
  })
  .refine((values) => values.newPassword === values.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const

export function PasswordForm() {
  const change = useChangePassword()
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(change.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const result = validate(passwordSchema, formValues(form))
    if (!result.ok) {
      change.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    const { currentPassword, newPassword } = result.data
    change.mutate({ currentPassword, newPassword }, { onSuccess: () => form.reset() })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Change password</CardTitle>
        <CardDescription>Changing your password signs you out on every other device.</CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate className="grid gap-6">
        <CardContent className="grid max-w-sm gap-4">
          {change.isSuccess ? (
            <Alert variant="success">
              <CheckCircle2 />
              <AlertTitle>Password changed</AlertTitle>
              <AlertDescription>Your other sessions have been signed out.</AlertDescription>
            </Alert>
          ) : null}
          <FormError error={change.error} fields={FIELDS} title="Could not change the password" />
          <TextField
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            error={errors.currentPassword}
          />
          <TextField
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            hint="At least 8 characters. Common passwords are refused."
            error={errors.newPassword}
          />
          <TextField
            label="Confirm new password"
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            error={errors.confirmPassword}
          />
        </CardContent>
        <CardFooter className="border-t pt-6">
          <Button type="submit" pending={change.isPending}>
            Change password
          </Button>
        </CardFooter>
      </form>
    </Card>
  )
}
