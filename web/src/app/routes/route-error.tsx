import { isRouteErrorResponse, useRouteError } from 'react-router'
import { Button } from '@/components/ui/button'
import { errorMessage } from '@/lib/form'

/** Shown when a page fails to render or its code fails to load (e.g. after a deploy). */
export function RouteErrorPage() {
  const error = useRouteError()
  console.error(error)
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error)
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="font-semibold text-2xl tracking-tight">Something went wrong</h1>
      <p className="max-w-md text-muted-foreground text-sm">{message}</p>
      <Button className="mt-2" onClick={() => window.location.reload()}>
        Reload the page
      </Button>
    </main>
  )
}
