// How each model status looks: one colour per meaning, motion only for work in progress.
import {
  CircleAlert,
  CircleCheck,
  CircleDashed,
  CircleMinus,
  Download,
  Loader2,
  type LucideIcon,
  ServerOff,
  Unplug,
} from 'lucide-react'
import type { ModelStatus } from '../types'

export interface StatusMeta {
  label: string
  icon: LucideIcon
  /** Badge colours (background, text, border). */
  badge: string
  /** The small dot of a per-host chip. */
  dot: string
  /** Icon motion for statuses that are on their way to another. */
  iconMotion?: string
}

export const STATUS_META: Record<ModelStatus, StatusMeta> = {
  loaded: {
    label: 'Loaded',
    icon: CircleCheck,
    badge: 'border-success/30 bg-success/10 text-success dark:bg-success/15',
    dot: 'bg-success',
  },
  loading: {
    label: 'Loading',
    icon: Loader2,
    badge: 'border-warning/40 bg-warning/10 text-amber-700 dark:text-warning',
    dot: 'bg-warning animate-pulse',
    iconMotion: 'animate-spin',
  },
  unloading: {
    label: 'Unloading',
    icon: Loader2,
    badge: 'border-warning/40 bg-warning/10 text-amber-700 dark:text-warning',
    dot: 'bg-warning animate-pulse',
    iconMotion: 'animate-spin',
  },
  pulling: {
    label: 'Pulling',
    icon: Download,
    badge: 'border-sky-500/30 bg-sky-500/10 text-sky-700 dark:text-sky-300',
    dot: 'bg-sky-500 animate-pulse',
    iconMotion: 'animate-pulse',
  },
  available: {
    label: 'Available',
    icon: CircleDashed,
    badge: 'border-border bg-background text-foreground',
    dot: 'border border-muted-foreground bg-transparent',
  },
  error: {
    label: 'Error',
    icon: CircleAlert,
    badge: 'border-destructive/30 bg-destructive/10 text-destructive dark:bg-destructive/20',
    dot: 'bg-destructive',
  },
  unreachable: {
    label: 'Unreachable',
    icon: Unplug,
    badge: 'border-transparent bg-muted text-muted-foreground',
    dot: 'bg-muted-foreground/60',
  },
  'no-host': {
    label: 'No host',
    icon: ServerOff,
    badge: 'border-dashed border-muted-foreground/40 bg-muted text-muted-foreground',
    dot: 'bg-muted-foreground/40',
  },
  disabled: {
    label: 'Disabled',
    icon: CircleMinus,
    badge: 'border-dashed border-muted-foreground/40 bg-transparent text-muted-foreground',
    dot: 'bg-muted-foreground/40',
  },
}

/** Statuses where the model is busy and its start/stop buttons wait. */
export function isTransitional(status: ModelStatus): boolean {
  return status === 'loading' || status === 'unloading' || status === 'pulling'
}
