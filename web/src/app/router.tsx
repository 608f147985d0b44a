import type { QueryClient } from '@tanstack/react-query'
import type { ComponentType } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'
import { FullPageSpinner } from '@/components/full-page-spinner'
import type { ApiClient } from '@/lib/api-client'
import { GuestOnly, RequireAuth, RequireRole } from './guards'
import { AppShell } from './layout/app-shell'
import type { RouteHandle } from './route-handle'
import { chatLoader } from './routes/chat-loader'
import { FactoryPage, FilesPage } from './routes/coming-soon-pages'
import { NotFoundPage } from './routes/not-found'
import { RouteErrorPage } from './routes/route-error'
import { SettingsLayout } from './routes/settings/settings-layout'

/** Pages loaded on first visit, to keep the first download small. */
const lazyPage = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
})

/** What loaders need to start fetching a page's data before the page renders. */
export interface RouterContext {
  api: ApiClient
  queryClient: QueryClient
}

export const appRoutes = ({ api, queryClient }: RouterContext): RouteObject[] => [
  {
    errorElement: <RouteErrorPage />,
    // Shown while the code of a lazily loaded page arrives on a first visit.
    hydrateFallbackElement: <FullPageSpinner />,
    children: [
      {
        element: <GuestOnly />,
        children: [
          // Lazy like the rest: their forms bring zod, which a signed-in visit never needs.
          { path: 'sign-in', lazy: lazyPage(() => import('./routes/sign-in')) },
          { path: 'sign-up', lazy: lazyPage(() => import('./routes/sign-up')) },
        ],
      },
      {
        element: <RequireAuth />,
        children: [
          {
            element: <AppShell />,
            children: [
              { index: true, element: <Navigate to="/chat" replace /> },
              {
                path: 'chat/:conversationId?',
                lazy: lazyPage(() => import('./routes/chat')),
                loader: chatLoader(api, queryClient),
                handle: { fullBleed: true } satisfies RouteHandle,
              },
              { path: 'models', lazy: lazyPage(() => import('./routes/models')) },
              { path: 'factory', element: <FactoryPage /> },
              { path: 'files', element: <FilesPage /> },
              {
                path: 'settings',
                element: <SettingsLayout />,
                children: [
                  { index: true, element: <Navigate to="profile" replace /> },
                  { path: 'profile', lazy: lazyPage(() => import('./routes/settings/profile')) },
                  { path: 'password', lazy: lazyPage(() => import('./routes/settings/password')) },
                  { path: 'sessions', lazy: lazyPage(() => import('./routes/settings/sessions')) },
                  { path: 'api-keys', lazy: lazyPage(() => import('./routes/settings/api-keys')) },
                  { path: 'usage', lazy: lazyPage(() => import('./routes/settings/usage')) },
                ],
              },
              {
                path: 'admin',
                element: <RequireRole allowed="admin" />,
                children: [
                  {
                    lazy: lazyPage(() => import('./routes/admin/admin-layout')),
                    children: [
                      { index: true, element: <Navigate to="users" replace /> },
                      { path: 'users', lazy: lazyPage(() => import('./routes/admin/users')) },
                      { path: 'providers', lazy: lazyPage(() => import('./routes/admin/providers')) },
                      { path: 'audit', lazy: lazyPage(() => import('./routes/admin/audit')) },
                    ],
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
]

export function createAppRouter(context: RouterContext) {
  return createBrowserRouter(appRoutes(context))
}
