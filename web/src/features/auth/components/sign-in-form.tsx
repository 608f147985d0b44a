import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import type { User } from '@/types/api'
import { useSignIn } from '../api/sign-in'

const signInSchema = z.object({
  email: z.string().trim().min(1, 'Enter your email address').pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password'),
})

const FIELDS = ['email', 'password'] as const

export function SignInForm({ onSignedIn }: { onSignedIn?: (user: User) => void }) {
  const signIn = useSignIn()
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(signIn.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const result = validate(signInSchema, formValues(event.currentTarget))
    if (!result.ok) {
      signIn.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    signIn.mutate(result.data, { onSuccess: (user) => onSignedIn?.(user) })
  }

  return (
    <form className="grid gap-4" onSubmit={submit} noValidate aria-label="Sign in">
      <FormError error={signIn.error} fields={FIELDS} title="Could not sign in" />
      <TextField label="Email" name="email" type="email" autoComplete="email" error={errors.email} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        error={errors.password}
      />
      <Button type="submit" className="w-full" pending={signIn.isPending}>
        Sign in
      </Button>
    </form>
  )
}
