// Assembles the app: one API client, one query cache, the router.
import { RouterProvider } from 'react-router'
import { ApiClient } from '@/lib/api-client'
import { createQueryClient } from '@/lib/query-client'
import { AppProviders } from './providers'
import { createAppRouter } from './router'

export function createApp() {
  const router = createAppRouter()
  const api = new ApiClient({
    onSessionExpired: () => {
      const { pathname, search } = router.state.location
      void router.navigate('/sign-in', { replace: true, state: { expired: true, from: pathname + search } })
    },
  })
  const queryClient = createQueryClient()
  void api.restoreSession()

  return (
    <AppProviders api={api} queryClient={queryClient}>
      <RouterProvider router={router} />
    </AppProviders>
  )
}
