import { useState } from 'react'
import { FormError } from '@/components/form-error'
import { useCancelPull, usePulls, useStartPull } from '../api/pulls'
import type { Pull } from '../types'
import { PullProgress } from './pull-progress'

const RECENT_SUCCESS_MS = 2 * 60_000
const RECENT_FAILURE_MS = 24 * 3600_000

/** What an operator needs to see of the recent pulls: every running one, a failure until
 * dismissed (with its reason and a retry), a success or cancel for a couple of minutes. */
export function visiblePulls(pulls: readonly Pull[], dismissed: ReadonlySet<string>, now: number): Pull[] {
  return pulls.filter((pull) => {
    if (dismissed.has(pull.id)) return false
    if (pull.status === 'running') return true
    const age = now - new Date(pull.updatedAt).getTime()
    return age < (pull.status === 'failed' ? RECENT_FAILURE_MS : RECENT_SUCCESS_MS)
  })
}

/** The page's view of pulls, read from the server, so a reload or a second browser shows them. */
export function PullsPanel({ hostName, now }: { hostName: (providerId: string) => string; now: number }) {
  const pulls = usePulls(true)
  const cancel = useCancelPull()
  const retry = useStartPull()
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const shown = visiblePulls(pulls.data ?? [], dismissed, now)
  if (shown.length === 0 && !cancel.error && !retry.error) return null

  return (
    <section aria-label="Pulls" className="grid gap-2">
      <FormError error={cancel.error} title="Could not cancel the pull" />
      <FormError error={retry.error} title="Could not retry the pull" />
      <div className="grid gap-2 lg:grid-cols-2">
        {shown.map((pull) => (
          <PullProgress
            key={pull.id}
            pull={pull}
            hostName={hostName(pull.providerId)}
            cancelling={cancel.isPending && cancel.variables === pull.id}
            onCancel={(target) => cancel.mutate(target.id)}
            onRetry={(target) => {
              setDismissed((current) => new Set(current).add(target.id))
              retry.mutate({ providerId: target.providerId, model: target.model })
            }}
            onDismiss={(target) => setDismissed((current) => new Set(current).add(target.id))}
          />
        ))}
      </div>
    </section>
  )
}
