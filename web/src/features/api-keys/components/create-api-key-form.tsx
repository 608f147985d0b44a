import { type FormEvent, useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { FieldError, TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { apiFieldErrors, type FieldErrors, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import { API_KEY_SCOPES, type ApiKeyScope, type CreatedApiKey, useCreateApiKey } from '../api/api-keys'
import { NewApiKeyNotice } from './new-api-key-notice'

const SCOPE_DESCRIPTIONS: Record<ApiKeyScope, string> = {
  read: 'View your data and the model catalog.',
  write: 'Create and change data, such as chats and pipeline runs.',
  admin: 'Manage users and server settings. Admins only.',
  gateway: 'Call models through the OpenAI-compatible API.',
}

/** `YYYY-MM-DD` from a date input, as the end of that day in the user's time zone. */
function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59`)
}

const createKeySchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, 'Name the key so you can recognise it later')
    .max(100, 'Use at most 100 characters'),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, 'Choose at least one scope'),
  expiresAt: z
    .string()
    .refine((value) => value === '' || endOfDay(value).getTime() > Date.now(), 'Choose a date in the future')
    .transform((value) => (value === '' ? undefined : endOfDay(value).toISOString())),
})

function todayInputValue(): string {
  const now = new Date()
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

export function CreateApiKeyForm({ canUseAdminScope }: { canUseAdminScope: boolean }) {
  const create = useCreateApiKey()
  const [scopes, setScopes] = useState<ApiKeyScope[]>([])
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const errors = { ...apiFieldErrors(create.error), ...clientErrors }
  const scopesId = useId()
  const availableScopes = API_KEY_SCOPES.filter((scope) => scope !== 'admin' || canUseAdminScope)

  function toggle(scope: ApiKeyScope, checked: boolean) {
    setScopes((current) => (checked ? [...current, scope] : current.filter((s) => s !== scope)))
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const data = new FormData(form)
    const result = validate(createKeySchema, {
      name: data.get('name') ?? '',
      scopes: API_KEY_SCOPES.filter((scope) => scopes.includes(scope)),
      expiresAt: data.get('expiresAt') ?? '',
    })
    if (!result.ok) {
      create.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    create.mutate(result.data, {
      onSuccess: (response) => {
        setCreated(response)
        setScopes([])
        form.reset()
      },
    })
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create an API key</CardTitle>
        <CardDescription>Keys let scripts and other tools use Web+ on your behalf.</CardDescription>
      </CardHeader>
      <form onSubmit={submit} noValidate className="grid gap-6" aria-label="Create an API key">
        <CardContent className="grid gap-5">
          {created ? <NewApiKeyNotice created={created} onDismiss={() => setCreated(null)} /> : null}
          <FormError
            error={create.error}
            fields={['name', 'scopes', 'expiresAt']}
            title="Could not create the key"
          />
          <TextField
            label="Name"
            name="name"
            placeholder="e.g. CI pipeline"
            error={errors.name}
            className="max-w-sm"
          />
          <fieldset className="grid gap-3" aria-describedby={errors.scopes ? `${scopesId}-error` : undefined}>
            <legend className="mb-3 font-medium text-sm">Scopes</legend>
            <div className="grid gap-3 sm:grid-cols-2">
              {availableScopes.map((scope) => (
                <div key={scope} className="flex items-start gap-3 rounded-md border p-3">
                  <Checkbox
                    id={`${scopesId}-${scope}`}
                    checked={scopes.includes(scope)}
                    onCheckedChange={(checked) => toggle(scope, checked === true)}
                    aria-describedby={`${scopesId}-${scope}-description`}
                    className="mt-0.5"
                  />
                  <div className="grid gap-1">
                    <Label htmlFor={`${scopesId}-${scope}`} className="font-mono">
                      {scope}
                    </Label>
                    <p id={`${scopesId}-${scope}-description`} className="text-muted-foreground text-xs">
                      {SCOPE_DESCRIPTIONS[scope]}
                    </p>
                  </div>
                </div>
              ))}
            </div>
            <FieldError id={`${scopesId}-error`} message={errors.scopes} />
          </fieldset>
          <TextField
            label="Expires on"
            name="expiresAt"
            type="date"
            min={todayInputValue()}
            hint="Optional. Leave empty for a key that does not expire."
            error={errors.expiresAt}
            className="max-w-sm"
          />
        </CardContent>
        <CardFooter className="border-t pt-6">
          <Button type="submit" pending={create.isPending}>
            Create key
          </Button>
        </CardFooter>
      </form>
    </Card>
  )
}
