import { Link } from 'react-router'
import { Button } from '@/components/ui/button'

export function NotFoundPage() {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 py-16 text-center">
      <p className="font-medium text-muted-foreground text-sm">404</p>
      <h1 className="font-semibold text-2xl tracking-tight">Page not found</h1>
      <p className="text-muted-foreground text-sm">There is no page at this address.</p>
      <Button asChild variant="outline" className="mt-2">
        <Link to="/chat">Go to Chat</Link>
      </Button>
    </div>
  )
}
