import { type FormEvent, useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { FieldError, TextField } from '@/components/form-field'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Switch } from '@/components/ui/switch'
import { apiFieldErrors, type FieldErrors, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import { ROLES, type Role } from '@/types/api'
import { useModels, useUpdateModel } from '../api/models'
import type { Model } from '../types'

const price = z
  .string()
  .trim()
  .transform((value) => (value === '' ? 0 : Number(value)))
  .refine((value) => Number.isFinite(value) && value >= 0, 'Enter a price of 0 or more')
  .refine((value) => value <= 1e6, 'Enter at most 1,000,000')

const settingsSchema = z.object({
  displayName: z
    .string()
    .trim()
    .max(100, 'Use at most 100 characters')
    .transform((value) => value || null),
  allowedRoles: z.array(z.enum(ROLES as [Role, ...Role[]])),
  inputPerMTok: price,
  outputPerMTok: price,
  fallbackModelId: z.string().transform((value) => value || null),
})

/**
 * Admin settings of one model: who may use it, what it is called, what it costs, and which model
 * answers a gateway call in its place when it fails before its first token.
 */
export function ModelSettingsForm({ model }: { model: Model }) {
  const update = useUpdateModel()
  const catalog = useModels()
  const others = (catalog.data ?? []).filter((other) => other.id !== model.id)
  const [enabled, setEnabled] = useState(model.enabled)
  const [roles, setRoles] = useState<Role[]>(model.allowedRoles)
  const [fallback, setFallback] = useState(model.fallbackModelId ?? '')
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const [saved, setSaved] = useState(false)
  const id = useId()
  const errors = { ...apiFieldErrors(update.error), ...clientErrors }

  function toggleRole(role: Role, checked: boolean) {
    setSaved(false)
    setRoles((current) => (checked ? [...current, role] : current.filter((r) => r !== role)))
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const result = validate(settingsSchema, {
      displayName: data.get('displayName') ?? '',
      allowedRoles: ROLES.filter((role) => roles.includes(role)),
      inputPerMTok: data.get('inputPerMTok') ?? '',
      outputPerMTok: data.get('outputPerMTok') ?? '',
      fallbackModelId: fallback,
    })
    setSaved(false)
    if (!result.ok) {
      update.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    const { displayName, allowedRoles, inputPerMTok, outputPerMTok, fallbackModelId } = result.data
    update.mutate(
      {
        id: model.id,
        settings: {
          enabled,
          displayName,
          allowedRoles,
          pricing: { inputPerMTok, outputPerMTok },
          fallbackModelId,
        },
      },
      { onSuccess: () => setSaved(true) },
    )
  }

  return (
    <form onSubmit={submit} noValidate className="grid gap-5" aria-label="Model settings">
      <FormError
        error={update.error}
        fields={[
          'displayName',
          'allowedRoles',
          'pricing.inputPerMTok',
          'pricing.outputPerMTok',
          'fallbackModelId',
        ]}
        title="Could not save the settings"
      />
      {saved ? (
        <Alert variant="success">
          <AlertDescription>Settings saved.</AlertDescription>
        </Alert>
      ) : null}
      <div className="flex items-start justify-between gap-4 rounded-md border p-3">
        <div className="grid gap-1">
          <Label htmlFor={`${id}-enabled`}>Enabled</Label>
          <p id={`${id}-enabled-hint`} className="text-muted-foreground text-xs">
            A disabled model is hidden from everyone but admins and cannot be called.
          </p>
        </div>
        <Switch
          id={`${id}-enabled`}
          checked={enabled}
          aria-describedby={`${id}-enabled-hint`}
          onCheckedChange={(checked) => {
            setSaved(false)
            setEnabled(checked)
          }}
        />
      </div>
      <TextField
        label="Display name"
        name="displayName"
        defaultValue={model.displayName === model.name ? '' : model.displayName}
        placeholder={model.name}
        hint="Shown instead of the model's name. Leave empty to use the name."
        error={errors.displayName}
        onChange={() => setSaved(false)}
      />
      <fieldset className="grid gap-2">
        <legend className="mb-2 font-medium text-sm">Allowed roles</legend>
        <div className="flex flex-wrap gap-4">
          {ROLES.map((role) => (
            <div key={role} className="flex items-center gap-2">
              <Checkbox
                id={`${id}-role-${role}`}
                checked={roles.includes(role)}
                onCheckedChange={(checked) => toggleRole(role, checked === true)}
              />
              <Label htmlFor={`${id}-role-${role}`} className="font-normal capitalize">
                {role}
              </Label>
            </div>
          ))}
        </div>
        <p className="text-muted-foreground text-xs">Admins always see every model here.</p>
        <FieldError message={errors.allowedRoles} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Input price (USD per 1M tokens)"
          name="inputPerMTok"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          defaultValue={String(model.pricing.inputPerMTok)}
          error={errors.inputPerMTok ?? errors['pricing.inputPerMTok']}
          onChange={() => setSaved(false)}
        />
        <TextField
          label="Output price (USD per 1M tokens)"
          name="outputPerMTok"
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          defaultValue={String(model.pricing.outputPerMTok)}
          error={errors.outputPerMTok ?? errors['pricing.outputPerMTok']}
          onChange={() => setSaved(false)}
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-fallback`}>Fallback model</Label>
        <NativeSelect
          id={`${id}-fallback`}
          name="fallbackModelId"
          value={fallback}
          aria-describedby={`${id}-fallback-hint`}
          aria-invalid={errors.fallbackModelId ? true : undefined}
          onChange={(event) => {
            setSaved(false)
            setFallback(event.target.value)
          }}
        >
          <option value="">None</option>
          {others.map((other) => (
            <option key={other.id} value={other.id}>
              {other.displayName}
              {other.hosts[0] ? ` (${other.hosts[0].providerName})` : ''}
            </option>
          ))}
        </NativeSelect>
        <p id={`${id}-fallback-hint`} className="text-muted-foreground text-xs">
          Answers an API call in this model's place when this one fails before its first token.
        </p>
        <FieldError message={errors.fallbackModelId} />
      </div>
      <div>
        <Button type="submit" pending={update.isPending}>
          Save settings
        </Button>
      </div>
    </form>
  )
}
