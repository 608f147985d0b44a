// Starts the app. The session is restored first, with only the API client loaded, so that its
// refresh (and then the page's data) is under way while the rest of the app's code loads.
import './index.css'
import { takePageState } from './app/page-state'
import { prefetchConversationLists } from './features/chat/api/list-page'
import { prefetchOpenConversation } from './features/chat/api/thread-page'
import { ApiClient } from './lib/api-client'

/** How long the app's first render may wait for the conversation being opened. */
const OPENING_WAIT_MS = 150

const api = new ApiClient()
void api.restoreSession()
// A page the server rendered (a conversation, for a signed-in session) brings its data along.
const page = takePageState()
// Otherwise a conversation opened directly is requested as soon as the session is back, not
// once the app has loaded and rendered.
const opening = page ? Promise.resolve() : prefetchOpenConversation(api, window.location.pathname)
// The conversation lists beside it, likewise.
void prefetchConversationLists(api, window.location.pathname)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
// The server's HTML is painted before the app's code is loaded and run (which takes longer than
// the paint), not after it. A tab opened in the background paints nothing (and would wait for
// its frame until shown): its app starts at once.
if (page && document.visibilityState === 'visible') {
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}
const { startApp } = await import('./app/app')
if (page) {
  // The page is hydrated as the user it was rendered for; if this tab's session turns out to be
  // someone else's or none, the app starts afresh instead.
  const session = await api.whenRestored()
  const same = session.status === 'signed-in' && session.user.id === page.userId
  if (!same) root.replaceChildren()
  startApp(root, api, same ? page : undefined)
} else {
  // A conversation about to arrive is worth a short wait: the first render then shows its
  // messages (one render and one layout, instead of the page without them and then with them).
  await Promise.race([opening, new Promise((resolve) => setTimeout(resolve, OPENING_WAIT_MS))])
  startApp(root, api)
}
