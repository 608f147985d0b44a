// An API client whose session is restored (or refused) by a fake server that records every URL
// it is asked for: for the requests the app's entry makes ahead of the app.
import { vi } from 'vitest'
import { ApiClient } from '@/lib/api-client'

const user = { id: 'u1', email: 'a@example.com', name: 'A', role: 'user', createdAt: '', disabled: false }

export async function restoredClient(signedIn: boolean) {
  const urls: string[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input)
    urls.push(url)
    if (url.endsWith('/auth/refresh')) {
      return signedIn
        ? Response.json({ accessToken: 't', tokenType: 'Bearer', expiresIn: 900, user })
        : Response.json({ type: 'x', title: 'Unauthorized', status: 401 }, { status: 401 })
    }
    if (url.includes('/conversations?')) return Response.json({ items: [], nextCursor: null })
    return Response.json({ id: 'c1', messages: [] })
  })
  const api = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch })
  void api.restoreSession()
  return { api, urls }
}
