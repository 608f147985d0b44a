// Starts the app. The session is restored first, with only the API client loaded, so that its
// refresh (and then the page's data) is under way while the rest of the app's code loads.
import './index.css'
import { ApiClient } from './lib/api-client'

const api = new ApiClient()
void api.restoreSession()

// A conversation opened directly loads its page's code alongside the app's, not after it.
// If it fails to load, the router's own import of it fails too and shows the error page.
if (window.location.pathname.startsWith('/chat')) import('./app/routes/chat').catch(() => undefined)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
const { startApp } = await import('./app/app')
startApp(root, api)
