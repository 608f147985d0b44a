// One open conversation: its header (title, model, settings), the thread, and the composer,
// with every message action wired to the API and every failure shown above the composer.
import { useQueryClient } from '@tanstack/react-query'
import { Loader2 } from 'lucide-react'
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react'
import { Button } from '@/components/ui/button'
import { ApiError } from '@/lib/api-client'
import { useApiClient } from '@/lib/api-context'
import { errorMessage } from '@/lib/form'
import { useSwitchBranch } from '../api/branches'
import { applyConversation, updateConversation } from '../api/conversations'
import {
  useContinueReply,
  useDeleteBranch,
  useRegenerate,
  useReplyFeedback,
  useSendMessage,
  useStopGeneration,
} from '../api/messages'
import { useLoadOlder, useThread } from '../api/thread'
import { rememberModel, useChatModels } from '../hooks/chat-models-context'
import { useReplyState } from '../hooks/reply-streams-context'
import { type ThreadActions, ThreadActionsProvider } from '../hooks/thread-actions'
import type { ConversationSettings, Message } from '../types'
import { ChatHeader } from './chat-header'
import { Composer } from './composer'
import { ModelPicker } from './model-picker'
import { SettingsSheet } from './settings-sheet'
import { Thread } from './thread'

/** Esc stops the reply, unless a dialog or menu is open (Esc closes that instead). */
function useEscapeToStop(active: boolean, stop: () => void) {
  useEffect(() => {
    if (!active) return
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      // Esc in another field (search, an edit) belongs to that field.
      const target = event.target as HTMLElement | null
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return
      if (document.querySelector('[role="dialog"], [role="alertdialog"], [role="menu"]')) return
      stop()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [active, stop])
}

export function ConversationView({
  conversationId,
  focusMessageId,
  leading,
}: {
  conversationId: string
  focusMessageId?: string | null
  leading?: ReactNode
}) {
  const api = useApiClient()
  const queryClient = useQueryClient()
  const thread = useThread(conversationId)
  const older = useLoadOlder(conversationId)
  const { models } = useChatModels()
  const send = useSendMessage()
  const regenerate = useRegenerate()
  const continueReply = useContinueReply()
  const stop = useStopGeneration()
  const deleteBranch = useDeleteBranch()
  const feedback = useReplyFeedback()
  const switchBranch = useSwitchBranch()
  const [actionError, setActionError] = useState<unknown>(null)

  const conversation = thread.data?.conversation
  const messages = thread.data?.messages ?? []
  const last = messages.at(-1)
  const lastState = useReplyState(last)
  const writing = last?.role === 'assistant' && lastState === 'streaming' ? last : null
  const model = models.find((candidate) => candidate.id === conversation?.modelId) ?? null

  const stopWriting = useCallback(() => {
    if (writing?.generationId && !stop.isPending) {
      stop.mutate(writing.generationId, { onError: setActionError })
    }
  }, [writing, stop])
  useEscapeToStop(writing !== null, stopWriting)

  const actions = useMemo<ThreadActions>(
    () => ({
      edit: async (message: Message, content: string) => {
        setActionError(null)
        try {
          await send.mutateAsync({
            conversationId,
            content,
            parentId: message.parentId,
            model: null,
            editOf: message,
          })
          return true
        } catch (error) {
          setActionError(error)
          return false
        }
      },
      regenerate: (message) => {
        setActionError(null)
        regenerate.mutate({ message }, { onError: setActionError })
      },
      continueReply: (message) => {
        setActionError(null)
        continueReply.mutate({ message }, { onError: setActionError })
      },
      deleteBranch: async (message) => {
        await deleteBranch.mutateAsync(message)
      },
      switchBranch: (message, direction) => {
        setActionError(null)
        switchBranch.mutate({ message, direction }, { onError: setActionError })
      },
      rate: async (message, rating, comment) => {
        try {
          await feedback.mutateAsync({ message, rating, comment })
        } catch (error) {
          setActionError(error)
        }
      },
      busy: writing !== null,
      switching: switchBranch.isPending,
    }),
    [conversationId, send, regenerate, continueReply, deleteBranch, switchBranch, feedback, writing],
  )

  async function sendMessage(content: string): Promise<boolean> {
    setActionError(null)
    try {
      await send.mutateAsync({
        conversationId,
        content,
        parentId: last?.id ?? null,
        model: null,
      })
      return true
    } catch (error) {
      setActionError(error)
      return false
    }
  }

  async function saveSettings(settings: ConversationSettings) {
    const updated = await updateConversation(api, conversationId, settings)
    applyConversation(queryClient, updated)
    if (updated.modelId) rememberModel(updated.modelId)
  }

  function changeModel(modelId: string) {
    setActionError(null)
    rememberModel(modelId)
    updateConversation(api, conversationId, { modelId })
      .then((updated) => applyConversation(queryClient, updated))
      .catch(setActionError)
  }

  if (thread.isError && !thread.data) {
    const missing = thread.error instanceof ApiError && thread.error.status === 404
    return (
      <>
        <ChatHeader leading={leading} title={missing ? 'Not found' : 'Conversation'} />
        <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
          <p className="text-muted-foreground">
            {missing ? 'This conversation does not exist, or it is not yours.' : errorMessage(thread.error)}
          </p>
          {missing ? null : <Button onClick={() => void thread.refetch()}>Try again</Button>}
        </div>
      </>
    )
  }

  return (
    <ThreadActionsProvider value={actions}>
      <ChatHeader leading={leading} title={conversation?.title ?? ''}>
        <ModelPicker value={conversation?.modelId ?? null} onChange={changeModel} disabled={!conversation} />
        {conversation ? <SettingsSheet settings={conversation} onSave={saveSettings} /> : null}
      </ChatHeader>
      {thread.isPending ? (
        <div className="flex flex-1 items-center justify-center text-muted-foreground">
          <Loader2 className="size-5 animate-spin" aria-label="Loading the conversation" />
        </div>
      ) : (
        <Thread
          messages={messages}
          hasMore={thread.data?.hasMore ?? false}
          loadingOlder={older.loading}
          olderError={older.error}
          onLoadOlder={older.loadOlder}
          focusMessageId={focusMessageId}
        />
      )}
      <Composer
        onSend={sendMessage}
        onStop={stopWriting}
        streaming={writing !== null}
        stopping={stop.isPending}
        blockedReason={
          !conversation
            ? 'Loading the conversation…'
            : !conversation.modelId && !model
              ? 'Choose a model to start'
              : null
        }
        error={actionError}
        onDismissError={() => setActionError(null)}
        autoFocus
      />
    </ThreadActionsProvider>
  )
}
