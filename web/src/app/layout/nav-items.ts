import { Boxes, FileText, type LucideIcon, MessageSquare, Settings, Shield, Workflow } from 'lucide-react'
import type { Role } from '@/types/api'

export interface NavItem {
  to: string
  label: string
  icon: LucideIcon
  /** Only users with this role see the item. */
  role?: Role
}

export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/chat', label: 'Chat', icon: MessageSquare },
  { to: '/models', label: 'Models', icon: Boxes },
  { to: '/factory', label: 'Code Factory', icon: Workflow },
  { to: '/files', label: 'Files', icon: FileText },
  { to: '/admin', label: 'Admin', icon: Shield, role: 'admin' },
  { to: '/settings', label: 'Settings', icon: Settings },
]
