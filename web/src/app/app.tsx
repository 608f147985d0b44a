// Assembles the app around the one API client: one query cache, the router, the theme.
import { hydrate } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot, hydrateRoot } from 'react-dom/client'
import { RouterProvider } from 'react-router'
import type { ApiClient } from '@/lib/api-client'
import { createQueryClient } from '@/lib/query-client'
import { initTheme } from '@/lib/theme'
import type { PageState } from './page-state'
import { AppProviders } from './providers'
import { createAppRouter } from './router'

/** Starts the app in `root`; with `page`, takes over the page the server rendered there. */
export function startApp(root: HTMLElement, api: ApiClient, page?: PageState): void {
  initTheme()
  const queryClient = createQueryClient()
  const router = createAppRouter()
  api.setOnSessionExpired(() => {
    const { pathname, search } = router.state.location
    void router.navigate('/sign-in', { replace: true, state: { expired: true, from: pathname + search } })
  })
  const app = (
    <StrictMode>
      <AppProviders api={api} queryClient={queryClient}>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>
  )
  if (page) {
    hydrate(queryClient, page.queries)
    hydrateRoot(root, app)
  } else {
    createRoot(root).render(app)
  }
}
