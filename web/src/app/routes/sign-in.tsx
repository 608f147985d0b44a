import { Info } from 'lucide-react'
import { Link, useLocation } from 'react-router'
import { Alert, AlertDescription } from '@/components/ui/alert'
import { useAuthStatus } from '@/features/auth/api/auth-status'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { SignInForm } from '@/features/auth/components/sign-in-form'

export default function SignInPage() {
  const location = useLocation()
  const expired = (location.state as { expired?: boolean } | null)?.expired === true
  const status = useAuthStatus()

  let footer = null
  if (status.data && !status.data.hasUsers) {
    footer = (
      <>
        No account exists yet.{' '}
        <Link to="/sign-up" className="font-medium text-foreground underline underline-offset-4">
          Create the administrator account
        </Link>
      </>
    )
  } else if (status.data?.registrationOpen) {
    footer = (
      <>
        New here?{' '}
        <Link to="/sign-up" className="font-medium text-foreground underline underline-offset-4">
          Create an account
        </Link>
      </>
    )
  }

  return (
    <AuthLayout title="Sign in to Web+" description="Enter your email and password." footer={footer}>
      <div className="grid gap-4">
        {expired ? (
          <Alert>
            <Info />
            <AlertDescription>Your session has ended. Sign in again to continue.</AlertDescription>
          </Alert>
        ) : null}
        {/* GuestOnly sends the user on once the session exists. */}
        <SignInForm />
      </div>
    </AuthLayout>
  )
}
