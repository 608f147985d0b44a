// Rename a conversation, or file it in a folder.
import { type FormEvent, useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { useUpdateConversation } from '../api/conversations'
import type { Conversation } from '../types'

export type ConversationDialog = 'rename' | 'folder' | null

function DialogForm({
  conversation,
  renaming,
  folders,
  onDone,
}: {
  conversation: Conversation
  renaming: boolean
  folders: readonly string[]
  onDone: () => void
}) {
  const update = useUpdateConversation()
  const [value, setValue] = useState(renaming ? conversation.title : (conversation.folder ?? ''))
  const inputId = useId()
  const listId = useId()

  function submit(event: FormEvent) {
    event.preventDefault()
    const trimmed = value.trim()
    const patch = renaming ? { title: trimmed } : { folder: trimmed === '' ? null : trimmed }
    update.mutate({ id: conversation.id, patch }, { onSuccess: onDone })
  }

  return (
    <form className="grid gap-4" onSubmit={submit}>
      <DialogHeader>
        <DialogTitle>{renaming ? 'Rename conversation' : 'Move to folder'}</DialogTitle>
        <DialogDescription>
          {renaming
            ? 'Give this conversation a name you will recognise.'
            : 'Type a folder name or pick one; leave it empty to take the conversation out of its folder.'}
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor={inputId}>{renaming ? 'Title' : 'Folder'}</Label>
        <Input
          id={inputId}
          value={value}
          autoFocus
          maxLength={renaming ? 200 : 100}
          list={renaming ? undefined : listId}
          onChange={(event) => setValue(event.target.value)}
        />
        {renaming ? null : (
          <datalist id={listId}>
            {folders.map((folder) => (
              <option key={folder} value={folder} />
            ))}
          </datalist>
        )}
      </div>
      <FormError error={update.error} />
      <DialogFooter>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={update.isPending} disabled={renaming && value.trim() === ''}>
          {renaming ? 'Rename' : 'Move'}
        </Button>
      </DialogFooter>
    </form>
  )
}

export function ConversationDialogs({
  conversation,
  dialog,
  onClose,
  folders,
}: {
  conversation: Conversation
  dialog: ConversationDialog
  onClose: () => void
  folders: readonly string[]
}) {
  return (
    <Dialog open={dialog !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      {dialog ? (
        <DialogContent>
          <DialogForm
            conversation={conversation}
            renaming={dialog === 'rename'}
            folders={folders}
            onDone={onClose}
          />
        </DialogContent>
      ) : null}
    </Dialog>
  )
}
