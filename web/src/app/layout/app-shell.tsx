import { Outlet, useMatches } from 'react-router'
import { Logo } from '@/components/logo'
import { useLiveModelUpdates } from '@/features/models/hooks/use-live-model-updates'
import { useHydrated } from '@/lib/use-hydrated'
import type { RouteHandle } from '../route-handle'
import { ConnectionIndicator } from './connection-indicator'
import { MobileNav } from './mobile-nav'
import { NavLinks } from './nav-links'
import { ThemeToggle } from './theme-toggle'
import { UserMenu } from './user-menu'

/** The signed-in frame: sidebar on desktop, drawer on mobile, header with status and menus. */
export function AppShell() {
  // Model status and pull progress stay live in the cache on every page, not only on Models.
  useLiveModelUpdates()
  // A full-bleed page (Chat) gets the whole area under the header and scrolls inside itself.
  const fullBleed = useMatches().some((match) => (match.handle as RouteHandle | undefined)?.fullBleed)
  // On a page the server rendered, the menus do nothing until the app has taken the page over:
  // they are inert till then (a click is not lost silently, and tests wait for them).
  const hydrated = useHydrated()
  return (
    <div className={fullBleed ? 'flex h-dvh' : 'flex min-h-dvh'}>
      <aside className="fixed inset-y-0 left-0 z-30 hidden w-60 flex-col border-r bg-sidebar md:flex">
        <div className="flex h-14 shrink-0 items-center border-b px-5">
          <Logo />
        </div>
        <NavLinks />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col md:pl-60">
        <header
          inert={!hydrated}
          className="sticky top-0 z-20 flex h-14 shrink-0 items-center gap-2 border-b bg-background/90 px-3 backdrop-blur md:px-6"
        >
          <MobileNav />
          <Logo className="md:hidden" />
          <div className="ml-auto flex items-center gap-1">
            <ConnectionIndicator />
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        {fullBleed ? (
          <main className="flex min-h-0 flex-1 flex-col">
            <Outlet />
          </main>
        ) : (
          <main className="flex flex-1 flex-col px-4 py-6 md:px-8 md:py-8">
            <div className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-6">
              <Outlet />
            </div>
          </main>
        )}
      </div>
    </div>
  )
}
