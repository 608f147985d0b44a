import { cloneElement, type ReactElement, type ReactNode, useState } from 'react'
import { DropdownMenu, DropdownMenuContent, DropdownMenuTrigger } from '@/components/ui/dropdown-menu'

interface TriggerProps {
  onClick?: (event: React.MouseEvent<HTMLButtonElement>) => void
  'aria-haspopup'?: 'menu'
  'aria-expanded'?: boolean
}

/**
 * A dropdown menu that costs a plain button until first opened. Long lists (the model catalog)
 * have a menu per row; mounting Radix's menu machinery for each would dominate their render.
 */
export function DeferredDropdownMenu({
  trigger,
  children,
  align = 'end',
  contentClassName,
}: {
  trigger: ReactElement<TriggerProps>
  children: ReactNode
  align?: 'start' | 'center' | 'end'
  contentClassName?: string
}) {
  const [used, setUsed] = useState(false)
  const [open, setOpen] = useState(false)
  if (!used) {
    return cloneElement(trigger, {
      'aria-haspopup': 'menu',
      'aria-expanded': false,
      onClick: () => {
        setUsed(true)
        setOpen(true)
      },
    })
  }
  return (
    <DropdownMenu open={open} onOpenChange={setOpen}>
      <DropdownMenuTrigger asChild>{trigger}</DropdownMenuTrigger>
      <DropdownMenuContent align={align} className={contentClassName}>
        {children}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
