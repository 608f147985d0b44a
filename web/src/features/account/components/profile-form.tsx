import { CheckCircle2 } from 'lucide-react'
import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card'
import { Label } from '@/components/ui/label'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { formatDate } from '@/lib/format'
import { z } from '@/lib/zod'
import type { User } from '@/types/api'
import { useUpdateProfile } from '../api/me'

const profileSchema = z.object({
  name: z.string().trim().min(1, 'Enter your name').max(100, 'Use at most 100 characters'),
})

export function ProfileForm({ user }: { user: User }) {
  const update = useUpdateProfile()
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(update.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const result = validate(profileSchema, formValues(event.currentTarget))
    if (!result.ok) {
      update.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    update.mutate(result.data)
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
        <CardDescription>How you appear to other people on this server.</CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate className="grid gap-6">
        <CardContent className="grid gap-5">
          <FormError error={update.error} fields={['name']} title="Could not save" />
          <TextField
            label="Name"
            name="name"
            autoComplete="name"
            defaultValue={user.name}
            error={errors.name}
            onChange={() => update.isSuccess && update.reset()}
            className="max-w-sm"
          />
          <dl className="grid gap-4 text-sm sm:grid-cols-3">
            <div className="grid gap-1.5">
              <Label asChild>
                <dt>Email</dt>
              </Label>
              <dd className="truncate text-muted-foreground">{user.email}</dd>
            </div>
            <div className="grid gap-1.5">
              <Label asChild>
                <dt>Role</dt>
              </Label>
              <dd>
                <Badge variant="secondary" className="capitalize">
                  {user.role}
                </Badge>
              </dd>
            </div>
            <div className="grid gap-1.5">
              <Label asChild>
                <dt>Member since</dt>
              </Label>
              <dd className="text-muted-foreground">{formatDate(user.createdAt)}</dd>
            </div>
          </dl>
        </CardContent>
        <CardFooter className="gap-3 border-t pt-6">
          <Button type="submit" pending={update.isPending}>
            Save
          </Button>
          {update.isSuccess ? (
            <output className="flex items-center gap-1.5 text-muted-foreground text-sm">
              <CheckCircle2 className="size-4 text-success" aria-hidden="true" />
              Saved
            </output>
          ) : null}
        </CardFooter>
      </form>
    </Card>
  )
}
