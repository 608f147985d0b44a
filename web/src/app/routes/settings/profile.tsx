import { FormError } from '@/components/form-error'
import { Skeleton } from '@/components/ui/skeleton'
import { useMe } from '@/features/account/api/me'
import { ProfileForm } from '@/features/account/components/profile-form'

export default function ProfileSettingsPage() {
  const me = useMe()
  if (me.isPending) return <Skeleton className="h-72" />
  if (me.isError) return <FormError error={me.error} title="Could not load your profile" />
  return <ProfileForm key={me.data.id} user={me.data} />
}
