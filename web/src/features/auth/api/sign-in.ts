import { useMutation } from '@tanstack/react-query'
import { useApiClient } from '@/lib/api-context'

export interface Credentials {
  email: string
  password: string
}

export function useSignIn() {
  const api = useApiClient()
  return useMutation({ mutationFn: (credentials: Credentials) => api.login(credentials) })
}
