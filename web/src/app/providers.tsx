import { type QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useEffect } from 'react'
import type { ApiClient } from '@/lib/api-client'
import { ApiClientProvider } from '@/lib/api-context'
import { RealtimeProvider } from '@/lib/realtime-context'

/** Forgets every cached answer when the session ends, so the next user never sees them. */
function useClearCacheOnSignOut(api: ApiClient, queryClient: QueryClient) {
  useEffect(
    () =>
      api.subscribe(() => {
        if (api.getSession().status === 'signed-out') queryClient.clear()
      }),
    [api, queryClient],
  )
}

export function AppProviders({
  api,
  queryClient,
  children,
}: {
  api: ApiClient
  queryClient: QueryClient
  children: ReactNode
}) {
  useClearCacheOnSignOut(api, queryClient)
  return (
    <ApiClientProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <RealtimeProvider>{children}</RealtimeProvider>
      </QueryClientProvider>
    </ApiClientProvider>
  )
}
