// A reply: Markdown as it streams in, what happened if it did not finish, and its actions
// (versions, copy, regenerate, rating, details, delete).
import { RefreshCw, Scissors } from 'lucide-react'
import { CopyButton } from '@/components/copy-button'
import { Button } from '@/components/ui/button'
import { useHydrated } from '@/lib/use-hydrated'
import { cn } from '@/lib/utils'
import { useLiveReply, useReplyStreams } from '../hooks/reply-streams-context'
import { useThreadActions } from '../hooks/thread-actions'
import type { Message } from '../types'
import { DeleteBranchButton } from './delete-branch-button'
import { FeedbackButtons } from './feedback-buttons'
import { LazyMarkdown as Markdown } from './markdown/lazy-markdown'
import { ReplyDetails } from './reply-details'
import { ReplyStatus } from './reply-status'
import { SiblingNav } from './sibling-nav'

export function ContextTrimmedNotice({ count }: { count: number }) {
  if (count <= 0) return null
  return (
    <p
      className="flex items-center gap-1.5 rounded-md border border-dashed px-2.5 py-1.5 text-muted-foreground text-xs"
      data-testid="context-trimmed"
    >
      <Scissors className="size-3.5 shrink-0" aria-hidden="true" />
      {count === 1
        ? "1 older message was left out to fit the model's context."
        : `${count} older messages were left out to fit the model's context.`}
    </p>
  )
}

function Thinking() {
  return (
    <span className="inline-flex items-center gap-1 py-2" role="status">
      <span className="sr-only">Writing a reply</span>
      {[0, 150, 300].map((delay) => (
        <span
          key={delay}
          className="size-1.5 animate-pulse rounded-full bg-muted-foreground"
          style={{ animationDelay: `${delay}ms` }}
        />
      ))}
    </span>
  )
}

export function AssistantMessage({ message }: { message: Message }) {
  const live = useLiveReply(message)
  const streams = useReplyStreams()
  const { regenerate, busy } = useThreadActions()
  // On a server-rendered page the actions do nothing until the app has taken it over.
  const hydrated = useHydrated()
  const streaming = live.state === 'streaming'
  return (
    <div
      className="group/message flex flex-col gap-2"
      data-testid="assistant-message"
      data-message-id={message.id}
      data-state={live.state}
    >
      <ContextTrimmedNotice count={message.contextTrimmed} />
      {live.text ? (
        <Markdown text={live.text} streaming={streaming} className={cn(streaming && 'markdown-streaming')} />
      ) : streaming ? (
        <Thinking />
      ) : null}
      <ReplyStatus
        message={message}
        live={live}
        onReconnect={() =>
          message.generationId &&
          streams.follow(message.generationId, message.conversationId, {
            text: live.text,
            seq: message.streamSeq,
          })
        }
      />
      {streaming ? null : (
        <div inert={!hydrated} className="-ml-1.5 flex items-center gap-0.5 text-muted-foreground">
          <SiblingNav message={message} />
          <div className="flex items-center gap-0.5 opacity-0 transition-opacity focus-within:opacity-100 group-hover/message:opacity-100 [@media(hover:none)]:opacity-100 group-data-[last]/row:opacity-100">
            <CopyButton value={live.text} label="Copy reply" variant="ghost" iconOnly />
            <Button
              variant="ghost"
              size="icon"
              className="size-7"
              aria-label="Regenerate reply"
              title="Regenerate reply"
              disabled={busy}
              onClick={() => regenerate(message)}
            >
              <RefreshCw />
            </Button>
            <FeedbackButtons message={message} />
            <ReplyDetails message={message} usage={live.usage} />
            <DeleteBranchButton message={message} />
          </div>
        </div>
      )}
    </div>
  )
}
