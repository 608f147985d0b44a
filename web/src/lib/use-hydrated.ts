// Whether the page is live in the browser: false on the server and while React hydrates a page
// the server rendered (so that render matches the server's HTML), true right after that and in
// every render of a page the browser rendered itself.
import { useSyncExternalStore } from 'react'

const subscribe = () => () => undefined

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  )
}
