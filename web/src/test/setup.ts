import '@testing-library/jest-dom/vitest'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

afterEach(() => {
  cleanup()
  window.localStorage.clear()
})

// jsdom computes no layout and cannot scroll; list virtualization scrolls the window on mount.
window.scrollTo = () => undefined
// Nor does it observe sizes (Radix's Switch and Checkbox measure themselves).
window.ResizeObserver ??= class {
  observe() {
    return undefined
  }
  unobserve() {
    return undefined
  }
  disconnect() {
    return undefined
  }
}
