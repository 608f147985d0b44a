import { PasswordForm } from '@/features/account/components/password-form'

export default function PasswordSettingsPage() {
  return <PasswordForm />
}
