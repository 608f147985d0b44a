import { KeyRound, TriangleAlert } from 'lucide-react'
import { CopyButton } from '@/components/copy-button'
import { Button } from '@/components/ui/button'
import type { CreatedApiKey } from '../api/api-keys'

/** The freshly created key, shown this once: the server keeps only its hash. */
export function NewApiKeyNotice({ created, onDismiss }: { created: CreatedApiKey; onDismiss: () => void }) {
  return (
    <section
      aria-label="Your new API key"
      className="grid gap-3 rounded-lg border border-success/40 bg-success/5 p-4"
      data-testid="new-api-key-notice"
    >
      <div className="flex items-center gap-2 font-medium text-sm">
        <KeyRound className="size-4 text-success" aria-hidden="true" />
        Key “{created.apiKey.name}” created
      </div>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          className="min-w-0 flex-1 select-all break-all rounded-md border bg-background px-3 py-2 font-mono text-sm"
          data-testid="new-api-key"
        >
          {created.key}
        </code>
        <CopyButton value={created.key} label="Copy key" />
      </div>
      <p className="flex items-start gap-2 text-muted-foreground text-sm">
        <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden="true" />
        Copy this key now and store it somewhere safe. You won’t be able to see it again.
      </p>
      <div>
        <Button variant="secondary" size="sm" onClick={onDismiss}>
          Done
        </Button>
      </div>
    </section>
  )
}
