import {
  infiniteQueryOptions,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query'
import type { GatewayLimits } from '@/components/limits-form'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { Role, User } from '@/types/api'

export interface UserPage {
  items: User[]
  nextCursor: string | null
}

export const adminUsersKey = ['admin', 'users'] as const
const PAGE_SIZE = 50

export function adminUsersQueryOptions(api: ApiClient, search: string) {
  return infiniteQueryOptions({
    queryKey: [...adminUsersKey, { search }],
    queryFn: ({ pageParam, signal }) =>
      api.get<UserPage>('/admin/users', { limit: PAGE_SIZE, cursor: pageParam, q: search }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  })
}

export function useAdminUsers(search: string) {
  return useInfiniteQuery(adminUsersQueryOptions(useApiClient(), search))
}

export interface UserChange {
  id: string
  role?: Role
  disabled?: boolean
}

export function useUpdateUser() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, ...change }: UserChange) =>
      api.patch<User>(`/admin/users/${encodeURIComponent(id)}`, change),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminUsersKey }),
  })
}

export function useResetUserPassword() {
  const api = useApiClient()
  return useMutation({
    mutationFn: ({ id, newPassword }: { id: string; newPassword: string }) =>
      api.post<void>(`/admin/users/${encodeURIComponent(id)}/password`, { newPassword }),
  })
}

const userLimitsKey = (userId: string) => [...adminUsersKey, userId, 'limits'] as const

/** An account's gateway limits (its keys' may only narrow them). */
export function useUserLimits(userId: string) {
  const api = useApiClient()
  return useQuery({
    queryKey: userLimitsKey(userId),
    queryFn: ({ signal }) =>
      api.get<GatewayLimits>(`/admin/users/${encodeURIComponent(userId)}/limits`, undefined, signal),
  })
}

export function useSaveUserLimits(userId: string) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (limits: GatewayLimits) =>
      api.put<GatewayLimits>(`/admin/users/${encodeURIComponent(userId)}/limits`, limits),
    onSuccess: (saved) => queryClient.setQueryData(userLimitsKey(userId), saved),
  })
}
