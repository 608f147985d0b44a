// Starts the app. The session is restored first, with only the API client loaded, so that its
// refresh (and then the page's data) is under way while the rest of the app's code loads.
import './index.css'
import { prefetchOpenConversation } from './features/chat/api/thread-page'
import { ApiClient } from './lib/api-client'

/** How long the app's first render may wait for the conversation being opened. */
const OPENING_WAIT_MS = 150

const api = new ApiClient()
void api.restoreSession()
// A conversation opened directly is requested as soon as the session is back, not once the app
// has loaded and rendered.
const opening = prefetchOpenConversation(api, window.location.pathname)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const { startApp } = await import('./app/app')
// A conversation about to arrive is worth a short wait: the first render then shows its messages
// (one render and one layout, instead of the page without them and then again with them).
await Promise.race([opening, new Promise((resolve) => setTimeout(resolve, OPENING_WAIT_MS))])
startApp(root, api)
