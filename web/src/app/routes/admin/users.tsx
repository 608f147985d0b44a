import { RegistrationCard } from '@/features/admin-users/components/registration-card'
import { UsersTable } from '@/features/admin-users/components/users-table'
import { useCurrentUser } from '@/lib/api-context'

export default function AdminUsersPage() {
  const user = useCurrentUser()
  return (
    <div className="flex flex-col gap-6">
      <RegistrationCard />
      <UsersTable currentUserId={user.id} />
    </div>
  )
}
