import { ProvidersList } from '@/features/providers/components/providers-list'

export default function AdminProvidersPage() {
  return <ProvidersList />
}
