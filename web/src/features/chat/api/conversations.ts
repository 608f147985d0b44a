// The conversation list (newest activity first, paginated) and what changes a conversation:
// create, rename, file in a folder, pin, archive, settings, delete, export.
import {
  type InfiniteData,
  infiniteQueryOptions,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query'
import type { ApiClient } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import type { Conversation, ConversationPage, ConversationSettings } from '../types'
import { type ConversationFilter, chatKeys } from './keys'
import { conversationListPage } from './list-page'
import type { Thread } from './thread-cache'

export function conversationsQueryOptions(api: ApiClient, filter: ConversationFilter) {
  return infiniteQueryOptions({
    queryKey: chatKeys.list(filter),
    queryFn: ({ pageParam, signal }) => {
      const { path, query } = conversationListPage(filter, pageParam)
      return api.get<ConversationPage>(path, query, signal)
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  })
}

export function useConversations(filter: ConversationFilter, enabled = true) {
  return useInfiniteQuery({ ...conversationsQueryOptions(useApiClient(), filter), enabled })
}

/** Writes a changed conversation into every cached list and into its open thread. */
export function applyConversation(
  queryClient: QueryClient,
  conversation: Partial<Conversation> & { id: string },
) {
  queryClient.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: chatKeys.lists }, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((page) => ({
            ...page,
            items: page.items.map((item) =>
              item.id === conversation.id ? { ...item, ...conversation } : item,
            ),
          })),
        }
      : data,
  )
  queryClient.setQueryData<Thread>(chatKeys.thread(conversation.id), (thread) =>
    thread ? { ...thread, conversation: { ...thread.conversation, ...conversation } } : thread,
  )
}

export type NewConversation = Partial<ConversationSettings> & { title?: string; folder?: string | null }

export function useCreateConversation() {
  const api = useApiClient()
  return useMutation({
    mutationFn: (body: NewConversation) => api.post<Conversation>('/conversations', body),
  })
}

export type ConversationPatch = Partial<
  ConversationSettings & Pick<Conversation, 'title' | 'folder' | 'pinned' | 'archived' | 'tags'>
> & { selectedLeafId?: string }

export function updateConversation(api: ApiClient, id: string, patch: ConversationPatch) {
  return api.patch<Conversation>(`/conversations/${encodeURIComponent(id)}`, patch)
}

export function useUpdateConversation() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: ConversationPatch }) =>
      updateConversation(api, id, patch),
    onSuccess: (conversation, { patch }) => {
      applyConversation(queryClient, conversation)
      // Pinning, archiving and filing move it between lists.
      if ('pinned' in patch || 'archived' in patch || 'folder' in patch) {
        void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
      }
    },
  })
}

export function useDeleteConversation() {
  const api = useApiClient()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.delete(`/conversations/${encodeURIComponent(id)}`),
    onSuccess: (_answer, id) => {
      queryClient.removeQueries({ queryKey: chatKeys.thread(id) })
      void queryClient.invalidateQueries({ queryKey: chatKeys.lists })
    },
  })
}

export type ExportFormat = 'markdown' | 'json'

/** Downloads one conversation (Markdown: the selected branch; JSON: the whole tree), or all as JSON. */
export async function downloadExport(api: ApiClient, id: string | null, format: ExportFormat): Promise<void> {
  const path = id ? `/conversations/${encodeURIComponent(id)}/export` : '/conversations/export'
  const response = await api.raw(path, {
    query: id ? { format } : undefined,
    accept: format === 'markdown' ? 'text/markdown' : 'application/json',
  })
  const disposition = response.headers.get('content-disposition') ?? ''
  const name =
    /filename="([^"]+)"/.exec(disposition)?.[1] ??
    (format === 'markdown' ? 'conversation.md' : 'conversation.json')
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement('a')
  link.href = url
  link.download = name
  link.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
