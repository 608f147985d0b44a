// Applies the saved (or the system's) theme before the first paint, so a dark page never
// flashes white. A separate file, not an inline script: the Content-Security-Policy forbids those.
;(() => {
  let stored = null
  try {
    stored = window.localStorage.getItem('webplus-theme')
  } catch (error) {
    // Storage can be blocked (privacy settings); fall back to the system theme.
    console.warn('theme: localStorage unavailable', error)
  }
  const dark =
    stored === 'dark' || (stored !== 'light' && window.matchMedia('(prefers-color-scheme: dark)').matches)
  document.documentElement.classList.toggle('dark', dark)
  document.documentElement.style.colorScheme = dark ? 'dark' : 'light'
})()
