// The state a server-rendered page carries (see entry-server.tsx): who it was rendered for and
// the query answers its first render used, in a JSON script element next to the page's HTML.
import type { DehydratedState } from '@tanstack/react-query'

export const PAGE_STATE_ID = 'webplus-page-state'

export interface PageState {
  userId: string
  queries: DehydratedState
}

/** The page's state, taken out of the document (read once); null when the page was not rendered. */
export function takePageState(): PageState | null {
  const element = document.getElementById(PAGE_STATE_ID)
  if (!element) return null
  element.remove()
  try {
    const state = JSON.parse(element.textContent ?? '') as PageState
    return typeof state?.userId === 'string' && state.queries ? state : null
  } catch {
    return null
  }
}
