import type { ReactNode } from 'react'
import { useHydrated } from '@/lib/use-hydrated'

/** The bar above a conversation: the list button (small screens), title, model and settings. */
export function ChatHeader({
  leading,
  title,
  children,
}: {
  leading?: ReactNode
  title: ReactNode
  children?: ReactNode
}) {
  // Inert on a server-rendered page until the app has taken it over.
  const hydrated = useHydrated()
  return (
    <div inert={!hydrated} className="flex h-12 shrink-0 items-center gap-1 border-b px-2 md:px-4">
      {leading}
      <h1 className="min-w-0 flex-1 truncate px-1 font-semibold text-sm" data-testid="conversation-title">
        {title}
      </h1>
      <div className="flex min-w-0 items-center gap-1">{children}</div>
    </div>
  )
}
