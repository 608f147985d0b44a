import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { Button } from '@/components/ui/button'

interface CopyButtonProps {
  value: string
  label?: string
  variant?: 'outline' | 'ghost'
  /** Icon only, with `label` as its accessible name and tooltip. */
  iconOnly?: boolean
  className?: string
}

/** Copies a value to the clipboard and confirms it for two seconds. */
export function CopyButton({
  value,
  label = 'Copy',
  variant = 'outline',
  iconOnly = false,
  className,
}: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2000)
    return () => clearTimeout(timer)
  }, [state])

  async function copy() {
    try {
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch (error) {
      // Clipboard access can be denied (insecure origin, permissions); the value stays selectable.
      console.warn('clipboard write failed', error)
      setState('failed')
    }
  }

  const text = state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : label
  const icon = state === 'copied' ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />
  if (iconOnly) {
    return (
      <Button
        variant={variant}
        size="icon"
        className={className ?? 'size-7'}
        onClick={copy}
        aria-label={text}
        title={text}
      >
        {icon}
      </Button>
    )
  }
  return (
    <Button variant={variant} size="sm" onClick={copy} aria-live="polite" className={className}>
      {icon}
      {text}
    </Button>
  )
}
