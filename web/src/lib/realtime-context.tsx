// Runs the realtime connection while someone is signed in and shares it with the app.
import { createContext, type ReactNode, useContext, useEffect, useState, useSyncExternalStore } from 'react'
import { useApiClient, useSession } from '@/lib/api-context'
import { RealtimeClient, type RealtimeStatus, realtimeUrl } from '@/lib/realtime'

const RealtimeContext = createContext<RealtimeClient | null>(null)

export function RealtimeProvider({ children }: { children: ReactNode }) {
  const api = useApiClient()
  const session = useSession()
  const [client] = useState(
    () => new RealtimeClient({ url: realtimeUrl, getToken: (force) => api.freshAccessToken(force) }),
  )
  const signedIn = session.status === 'signed-in'

  useEffect(() => {
    if (!signedIn) return
    client.start()
    const online = () => client.reconnectNow()
    window.addEventListener('online', online)
    return () => {
      window.removeEventListener('online', online)
      client.stop()
    }
  }, [client, signedIn])

  return <RealtimeContext.Provider value={client}>{children}</RealtimeContext.Provider>
}

export function useRealtime(): RealtimeClient {
  const client = useContext(RealtimeContext)
  if (!client) throw new Error('useRealtime must be used inside <RealtimeProvider>')
  return client
}

export function useRealtimeStatus(): RealtimeStatus {
  const client = useRealtime()
  // A page rendered on the server shows the status a client starts with, as the browser's first render does.
  return useSyncExternalStore(client.subscribeStatus, client.getStatus, client.getStatus)
}
