import { useId } from 'react'
import { FormError } from '@/components/form-error'
import { Card, CardAction, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Switch } from '@/components/ui/switch'
import { useInstanceSettings, useUpdateInstanceSettings } from '../api/instance-settings'

export function RegistrationCard() {
  const settings = useInstanceSettings()
  const update = useUpdateInstanceSettings()
  const id = useId()
  const open = update.isPending ? update.variables.registrationOpen : settings.data?.registrationOpen

  return (
    <Card className="gap-4">
      <CardHeader>
        <CardTitle>
          <label htmlFor={id}>Open registration</label>
        </CardTitle>
        <CardDescription id={`${id}-description`}>
          When on, anyone who can reach this server can create an account with the user role.
        </CardDescription>
        <CardAction>
          {settings.isPending ? (
            <Skeleton className="h-5 w-9 rounded-full" />
          ) : (
            <Switch
              id={id}
              aria-describedby={`${id}-description`}
              checked={open ?? false}
              disabled={settings.isError || update.isPending}
              onCheckedChange={(checked) => update.mutate({ registrationOpen: checked })}
              data-testid="registration-open"
            />
          )}
        </CardAction>
      </CardHeader>
      {settings.isError || update.isError ? (
        <div className="px-6">
          <FormError error={settings.error ?? update.error} title="Could not update registration" />
        </div>
      ) : null}
    </Card>
  )
}
