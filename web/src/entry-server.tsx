// Renders a conversation's page (`/chat/:id`) on the server, for server/src/http/pages.ts: the
// app's own components, with the data the page needs fetched first through an API client of the
// signed-in session (the server answers its calls in-process). The browser paints the HTML at
// once; main.tsx then hydrates it with the same data (`state`), so nothing is fetched twice.
import { dehydrate, type QueryClient } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from 'react-router'
import type { PageState } from './app/page-state'
import { AppProviders } from './app/providers'
import { appRoutes } from './app/router'
import { threadQueryOptions } from './features/chat/api/thread'
import { modelsQueryOptions } from './features/models/api/models'
import { ApiClient } from './lib/api-client'
import { createQueryClient } from './lib/query-client'
import type { TokenResponse, User } from './types/api'

export interface PageRenderInput {
  /** The page's address: path and query. */
  url: string
  /** A session's credentials: the page is rendered as this user sees it. */
  tokens: TokenResponse
  /** Answers the API client's requests. */
  fetch: typeof fetch
}

export interface RenderedPage {
  html: string
  state: PageState
}

const CONVERSATION_PAGE = /^\/chat\/([^/?#]+)\/?(?:[?#]|$)/
/** The app's routes, matched on the server as the browser's router matches them (made once). */
const routes = createStaticHandler(appRoutes)

/**
 * The queries a conversation's page shows on its first render: the conversation and the models
 * (its header). The conversation list is left to the browser, as on a page it renders itself:
 * rendering it here would double the page's HTML and hold back the conversation's first paint.
 */
async function prefetchConversationPage(
  queryClient: QueryClient,
  api: ApiClient,
  conversationId: string,
  user: User,
): Promise<void> {
  await Promise.all([
    queryClient.prefetchQuery(threadQueryOptions(api, queryClient, conversationId)),
    queryClient.prefetchQuery(modelsQueryOptions(api, queryClient, user.role)),
  ])
}

/** The page's HTML and state, or null for an address this does not render. */
export async function render({ url, tokens, fetch }: PageRenderInput): Promise<RenderedPage | null> {
  const encoded = CONVERSATION_PAGE.exec(url)?.[1]
  if (!encoded) return null
  let conversationId: string
  try {
    conversationId = decodeURIComponent(encoded)
  } catch {
    return null
  }
  const api = new ApiClient({ fetch })
  api.acceptTokens(tokens)
  const queryClient = createQueryClient()
  // A failed request is not retried here (that would hold the page back); the browser asks again.
  queryClient.setDefaultOptions({ queries: { ...queryClient.getDefaultOptions().queries, retry: false } })
  await prefetchConversationPage(queryClient, api, conversationId, tokens.user)

  const context = await routes.query(new Request(new URL(url, 'http://webplus.invalid')))
  if (context instanceof Response) return null
  const router = createStaticRouter(routes.dataRoutes, context)
  const html = renderToString(
    <StrictMode>
      <AppProviders api={api} queryClient={queryClient}>
        <StaticRouterProvider router={router} context={context} hydrate={false} />
      </AppProviders>
    </StrictMode>,
  )
  // Only answers: a failed request (a conversation that is not the user's) is asked again by the
  // browser, which shows its error as it would have without this page.
  return { html, state: { userId: tokens.user.id, queries: dehydrate(queryClient) } }
}
