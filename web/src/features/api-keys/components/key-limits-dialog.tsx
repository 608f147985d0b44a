// A gateway key's limits: requests and tokens per minute, tokens and spend per day and month, and
// the models it may call. Each may only narrow the account's own limit, shown beside it; the
// server checks the same and its field errors appear under the fields.
import { type FormEvent, useState } from 'react'
import { z } from 'zod'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { Skeleton } from '@/components/ui/skeleton'
import { apiFieldErrors, type FieldErrors, formValues, validate } from '@/lib/form'
import { formatCost } from '@/lib/format'
import type { ApiKey } from '../api/api-keys'
import { type GatewayLimits, useKeyLimits, useSaveKeyLimits } from '../api/key-limits'

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

function accountLimit(value: number | null, isMoney: boolean | undefined): string {
  if (value === null) return 'Your account: no limit.'
  return `Your account: ${isMoney ? formatCost(value) : value.toLocaleString('en')}.`
}

function LimitsForm({ apiKey, onDone }: { apiKey: ApiKey; onDone: () => void }) {
  const current = useKeyLimits(apiKey.id)
  const save = useSaveKeyLimits(apiKey.id)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const errors = { ...apiFieldErrors(save.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const result = validate(schema, formValues(event.currentTarget))
    if (!result.ok) {
      save.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    save.mutate(limitsFromForm(result.data), { onSuccess: onDone })
  }

  if (current.isPending) return <Skeleton className="h-72" />
  if (current.isError) return <FormError error={current.error} title="Could not load the key's limits" />
  const { limits, userLimits } = current.data
  return (
    <form onSubmit={submit} noValidate className="grid gap-4" aria-label="API key limits">
      <FormError
        error={save.error}
        fields={[...FIELDS.map((field) => field.name), 'allowedModels']}
        title="Could not save the limits"
      />
      <div className="grid gap-4 sm:grid-cols-2">
        {FIELDS.map((field) => (
          <TextField
            key={field.name}
            label={field.label}
            name={field.name}
            inputMode={field.money ? 'decimal' : 'numeric'}
            defaultValue={limits[field.name] ?? ''}
            placeholder="No limit"
            hint={accountLimit(userLimits[field.name], field.money)}
            error={errors[field.name]}
            autoComplete="off"
          />
        ))}
      </div>
      <TextField
        label="Allowed models"
        name="allowedModels"
        defaultValue={limits.allowedModels?.join(', ') ?? ''}
        placeholder="Every model you may use"
        hint={
          userLimits.allowedModels
            ? `Model ids as clients send them, separated by commas; your account may use ${userLimits.allowedModels.join(', ')}.`
            : 'Model ids as clients send them, separated by commas.'
        }
        error={errors.allowedModels}
        autoComplete="off"
        spellCheck={false}
      />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={save.isPending}>
          Save limits
        </Button>
      </DialogFooter>
    </form>
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
        {apiKey ? <LimitsForm key={apiKey.id} apiKey={apiKey} onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  )
}
