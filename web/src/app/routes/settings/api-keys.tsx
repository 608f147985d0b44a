import { ApiKeysList } from '@/features/api-keys/components/api-keys-list'
import { CreateApiKeyForm } from '@/features/api-keys/components/create-api-key-form'
import { useCurrentUser } from '@/lib/api-context'

export default function ApiKeysSettingsPage() {
  const user = useCurrentUser()
  return (
    <div className="flex flex-col gap-6">
      <CreateApiKeyForm canUseAdminScope={user.role === 'admin'} />
      <ApiKeysList />
    </div>
  )
}
