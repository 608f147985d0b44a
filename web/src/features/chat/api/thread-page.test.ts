import { describe, expect, it } from 'vitest'
import { restoredClient as client } from '../testing/restored-client'
import { prefetchOpenConversation } from './thread-page'

describe('prefetchOpenConversation', () => {
  it("requests an open conversation's newest page once the session is back", async () => {
    const { api, urls } = await client(true)
    await prefetchOpenConversation(api, '/chat/c%201')
    expect(urls).toEqual(['/api/v1/auth/refresh', '/api/v1/conversations/c%201?limit=50'])
    // The thread's own request for that page takes the answer instead of asking again.
    await api.get('/conversations/c%201', { limit: 50 })
    expect(urls).toHaveLength(2)
  })

  it('requests nothing when signed out, away from a conversation, or for a malformed address', async () => {
    const signedOut = await client(false)
    await prefetchOpenConversation(signedOut.api, '/chat/c1')
    expect(signedOut.urls).toEqual(['/api/v1/auth/refresh'])

    const signedIn = await client(true)
    for (const path of ['/chat', '/chat/', '/models', '/chat/c1/extra', '/chat/%E0%A4%A']) {
      await prefetchOpenConversation(signedIn.api, path)
    }
    await signedIn.api.whenRestored()
    expect(signedIn.urls).toEqual(['/api/v1/auth/refresh'])
  })
})
