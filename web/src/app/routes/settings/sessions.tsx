import { SessionsList } from '@/features/account/components/sessions-list'

export default function SessionsSettingsPage() {
  return <SessionsList />
}
