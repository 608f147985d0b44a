// Route guards: who may see which part of the app.
import { Navigate, Outlet, useLocation } from 'react-router'
import { FullPageSpinner } from '@/components/full-page-spinner'
import { useSession } from '@/lib/api-context'
import type { Role } from '@/types/api'

interface FromState {
  from?: string
}

/** Signed-in area: waits for the session to be restored, else sends the user to sign in. */
export function RequireAuth() {
  const session = useSession()
  const location = useLocation()
  if (session.status === 'restoring') return <FullPageSpinner label="Restoring your session" />
  if (session.status === 'signed-out') {
    const expired = session.reason === 'expired'
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search, expired }} />
  }
  return <Outlet />
}

/** Sign-in and sign-up: someone already signed in goes where they were headed, or to Chat. */
export function GuestOnly() {
  const session = useSession()
  const location = useLocation()
  if (session.status === 'restoring') return <FullPageSpinner label="Restoring your session" />
  if (session.status === 'signed-in') {
    const from = (location.state as FromState | null)?.from
    const target = from?.startsWith('/') && !from.startsWith('//') ? from : '/chat'
    return <Navigate to={target} replace />
  }
  return <Outlet />
}

export function RequireRole({ allowed }: { allowed: Role }) {
  const session = useSession()
  if (session.status !== 'signed-in' || session.user.role !== allowed) return <Navigate to="/chat" replace />
  return <Outlet />
}
