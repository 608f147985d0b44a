import { describe, expect, it, vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'
import { prefetchOpenConversation } from './thread-page'

const user = { id: 'u1', email: 'a@example.com', name: 'A', role: 'user', createdAt: '', disabled: false }

/** A client whose session is restored (or refused) by a fake server that records every URL. */
async function client(signedIn: boolean) {
  const urls: string[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input)
    urls.push(url)
    if (url.endsWith('/auth/refresh')) {
      return signedIn
        ? Response.json({ accessToken: 't', tokenType: 'Bearer', expiresIn: 900, user })
        : Response.json({ type: 'x', title: 'Unauthorized', status: 401 }, { status: 401 })
    }
    return Response.json({ id: 'c1', messages: [] })
  })
  const api = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch })
  void api.restoreSession()
  return { api, urls }
}

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
