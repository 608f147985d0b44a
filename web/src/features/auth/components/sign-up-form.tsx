import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import type { User } from '@/types/api'
import { useSignUp } from '../api/sign-up'

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
  email: z.string().trim().min(1, 'Enter your email address').pipe(z.email('Enter a valid email address')),
  password: z.string().min(8, 'Use at least 8 characters').max(256, 'Use at most 256 characters'),
})

const FIELDS = ['name', 'email', 'password'] as const

export function SignUpForm({ onSignedUp }: { onSignedUp?: (user: User) => void }) {
  const signUp = useSignUp()
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(signUp.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const result = validate(signUpSchema, formValues(event.currentTarget))
    if (!result.ok) {
      signUp.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    signUp.mutate(result.data, { onSuccess: (user) => onSignedUp?.(user) })
  }

  return (
    <form className="grid gap-4" onSubmit={submit} noValidate aria-label="Create account">
      <FormError error={signUp.error} fields={FIELDS} title="Could not create the account" />
      <TextField label="Name" name="name" autoComplete="name" error={errors.name} />
      <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters. Common passwords are refused."
        error={errors.password}
      />
      <Button type="submit" className="w-full" pending={signUp.isPending}>
        Create account
      </Button>
    </form>
  )
}
