import { type ComponentProps, type ReactNode, useId } from 'react'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { cn } from '@/lib/utils'

interface TextFieldProps extends Omit<ComponentProps<'input'>, 'id'> {
  label: string
  name: string
  error?: string
  hint?: ReactNode
}

/**
 * A labelled input with its hint and error wired up for screen readers. A message that starts in
 * lower case ("is too common") continues the field's name: it is shown as "Password is too common".
 */
export function TextField({ label, name, error, hint, className, ...inputProps }: TextFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  return (
    <div className={cn('grid gap-2', className)}>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...inputProps}
      />
      {hint && !error ? (
        <p id={hintId} className="text-muted-foreground text-xs">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error && /^[a-z]/.test(error) ? `${label} ${error}` : error} />
    </div>
  )
}

export function FieldError({ id, message }: { id?: string; message: string | undefined }) {
  if (!message) return null
  return (
    <p id={id} className="text-destructive text-sm" data-testid="field-error">
      {message}
    </p>
  )
}
