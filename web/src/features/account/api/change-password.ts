import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import { sessionsKey } from './sessions'

export interface PasswordChange {
  currentPassword: string
  newPassword: string
}

/** Changes the password; the server ends every other session, so the list is refetched. */
export function useChangePassword() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (change: PasswordChange) => api.post<void>('/me/password', change),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionsKey }),
  })
}
