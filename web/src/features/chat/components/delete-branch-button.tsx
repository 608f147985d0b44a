import { Trash2 } from 'lucide-react'
import { useState } from 'react'
import { ConfirmDialog } from '@/components/confirm-dialog'
import { Button } from '@/components/ui/button'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'

/** Deletes a message and everything below it, after asking. */
export function DeleteBranchButton({ message }: { message: Message }) {
  const { deleteBranch } = useThreadActions()
  const [open, setOpen] = useState(false)
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<unknown>(null)

  async function confirm() {
    setPending(true)
    setError(null)
    try {
      await deleteBranch(message)
      setOpen(false)
    } catch (failure) {
      setError(failure)
    } finally {
      setPending(false)
    }
  }

  return (
    <>
      <Button
        variant="ghost"
        size="icon"
        className="size-7"
        aria-label="Delete this branch"
        title="Delete this branch"
        onClick={() => setOpen(true)}
      >
        <Trash2 />
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Delete this branch?"
        description={
          message.role === 'user'
            ? 'This message, its replies and everything written after them will be deleted. Other versions stay.'
            : 'This reply and everything written after it will be deleted. Other versions stay.'
        }
        confirmLabel="Delete"
        pending={pending}
        error={error}
        onConfirm={() => void confirm()}
      />
    </>
  )
}
