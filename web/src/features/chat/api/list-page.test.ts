import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { restoredClient } from '../testing/restored-client'
import { conversationsQueryOptions } from './conversations'
import { prefetchConversationLists } from './list-page'

describe('prefetchConversationLists', () => {
  it("requests the chat page's two lists once the session is back; the lists' queries take them", async () => {
    const { api, urls } = await restoredClient(true)
    await prefetchConversationLists(api, '/chat/c1')
    expect(urls).toEqual([
      '/api/v1/auth/refresh',
      '/api/v1/conversations?limit=100&archived=false&pinned=true',
      '/api/v1/conversations?limit=30&archived=false&pinned=false',
    ])
    const queryClient = new QueryClient()
    await queryClient.fetchInfiniteQuery(conversationsQueryOptions(api, { archived: false, pinned: true }))
    await queryClient.fetchInfiniteQuery(conversationsQueryOptions(api, { archived: false, pinned: false }))
    expect(urls).toHaveLength(3)
  })

  it('requests nothing when signed out or away from the chat page', async () => {
    const signedOut = await restoredClient(false)
    await prefetchConversationLists(signedOut.api, '/chat')
    expect(signedOut.urls).toEqual(['/api/v1/auth/refresh'])

    const signedIn = await restoredClient(true)
    for (const path of ['/models', '/chatter', '/settings/profile']) {
      await prefetchConversationLists(signedIn.api, path)
    }
    await signedIn.api.whenRestored()
    expect(signedIn.urls).toEqual(['/api/v1/auth/refresh'])
  })
})
