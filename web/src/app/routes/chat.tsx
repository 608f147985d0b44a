// The Chat page. The chat feature gets the models it may offer from the LLM Manager's catalog
// (kept live by pushed `model.status` events), composed here so features stay apart.
import { useMemo } from 'react'
import { useLocation, useParams } from 'react-router'
import { ChatPage } from '@/features/chat/components/chat-page'
import { type ChatModels, ChatModelsProvider } from '@/features/chat/hooks/chat-models-context'
import type { ChatModelOption } from '@/features/chat/types'
import { useModels } from '@/features/models/api/models'
import { ModelStatusBadge } from '@/features/models/components/model-status-badge'
import type { Model, ModelStatus } from '@/features/models/types'
import { useCurrentUser } from '@/lib/api-context'
import type { Role } from '@/types/api'

const NOT_READY: readonly ModelStatus[] = ['error', 'unreachable', 'no-host', 'disabled']

/** Models this role may chat with: enabled, allowed, on a host, and able to chat (not embeddings only). */
export function chatModelOptions(models: readonly Model[], role: Role): ChatModelOption[] {
  return models
    .filter(
      (model) =>
        model.enabled &&
        model.allowedRoles.includes(role) &&
        model.hosts.length > 0 &&
        (model.capabilities.length === 0 || model.capabilities.includes('chat')),
    )
    .map((model) => ({
      id: model.id,
      name: model.name,
      label: model.displayName || model.name,
      status: model.status,
      statusReason: model.hosts.find((host) => host.error)?.error ?? null,
      contextLength: model.contextLength,
      ready: !NOT_READY.includes(model.status),
    }))
}

export default function ChatRoute() {
  const { conversationId } = useParams()
  const location = useLocation()
  const user = useCurrentUser()
  const models = useModels()
  const focusMessageId = (location.state as { focusMessageId?: string } | null)?.focusMessageId ?? null
  const value = useMemo<ChatModels>(
    () => ({
      models: chatModelOptions(models.data ?? [], user.role),
      pending: models.isPending,
      error: models.error,
      renderStatus: (model) => (
        <ModelStatusBadge status={model.status as ModelStatus} reason={model.statusReason} />
      ),
    }),
    [models.data, models.isPending, models.error, user.role],
  )
  return (
    <ChatModelsProvider value={value}>
      <ChatPage conversationId={conversationId} focusMessageId={focusMessageId} />
    </ChatModelsProvider>
  )
}
