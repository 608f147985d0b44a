import type { ReactNode } from 'react'
import { Logo } from '@/components/logo'
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card'

/** The centered card every signed-out page uses. */
export function AuthLayout({
  title,
  description,
  children,
  footer,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
  footer?: ReactNode
}) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-muted/40 px-4 py-10">
      <Logo className="text-lg" />
      <Card className="w-full max-w-md">
        <CardHeader>
          <h1 className="font-semibold text-xl leading-snug tracking-tight">{title}</h1>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      {footer ? <div className="text-center text-muted-foreground text-sm">{footer}</div> : null}
    </main>
  )
}
