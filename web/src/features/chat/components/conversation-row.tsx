// One conversation in the list: a link, and a menu to rename, pin, file, archive, export, delete.
import {
  Archive,
  ArchiveRestore,
  Download,
  FolderInput,
  MoreHorizontal,
  Pencil,
  Pin,
  PinOff,
  Trash2,
} from 'lucide-react'
import { useState } from 'react'
import { NavLink, useNavigate } from 'react-router'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { DeferredDropdownMenu } from '@/components/deferred-dropdown-menu'
import { Button } from '@/components/ui/button'
import { DropdownMenuItem, DropdownMenuSeparator } from '@/components/ui/dropdown-menu'
import { useApiClient } from '@/lib/api-context'
import { cn } from '@/lib/utils'
import { downloadExport, useDeleteConversation, useUpdateConversation } from '../api/conversations'
import type { Conversation } from '../types'
import { type ConversationDialog, ConversationDialogs } from './conversation-dialogs'

export function ConversationRow({
  conversation,
  active,
  folders,
  onError,
}: {
  conversation: Conversation
  active: boolean
  folders: readonly string[]
  onError: (error: unknown) => void
}) {
  const api = useApiClient()
  const navigate = useNavigate()
  const update = useUpdateConversation()
  const remove = useDeleteConversation()
  const [dialog, setDialog] = useState<ConversationDialog>(null)
  const [confirmDelete, setConfirmDelete] = useState(false)
  const patch = (changes: Partial<Pick<Conversation, 'pinned' | 'archived'>>) =>
    update.mutate({ id: conversation.id, patch: changes }, { onError })

  return (
    <li
      className="group/conversation relative"
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
    >
      <NavLink
        to={`/chat/${conversation.id}`}
        className={cn(
          'flex h-9 items-center gap-2 rounded-md pr-9 pl-2.5 text-sm hover:bg-accent',
          active && 'bg-accent font-medium',
        )}
        aria-current={active ? 'page' : undefined}
      >
        {conversation.pinned ? (
          <Pin className="size-3.5 shrink-0 text-muted-foreground" aria-label="Pinned" />
        ) : null}
        <span className="min-w-0 truncate">{conversation.title}</span>
      </NavLink>
      <div className="absolute top-1/2 right-1 -translate-y-1/2">
        <DeferredDropdownMenu
          trigger={
            <Button
              variant="ghost"
              size="icon"
              className={cn(
                'size-7 opacity-0 focus-visible:opacity-100 group-hover/conversation:opacity-100 aria-expanded:opacity-100 [@media(hover:none)]:opacity-100',
                active && 'opacity-100',
              )}
              aria-label={`Actions for ${conversation.title}`}
            >
              <MoreHorizontal />
            </Button>
          }
        >
          <DropdownMenuItem onSelect={() => setDialog('rename')}>
            <Pencil /> Rename
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => patch({ pinned: !conversation.pinned })}>
            {conversation.pinned ? <PinOff /> : <Pin />} {conversation.pinned ? 'Unpin' : 'Pin'}
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setDialog('folder')}>
            <FolderInput /> Move to folder
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => patch({ archived: !conversation.archived })}>
            {conversation.archived ? <ArchiveRestore /> : <Archive />}{' '}
            {conversation.archived ? 'Unarchive' : 'Archive'}
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem
            onSelect={() => void downloadExport(api, conversation.id, 'markdown').catch(onError)}
          >
            <Download /> Export as Markdown
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => void downloadExport(api, conversation.id, 'json').catch(onError)}>
            <Download /> Export as JSON
          </DropdownMenuItem>
          <DropdownMenuSeparator />
          <DropdownMenuItem variant="destructive" onSelect={() => setConfirmDelete(true)}>
            <Trash2 /> Delete
          </DropdownMenuItem>
        </DeferredDropdownMenu>
      </div>
      <ConversationDialogs
        conversation={conversation}
        dialog={dialog}
        onClose={() => setDialog(null)}
        folders={folders}
      />
      <ConfirmDialog
        open={confirmDelete}
        onOpenChange={setConfirmDelete}
        title="Delete this conversation?"
        description={`“${conversation.title}” and all its messages will be deleted. This cannot be undone.`}
        confirmLabel="Delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(conversation.id, {
            onSuccess: () => {
              setConfirmDelete(false)
              if (active) navigate('/chat')
            },
          })
        }
      />
    </li>
  )
}
