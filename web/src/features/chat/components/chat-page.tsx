// The chat page: conversations on the left (a drawer on small screens), the open conversation
// or a new chat on the right.
import { PanelLeft } from 'lucide-react'
import { useEffect, useState } from 'react'
import { useLocation } from 'react-router'
import { Button } from '@/components/ui/button'
import { Sheet, SheetContent, SheetTitle } from '@/components/ui/sheet'
import { useHydrated } from '@/lib/use-hydrated'
import { ReplyStreamsProvider } from '../hooks/reply-streams-context'
import { useLiveChatUpdates } from '../hooks/use-live-chat-updates'
import { ConversationSidebar } from './conversation-sidebar'
import { ConversationView } from './conversation-view'
import { NewChatView } from './new-chat-view'

function ConversationsDrawer({ activeId }: { activeId: string | undefined }) {
  const [open, setOpen] = useState(false)
  const location = useLocation()
  // Following a link in the drawer closes it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the location changes
  useEffect(() => setOpen(false), [location.key])
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <Button
        variant="ghost"
        size="icon"
        className="lg:hidden"
        aria-label="Conversations"
        title="Conversations"
        onClick={() => setOpen(true)}
      >
        <PanelLeft />
      </Button>
      <SheetContent side="left" className="w-80 gap-0 p-0 pt-10" aria-describedby={undefined}>
        <SheetTitle className="sr-only">Conversations</SheetTitle>
        <ConversationSidebar activeId={activeId} />
      </SheetContent>
    </Sheet>
  )
}

function ChatLayout({ conversationId, focusMessageId }: ChatPageProps) {
  useLiveChatUpdates()
  const drawer = <ConversationsDrawer activeId={conversationId} />
  // Controls on a server-rendered page are inert until the app has taken it over.
  const hydrated = useHydrated()
  return (
    <div className="flex min-h-0 flex-1">
      <aside
        inert={!hydrated}
        className="hidden w-64 shrink-0 flex-col border-r lg:flex xl:w-72"
        aria-label="Conversation list"
      >
        <ConversationSidebar activeId={conversationId} />
      </aside>
      <section className="flex min-w-0 flex-1 flex-col" aria-label="Conversation">
        {conversationId ? (
          <ConversationView
            key={conversationId}
            conversationId={conversationId}
            focusMessageId={focusMessageId}
            leading={drawer}
          />
        ) : (
          <NewChatView leading={drawer} />
        )}
      </section>
    </div>
  )
}

export interface ChatPageProps {
  conversationId: string | undefined
  focusMessageId?: string | null
}

export function ChatPage(props: ChatPageProps) {
  return (
    <ReplyStreamsProvider>
      <ChatLayout {...props} />
    </ReplyStreamsProvider>
  )
}
