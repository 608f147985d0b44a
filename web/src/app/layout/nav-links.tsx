import { NavLink } from 'react-router'
import { useCurrentUser } from '@/lib/api-context'
import { cn } from '@/lib/utils'
import { NAV_ITEMS } from './nav-items'

/** The main navigation, shared by the desktop sidebar and the mobile drawer. */
export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const user = useCurrentUser()
  return (
    <nav aria-label="Main" className="grid gap-1 p-3">
      {NAV_ITEMS.filter((item) => !item.role || item.role === user.role).map(({ to, label, icon: Icon }) => (
        <NavLink
          key={to}
          to={to}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex items-center gap-3 rounded-md px-3 py-2 font-medium text-muted-foreground text-sm transition-colors hover:bg-accent hover:text-accent-foreground',
              isActive && 'bg-accent text-accent-foreground',
            )
          }
        >
          <Icon className="size-4" aria-hidden="true" />
          {label}
        </NavLink>
      ))}
    </nav>
  )
}
