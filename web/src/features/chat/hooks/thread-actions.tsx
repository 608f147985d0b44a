// What a message's buttons do, provided by the open conversation so that each message row does
// not carry a dozen callbacks. Every action reports its failure to the composer.
import { createContext, type ReactNode, useContext } from 'react'
import type { Direction } from '../api/branches'
import type { Message } from '../types'

export interface ThreadActions {
  /** Sends an edited user message as a sibling of the original. */
  edit(message: Message, content: string): Promise<boolean>
  regenerate(message: Message): void
  continueReply(message: Message): void
  deleteBranch(message: Message): Promise<void>
  switchBranch(message: Message, direction: Direction): void
  rate(message: Message, rating: 'up' | 'down' | null, comment?: string): Promise<void>
  /** A reply is being written: actions that would start another wait. */
  busy: boolean
  /** A branch switch is on its way. */
  switching: boolean
}

const ThreadActionsContext = createContext<ThreadActions | null>(null)

export function ThreadActionsProvider({ value, children }: { value: ThreadActions; children: ReactNode }) {
  return <ThreadActionsContext.Provider value={value}>{children}</ThreadActionsContext.Provider>
}

export function useThreadActions(): ThreadActions {
  const actions = useContext(ThreadActionsContext)
  if (!actions) throw new Error('useThreadActions must be used inside <ThreadActionsProvider>')
  return actions
}
