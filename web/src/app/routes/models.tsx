// The Models page: the catalog for everyone; for admins, the Ollama hosts a model can be pulled
// onto come from the providers feature.
import { useMemo } from 'react'
import { ModelsCatalog } from '@/features/models/components/models-catalog'
import type { PullHost } from '@/features/models/components/pull-dialog'
import { useProviders } from '@/features/providers/api/providers'
import { useCurrentUser } from '@/lib/api-context'

export default function ModelsPage() {
  const user = useCurrentUser()
  const isAdmin = user.role === 'admin'
  const providers = useProviders({ enabled: isAdmin })
  const pullHosts = useMemo(
    () =>
      (providers.data ?? [])
        .filter(
          (provider) => (provider.kind === 'ollama' || provider.kind === 'embedded') && provider.enabled,
        )
        .map((provider) => ({
          id: provider.id,
          name: provider.name,
          kind: provider.kind as PullHost['kind'],
        })),
    [providers.data],
  )
  const names = useMemo(
    () => new Map((providers.data ?? []).map((provider) => [provider.id, provider.name])),
    [providers.data],
  )
  return (
    <ModelsCatalog
      canManage={isAdmin}
      pullHosts={pullHosts}
      hostName={(providerId) =>
        names.get(providerId) ?? (providers.isPending ? 'an Ollama host' : 'a removed host')
      }
    />
  )
}
