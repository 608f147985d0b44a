// Gateway limits of a key or an account: requests and tokens per minute, tokens and spend per day
// and month, and the models it may call; empty means no limit. Used for an API key (within its
// owner's limits, shown beside each field) and by admins for an account.
import { type FormEvent, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import { DialogFooter } from '@/components/ui/dialog'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { formatCost } from '@/lib/format'
import { z } from '@/lib/zod'

/** Limits as the API has them; null: no limit. Budgets are in the price table's currency. */
export interface GatewayLimits {
  requestsPerMinute: number | null
  tokensPerMinute: number | null
  tokensPerDay: number | null
  tokensPerMonth: number | null
  budgetPerDay: number | null
  budgetPerMonth: number | null
  /** Gateway model ids (as clients send them); null: every model the account may use. */
  allowedModels: string[] | null
}

type NumericField = Exclude<keyof GatewayLimits, 'allowedModels'>

const FIELDS: ReadonlyArray<{ name: NumericField; label: string; money?: boolean }> = [
  { name: 'requestsPerMinute', label: 'Requests per minute' },
  { name: 'tokensPerMinute', label: 'Tokens per minute' },
  { name: 'tokensPerDay', label: 'Tokens per day' },
  { name: 'tokensPerMonth', label: 'Tokens per month' },
  { name: 'budgetPerDay', label: 'Spend per day', money: true },
  { name: 'budgetPerMonth', label: 'Spend per month', money: true },
]

const count = z
  .string()
  .trim()
  .refine((value) => value === '' || /^\d+$/.test(value), 'is a whole number, or empty for no limit')
const money = z
  .string()
  .trim()
  .refine((value) => value === '' || /^\d+(\.\d+)?$/.test(value), 'is an amount such as 2.50, or empty')
const schema = z.object({
  requestsPerMinute: count,
  tokensPerMinute: count,
  tokensPerDay: count,
  tokensPerMonth: count,
  budgetPerDay: money,
  budgetPerMonth: money,
  allowedModels: z.string().max(10_000),
})

/** What the form sends: every field, empty meaning no limit. */
export function limitsFromForm(values: z.output<typeof schema>): GatewayLimits {
  const limits = Object.fromEntries(
    FIELDS.map(({ name }) => [name, values[name].trim() === '' ? null : Number(values[name])]),
  ) as Omit<GatewayLimits, 'allowedModels'>
  const models = values.allowedModels
    .split(/[\s,]+/)
    .map((model) => model.trim())
    .filter(Boolean)
  return { ...limits, allowedModels: models.length ? [...new Set(models)] : null }
}

function ceilingHint(value: number | null, isMoney: boolean | undefined): string {
  if (value === null) return 'Your account: no limit.'
  return `Your account: ${isMoney ? formatCost(value) : value.toLocaleString('en')}.`
}

export function LimitsForm({
  limits,
  ceiling,
  pending,
  error,
  onSave,
  onCancel,
}: {
  limits: GatewayLimits
  /** The limits these may only narrow (an API key's owner's), shown as hints; null for none. */
  ceiling: GatewayLimits | null
  pending: boolean
  /** The failed save, with the server's field errors. */
  error: unknown
  onSave: (limits: GatewayLimits) => void
  onCancel: () => void
}) {
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  // This form's own findings replace the last save's, which are about values since changed.
  const own = Object.keys(clientErrors).length > 0
  const errors = own ? clientErrors : apiFieldErrors(error)

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const result = validate(schema, formValues(event.currentTarget))
    if (!result.ok) {
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    onSave(limitsFromForm(result.data))
  }

  const modelsHint = 'Model ids as clients send them, separated by commas.'
  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Gateway limits">
      {own ? null : (
        <FormError
          error={error}
          fields={[...FIELDS.map((field) => field.name), 'allowedModels']}
          title="Could not save the limits"
        />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map((field) => (
          <TextField
            key={field.name}
            label={field.label}
            name={field.name}
            inputMode={field.money ? 'decimal' : 'numeric'}
            defaultValue={limits[field.name] ?? ''}
            placeholder="No limit"
            hint={ceiling ? ceilingHint(ceiling[field.name], field.money) : undefined}
            error={errors[field.name]}
            autoComplete="off"
          />
        ))}
      </div>
      <TextField
        label="Allowed models"
        name="allowedModels"
        defaultValue={limits.allowedModels?.join(', ') ?? ''}
        placeholder={ceiling ? 'Every model you may use' : 'Every model the role allows'}
        hint={
          ceiling?.allowedModels
            ? `${modelsHint} Your account may use ${ceiling.allowedModels.join(', ')}.`
            : modelsHint
        }
        error={errors.allowedModels}
        autoComplete="off"
        spellCheck={false}
      />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={pending}>
          Save limits
        </Button>
      </DialogFooter>
    </form>
  )
}
