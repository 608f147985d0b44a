import { NavLink } from 'react-router'
import { cn } from '@/lib/utils'

/** Tabs between the pages of one section (Settings, Admin); scrolls sideways on small screens. */
export function SectionNav({
  label,
  items,
}: {
  label: string
  items: readonly { to: string; label: string }[]
}) {
  return (
    <nav aria-label={label} className="-mx-4 overflow-x-auto border-b px-4 md:mx-0 md:px-0">
      <div className="flex gap-1">
        {items.map((item) => (
          <NavLink
            key={item.to}
            to={item.to}
            className={({ isActive }) =>
              cn(
                '-mb-px whitespace-nowrap border-b-2 px-3 py-2 font-medium text-muted-foreground text-sm transition-colors hover:text-foreground',
                isActive ? 'border-primary text-foreground' : 'border-transparent',
              )
            }
          >
            {item.label}
          </NavLink>
        ))}
      </div>
    </nav>
  )
}
