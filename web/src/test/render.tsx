// Renders a component with the app's providers around it and an ApiClient over a fake fetch.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter } from 'react-router'
import { ApiClient } from '@/lib/api-client'
import { ApiClientProvider } from '@/lib/api-context'

export function jsonResponse(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': type } })
}

export function renderWithApi(ui: ReactElement, fetch: typeof globalThis.fetch) {
  const api = new ApiClient({ fetch })
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  })
  const result = render(
    <ApiClientProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter>{ui}</MemoryRouter>
      </QueryClientProvider>
    </ApiClientProvider>,
  )
  return { ...result, api }
}
