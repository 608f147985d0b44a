// A chat not started yet: choose the model and settings, write the first message. Sending
// creates the conversation, sends the message and opens the conversation.
import { MessageSquarePlus } from 'lucide-react'
import { type ReactNode, useState } from 'react'
import { useNavigate } from 'react-router'
import { useCreateConversation } from '../api/conversations'
import { useSendMessage } from '../api/messages'
import { defaultModelId, rememberModel, useChatModels } from '../hooks/chat-models-context'
import type { ConversationSettings } from '../types'
import { ChatHeader } from './chat-header'
import { Composer } from './composer'
import { ModelPicker } from './model-picker'
import { SettingsSheet } from './settings-sheet'

const EMPTY: ConversationSettings = {
  modelId: null,
  systemPrompt: null,
  temperature: null,
  topP: null,
  maxTokens: null,
}

export function NewChatView({ leading }: { leading?: ReactNode }) {
  const navigate = useNavigate()
  const { models, pending } = useChatModels()
  const create = useCreateConversation()
  const send = useSendMessage()
  const [settings, setSettings] = useState<ConversationSettings>(EMPTY)
  // A conversation created for a first message that was then refused (a limit): reused on retry.
  const [createdId, setCreatedId] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const modelId = settings.modelId ?? defaultModelId(models)

  async function start(content: string): Promise<boolean> {
    if (!modelId) return false
    setError(null)
    try {
      const conversationId = createdId ?? (await create.mutateAsync({ ...settings, modelId })).id
      setCreatedId(conversationId)
      rememberModel(modelId)
      await send.mutateAsync({ conversationId, content, parentId: null, model: null })
      navigate(`/chat/${conversationId}`)
      return true
    } catch (failure) {
      setError(failure)
      return false
    }
  }

  const blocked = pending ? 'Loading models…' : modelId ? null : 'No model is available to chat with'
  return (
    <>
      <ChatHeader leading={leading} title="New chat">
        <ModelPicker
          value={modelId}
          onChange={(id) => setSettings((current) => ({ ...current, modelId: id }))}
        />
        <SettingsSheet
          settings={{ ...settings, modelId }}
          description="These apply to the conversation you are starting."
          onSave={async (next) => setSettings(next)}
        />
      </ChatHeader>
      <div className="flex flex-1 flex-col items-center justify-center gap-3 px-6 text-center">
        <MessageSquarePlus className="size-10 text-muted-foreground" aria-hidden="true" />
        <h2 className="font-semibold text-xl">What would you like to talk about?</h2>
        <p className="max-w-md text-muted-foreground text-sm">
          Replies keep going on the server: close the tab or reload and they are still there.
        </p>
      </div>
      <Composer
        onSend={start}
        onStop={() => undefined}
        streaming={false}
        blockedReason={blocked}
        error={error}
        onDismissError={() => setError(null)}
        autoFocus
        placeholder="Message"
      />
    </>
  )
}
