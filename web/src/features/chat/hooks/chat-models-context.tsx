// The models a user may chat with, handed in by the app (the chat feature does not reach into
// the LLM Manager feature): options with their live status, and how to draw a status.
import { createContext, type ReactNode, useContext } from 'react'
import type { ChatModelOption } from '../types'

export interface ChatModels {
  models: readonly ChatModelOption[]
  pending: boolean
  error: unknown
  renderStatus: (model: ChatModelOption) => ReactNode
}

const ChatModelsContext = createContext<ChatModels>({
  models: [],
  pending: false,
  error: null,
  renderStatus: () => null,
})

export function ChatModelsProvider({ value, children }: { value: ChatModels; children: ReactNode }) {
  return <ChatModelsContext.Provider value={value}>{children}</ChatModelsContext.Provider>
}

export function useChatModels(): ChatModels {
  return useContext(ChatModelsContext)
}

const LAST_MODEL_KEY = 'webplus-chat-model'

/** The model a new chat starts with: the one used last, else a loaded one, else the first. */
export function defaultModelId(models: readonly ChatModelOption[]): string | null {
  const last = window.localStorage.getItem(LAST_MODEL_KEY)
  if (last && models.some((model) => model.id === last)) return last
  return (
    (models.find((model) => model.status === 'loaded') ?? models.find((m) => m.ready) ?? models[0])?.id ??
    null
  )
}

export function rememberModel(id: string): void {
  window.localStorage.setItem(LAST_MODEL_KEY, id)
}
