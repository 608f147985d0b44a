// Starts the app. The session is restored first, with only the API client loaded, so that its
// refresh (and then the page's data) is under way while the rest of the app's code loads.
import './index.css'
import { prefetchOpenConversation } from './features/chat/api/thread-page'
import { ApiClient } from './lib/api-client'

const api = new ApiClient()
void api.restoreSession()
// A conversation opened directly is requested as soon as the session is back, not once the app
// has loaded and rendered.
void prefetchOpenConversation(api, window.location.pathname)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const { startApp } = await import('./app/app')
startApp(root, api)
