import type { ComponentType } from 'react'
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router'
import { FullPageSpinner } from '@/components/full-page-spinner'
import { GuestOnly, RequireAuth, RequireRole } from './guards'
import { AppShell } from './layout/app-shell'
import type { RouteHandle } from './route-handle'
import ChatRoute from './routes/chat'
import { FactoryPage, FilesPage } from './routes/coming-soon-pages'
import { NotFoundPage } from './routes/not-found'
import { RouteErrorPage } from './routes/route-error'
import { SettingsLayout } from './routes/settings/settings-layout'

/** Pages loaded on first visit, to keep the first download small. */
const lazyPage = (load: () => Promise<{ default: ComponentType }>) => async () => ({
  Component: (await load()).default,
})

export const appRoutes: RouteObject[] = [
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
                // Part of the app's code, not loaded on demand: it is the home page, and a route
                // with nothing to wait for renders in the app's first render (a lazy one waits a
                // pass behind a spinner). Its conversation is requested early by main.tsx.
                path: 'chat/:conversationId?',
                element: <ChatRoute />,
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

export function createAppRouter() {
  return createBrowserRouter(appRoutes)
}
