import './index.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { z } from 'zod'
import { createApp } from './app/app'
import { initTheme } from './lib/theme'

// The CSP forbids eval: tell zod not to probe for it (the probe alone logs a CSP violation).
z.config({ jitless: true })
initTheme()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(<StrictMode>{createApp()}</StrictMode>)
