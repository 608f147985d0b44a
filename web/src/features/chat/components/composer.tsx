// Where a message is written. Enter sends, Shift+Enter starts a new line, Esc stops the reply
// being written. A refused send (a limit, a missing model) is explained here, above the box.
import { ArrowUp, CircleAlert, Square } from 'lucide-react'
import { type FormEvent, useEffect, useRef, useState } from 'react'
import { Button } from '@/components/ui/button'
import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/form'
import { useHydrated } from '@/lib/use-hydrated'
import { cn } from '@/lib/utils'

export interface ComposerProps {
  /** Resolves true when the message was accepted (the box is then emptied). */
  onSend: (content: string) => Promise<boolean>
  onStop: () => void
  /** A reply is being written: the send button becomes Stop. */
  streaming: boolean
  stopping?: boolean
  /** Why sending is not possible right now (no model chosen), or null. */
  blockedReason?: string | null
  error?: unknown
  onDismissError?: () => void
  autoFocus?: boolean
  placeholder?: string
}

function useCountdown(seconds: number | null): number | null {
  const [left, setLeft] = useState(seconds)
  useEffect(() => {
    setLeft(seconds)
    if (!seconds) return
    const started = Date.now()
    const timer = setInterval(() => {
      const remaining = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000))
      setLeft(remaining)
      if (remaining === 0) clearInterval(timer)
    }, 1000)
    return () => clearInterval(timer)
  }, [seconds])
  return left
}

function ComposerError({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const retryAfter = error instanceof ApiError && error.status === 429 ? error.retryAfterSeconds : null
  // Waits of more than a few minutes (a daily allowance) are told in the message itself.
  const left = useCountdown(retryAfter !== null && retryAfter <= 300 ? retryAfter : null)
  return (
    <div
      role="alert"
      data-testid="composer-error"
      className="mb-2 flex items-start gap-2 rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-destructive text-sm"
    >
      <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <p className="min-w-0 flex-1">
        {errorMessage(error)}
        {left ? <span className="text-muted-foreground"> · try again in {left} s</span> : null}
      </p>
      {onDismiss ? (
        <button type="button" className="cursor-pointer text-xs underline" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  )
}

export function Composer({
  onSend,
  onStop,
  streaming,
  stopping = false,
  blockedReason = null,
  error,
  onDismissError,
  autoFocus = false,
  placeholder = 'Message',
}: ComposerProps) {
  const [text, setText] = useState('')
  const [sending, setSending] = useState(false)
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const canSend = text.trim().length > 0 && !streaming && !sending && !blockedReason
  // On a server-rendered page, text typed before the app has taken the page over would be lost:
  // the composer is inert until then.
  const hydrated = useHydrated()

  // Focused in the next frame, where the page is laid out anyway: focusing at mount forces a
  // layout of the whole page that the frame then repeats (30 ms and more when a chat opens).
  useEffect(() => {
    if (!autoFocus || !hydrated) return
    const frame = requestAnimationFrame(() => textareaRef.current?.focus())
    return () => cancelAnimationFrame(frame)
  }, [autoFocus, hydrated])

  async function send(event?: FormEvent) {
    event?.preventDefault()
    if (!canSend) return
    setSending(true)
    try {
      if (await onSend(text)) setText('')
    } finally {
      setSending(false)
      textareaRef.current?.focus()
    }
  }

  return (
    <div inert={!hydrated} className="shrink-0 px-3 pb-3 md:px-6 md:pb-5">
      <form className="mx-auto w-full max-w-3xl" onSubmit={(event) => void send(event)}>
        {error ? <ComposerError error={error} onDismiss={onDismissError} /> : null}
        <div
          className={cn(
            'flex items-end gap-2 rounded-2xl border bg-background p-2 shadow-sm transition-[border-color,box-shadow]',
            'focus-within:border-ring focus-within:ring-[3px] focus-within:ring-ring/30 dark:bg-input/30',
          )}
        >
          <textarea
            ref={textareaRef}
            aria-label="Message"
            data-testid="composer-input"
            value={text}
            rows={1}
            placeholder={blockedReason ?? placeholder}
            className="field-sizing-content max-h-52 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-base outline-none placeholder:text-muted-foreground md:text-sm"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault()
                void send()
              } else if (event.key === 'Escape' && streaming) {
                event.preventDefault()
                onStop()
              }
            }}
          />
          {streaming ? (
            <Button
              type="button"
              size="icon"
              className="size-9 shrink-0 rounded-full"
              aria-label="Stop"
              title="Stop (Esc)"
              pending={stopping}
              onClick={onStop}
            >
              {stopping ? null : <Square className="fill-current" />}
            </Button>
          ) : (
            <Button
              type="submit"
              size="icon"
              className="size-9 shrink-0 rounded-full"
              aria-label="Send"
              title="Send (Enter)"
              disabled={!canSend}
              pending={sending}
            >
              {sending ? null : <ArrowUp />}
            </Button>
          )}
        </div>
        <p className="mt-1.5 hidden text-center text-muted-foreground text-xs md:block">
          Enter to send · Shift+Enter for a new line · Esc to stop
        </p>
      </form>
    </div>
  )
}
