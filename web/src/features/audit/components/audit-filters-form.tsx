import { type FormEvent, useId } from 'react'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { type AuditFilters, EMPTY_AUDIT_FILTERS } from '../api/audit-log'

/** Actions the server records today; the field accepts any other action name too. */
const KNOWN_ACTIONS = [
  'auth.login',
  'auth.logout',
  'auth.refresh_reuse',
  'user.register',
  'user.update',
  'user.password_change',
  'session.revoke',
  'api_key.create',
  'api_key.revoke',
  'admin.settings_update',
  'admin.user_password_reset',
  'deny',
]

function toOutcome(value: FormDataEntryValue | null): AuditFilters['outcome'] {
  return value === 'success' || value === 'failure' ? value : ''
}

export function AuditFiltersForm({
  filters,
  onChange,
}: {
  filters: AuditFilters
  onChange: (filters: AuditFilters) => void
}) {
  const id = useId()

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    onChange({
      action: String(data.get('action') ?? '').trim(),
      actorId: String(data.get('actorId') ?? '').trim(),
      outcome: toOutcome(data.get('outcome')),
    })
  }

  const active = filters.action !== '' || filters.actorId !== '' || filters.outcome !== ''

  return (
    <form
      onSubmit={submit}
      aria-label="Filter the audit log"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_10rem_auto] lg:items-end"
      // Remount on reset so the uncontrolled inputs show the cleared values.
      key={JSON.stringify(filters)}
    >
      <div className="grid gap-2">
        <Label htmlFor={`${id}-action`}>Action</Label>
        <Input
          id={`${id}-action`}
          name="action"
          list={`${id}-actions`}
          defaultValue={filters.action}
          placeholder="Any action"
        />
        <datalist id={`${id}-actions`}>
          {KNOWN_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-actor`}>Actor ID</Label>
        <Input id={`${id}-actor`} name="actorId" defaultValue={filters.actorId} placeholder="Any actor" />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-outcome`}>Outcome</Label>
        <NativeSelect id={`${id}-outcome`} name="outcome" defaultValue={filters.outcome}>
          <option value="">Any outcome</option>
          <option value="success">Success</option>
          <option value="failure">Failure</option>
        </NativeSelect>
      </div>
      <div className="flex gap-2">
        <Button type="submit">Apply</Button>
        {active ? (
          <Button variant="ghost" onClick={() => onChange(EMPTY_AUDIT_FILTERS)}>
            Clear
          </Button>
        ) : null}
      </div>
    </form>
  )
}
