import type { LucideIcon } from 'lucide-react'

/** The page of a feature that is not built yet: says so plainly, shows no made-up data. */
export function ComingSoon({
  title,
  icon: Icon,
  message,
}: {
  title: string
  icon: LucideIcon
  message: string
}) {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-4 rounded-xl border border-dashed px-6 py-16 text-center">
      <div className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden="true" />
      </div>
      <div className="grid max-w-md gap-1.5">
        <h1 className="font-semibold text-xl tracking-tight">{title}</h1>
        <p className="text-muted-foreground text-sm" data-testid="coming-soon">
          {message}
        </p>
      </div>
    </div>
  )
}
