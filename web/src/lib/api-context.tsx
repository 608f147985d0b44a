// Hands the one ApiClient to hooks, and exposes its session (who is signed in) to components.
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react'
import type { ApiClient, SessionState } from '@/lib/api-client'
import type { User } from '@/types/api'

const ApiClientContext = createContext<ApiClient | null>(null)

export function ApiClientProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiClientContext.Provider value={client}>{children}</ApiClientContext.Provider>
}

export function useApiClient(): ApiClient {
  const client = useContext(ApiClientContext)
  if (!client) throw new Error('useApiClient must be used inside <ApiClientProvider>')
  return client
}

export function useSession(): SessionState {
  const client = useApiClient()
  // The same on the server, which renders a page for a signed-in session (see entry-server.tsx).
  return useSyncExternalStore(client.subscribe, client.getSession, client.getSession)
}

/** The signed-in user; only for components rendered behind the sign-in guard. */
export function useCurrentUser(): User {
  const session = useSession()
  if (session.status !== 'signed-in') throw new Error('useCurrentUser needs a signed-in session')
  return session.user
}
