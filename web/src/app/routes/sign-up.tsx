import { Lock } from 'lucide-react'
import { Link } from 'react-router'
import { FormError } from '@/components/form-error'
import { Button } from '@/components/ui/button'
import { Skeleton } from '@/components/ui/skeleton'
import { useAuthStatus } from '@/features/auth/api/auth-status'
import { AuthLayout } from '@/features/auth/components/auth-layout'
import { SignUpForm } from '@/features/auth/components/sign-up-form'

const signInLink = (
  <>
    Already have an account?{' '}
    <Link to="/sign-in" className="font-medium text-foreground underline underline-offset-4">
      Sign in
    </Link>
  </>
)

export default function SignUpPage() {
  const status = useAuthStatus()

  if (status.isPending) {
    return (
      <AuthLayout title="Create your account">
        <div className="grid gap-4" aria-busy="true">
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
          <Skeleton className="h-9" />
        </div>
      </AuthLayout>
    )
  }

  if (status.isError) {
    return (
      <AuthLayout title="Create your account" footer={signInLink}>
        <div className="grid gap-4">
          <FormError error={status.error} title="Could not reach Web+" />
          <Button variant="outline" onClick={() => status.refetch()}>
            Try again
          </Button>
        </div>
      </AuthLayout>
    )
  }

  const { hasUsers, registrationOpen } = status.data
  if (!registrationOpen) {
    return (
      <AuthLayout title="Registration is closed" footer={signInLink}>
        <div
          className="flex items-start gap-3 text-muted-foreground text-sm"
          data-testid="registration-closed"
        >
          <Lock className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
          <p>This Web+ server is not accepting new accounts. Ask an administrator to open registration.</p>
        </div>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title={hasUsers ? 'Create your account' : 'Create the administrator account'}
      description={
        hasUsers
          ? 'Sign up to start using Web+.'
          : 'This is the first account on this server. It becomes the administrator.'
      }
      footer={hasUsers ? signInLink : null}
    >
      <SignUpForm />
    </AuthLayout>
  )
}
