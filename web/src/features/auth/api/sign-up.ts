import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'
import type { User } from '@/types/api'
import { authStatusKey } from './auth-status'

export interface Registration {
  name: string
  email: string
  password: string
}

/** Creates the account, then signs in with it (registering does not start a session). */
export function useSignUp() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: async (registration: Registration) => {
      await api.request<{ user: User }>('/auth/register', { method: 'POST', body: registration, auth: false })
      return api.login({ email: registration.email, password: registration.password })
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: authStatusKey }),
  })
}
