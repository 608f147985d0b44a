// Assembles the app around the one API client: one query cache, the router, the theme.
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router'
import type { ApiClient } from '@/lib/api-client'
import { createQueryClient } from '@/lib/query-client'
import { initTheme } from '@/lib/theme'
import { AppProviders } from './providers'
import { createAppRouter } from './router'

export function startApp(root: HTMLElement, api: ApiClient): void {
  initTheme()
  const queryClient = createQueryClient()
  const router = createAppRouter()
  api.setOnSessionExpired(() => {
    const { pathname, search } = router.state.location
    void router.navigate('/sign-in', { replace: true, state: { expired: true, from: pathname + search } })
  })
  createRoot(root).render(
    <StrictMode>
      <AppProviders api={api} queryClient={queryClient}>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  )
}
