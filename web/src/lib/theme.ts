// Light / dark theme: the choice is kept in localStorage and applied as a class on <html>;
// "system" follows the operating system. A script in index.html applies it before first paint.
import { useSyncExternalStore } from 'react'

export type ThemePreference = 'light' | 'dark' | 'system'

export const THEME_STORAGE_KEY = 'webplus-theme'

const listeners = new Set<() => void>()
const systemDark = () => window.matchMedia?.('(prefers-color-scheme: dark)')

function readPreference(): ThemePreference {
  const stored = window.localStorage.getItem(THEME_STORAGE_KEY)
  return stored === 'light' || stored === 'dark' ? stored : 'system'
}

let preference: ThemePreference = typeof window === 'undefined' ? 'system' : readPreference()

export function resolvedTheme(choice: ThemePreference = preference): 'light' | 'dark' {
  if (choice !== 'system') return choice
  return systemDark()?.matches ? 'dark' : 'light'
}

function applyTheme(): void {
  const root = document.documentElement
  const dark = resolvedTheme() === 'dark'
  root.classList.toggle('dark', dark)
  root.style.colorScheme = dark ? 'dark' : 'light'
}

export function setThemePreference(next: ThemePreference): void {
  preference = next
  if (next === 'system') window.localStorage.removeItem(THEME_STORAGE_KEY)
  else window.localStorage.setItem(THEME_STORAGE_KEY, next)
  applyTheme()
  for (const listener of listeners) listener()
}

/** Applies the theme and follows system changes and other tabs; call once at start-up. */
export function initTheme(): void {
  applyTheme()
  systemDark()?.addEventListener('change', () => {
    if (preference === 'system') {
      applyTheme()
      for (const listener of listeners) listener()
    }
  })
  window.addEventListener('storage', (event) => {
    if (event.key === THEME_STORAGE_KEY) {
      preference = readPreference()
      applyTheme()
      for (const listener of listeners) listener()
    }
  })
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useThemePreference(): ThemePreference {
  // A page rendered on the server cannot know the choice: it shows 'system', and the browser
  // renders the stored choice right after hydrating.
  return useSyncExternalStore(
    subscribe,
    () => preference,
    () => 'system',
  )
}
