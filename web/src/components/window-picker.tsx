// A row of toggle buttons choosing a time window ("1h", "24h", "7d"…) for usage figures.
import { cn } from '@/lib/utils'

export function WindowPicker<W extends string>({
  options,
  value,
  onChange,
}: {
  options: readonly W[]
  value: W
  onChange: (value: W) => void
}) {
  return (
    <fieldset className="inline-flex rounded-md border p-0.5" aria-label="Time window">
      {options.map((option) => (
        <button
          key={option}
          type="button"
          aria-pressed={value === option}
          onClick={() => onChange(option)}
          className={cn(
            'cursor-pointer rounded px-2.5 py-1 font-medium text-muted-foreground text-xs transition-colors hover:text-foreground',
            value === option && 'bg-secondary text-foreground',
          )}
        >
          {option}
        </button>
      ))}
    </fieldset>
  )
}
