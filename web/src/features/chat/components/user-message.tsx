// A message the user wrote: plain text (never Markdown), with edit (which sends a new version
// beside it), copy, delete and the version arrows.
import { Pencil } from 'lucide-react'
import { useState } from 'react'
import { CopyButton } from '@/components/copy-button'
import { Button } from '@/components/ui/button'
import { Textarea } from '@/components/ui/textarea'
import { useHydrated } from '@/lib/use-hydrated'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'
import { DeleteBranchButton } from './delete-branch-button'
import { SiblingNav } from './sibling-nav'

function EditForm({ message, onDone }: { message: Message; onDone: () => void }) {
  const { edit, busy } = useThreadActions()
  const [text, setText] = useState(message.content)
  const [sending, setSending] = useState(false)
  const unchanged = text.trim() === '' || text === message.content

  async function submit() {
    if (unchanged || busy) return
    setSending(true)
    const sent = await edit(message, text)
    setSending(false)
    if (sent) onDone()
  }

  return (
    <form
      className="ml-auto grid w-full max-w-[85%] gap-2"
      onSubmit={(event) => {
        event.preventDefault()
        void submit()
      }}
    >
      <Textarea
        aria-label="Edit message"
        value={text}
        autoFocus
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault()
            void submit()
          } else if (event.key === 'Escape') {
            event.stopPropagation()
            onDone()
          }
        }}
      />
      <div className="flex justify-end gap-2">
        <Button type="button" variant="ghost" size="sm" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" size="sm" pending={sending} disabled={unchanged || busy}>
          Send
        </Button>
      </div>
    </form>
  )
}

export function UserMessage({ message }: { message: Message }) {
  const { busy } = useThreadActions()
  const [editing, setEditing] = useState(false)
  // On a server-rendered page the actions do nothing until the app has taken it over.
  const hydrated = useHydrated()
  if (editing) return <EditForm message={message} onDone={() => setEditing(false)} />
  return (
    <div
      className="group/message flex flex-col items-end gap-1"
      data-testid="user-message"
      data-message-id={message.id}
    >
      <div className="max-w-[85%] whitespace-pre-wrap break-words rounded-2xl bg-muted px-4 py-2.5 leading-relaxed">
        {message.content}
      </div>
      <div inert={!hydrated} className="flex items-center gap-0.5 text-muted-foreground">
        <div className="flex items-center gap-0.5 opacity-0 transition-opacity focus-within:opacity-100 group-hover/message:opacity-100 [@media(hover:none)]:opacity-100">
          <CopyButton value={message.content} label="Copy message" variant="ghost" iconOnly />
          <Button
            variant="ghost"
            size="icon"
            className="size-7"
            aria-label="Edit message"
            title="Edit message"
            disabled={busy}
            onClick={() => setEditing(true)}
          >
            <Pencil />
          </Button>
          <DeleteBranchButton message={message} />
        </div>
        <SiblingNav message={message} />
      </div>
    </div>
  )
}
