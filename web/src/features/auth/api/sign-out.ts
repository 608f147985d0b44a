import { useMutation } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'

/** Ends the session on the server; the client forgets it first, so the UI signs out at once. */
export function useSignOut() {
  const api = useApiClient()
  return useMutation({ mutationFn: () => api.logout() })
}
