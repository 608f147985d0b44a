// Chooses the model of a conversation among those the user may use, each with its live status.
import { Bot, ChevronDown } from 'lucide-react'
import { Button } from '@/components/ui/button'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu'
import { cn } from '@/lib/utils'
import { useChatModels } from '../hooks/chat-models-context'

export function ModelPicker({
  value,
  onChange,
  disabled = false,
  className,
}: {
  value: string | null
  onChange: (modelId: string) => void
  disabled?: boolean
  className?: string
}) {
  const { models, pending, renderStatus } = useChatModels()
  const selected = models.find((model) => model.id === value)
  const label =
    selected?.label ?? (pending ? 'Loading models…' : value ? 'Model unavailable' : 'Choose a model')
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className={cn('min-w-0 max-w-56 justify-start font-semibold', className)}
          disabled={disabled || pending}
          aria-label={`Model: ${label}`}
          data-testid="model-picker"
        >
          <Bot className="max-sm:hidden" aria-hidden="true" />
          <span className="truncate">{label}</span>
          <ChevronDown className="text-muted-foreground" aria-hidden="true" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-80 max-w-[calc(100vw-1rem)]">
        <DropdownMenuLabel className="text-muted-foreground text-xs">Models you can use</DropdownMenuLabel>
        <DropdownMenuSeparator />
        {models.length === 0 ? (
          <p className="px-2 py-3 text-muted-foreground text-sm">
            No model is available. An administrator can add one on the Models page.
          </p>
        ) : (
          <DropdownMenuRadioGroup value={value ?? ''} onValueChange={onChange}>
            {models.map((model) => (
              <DropdownMenuRadioItem
                key={model.id}
                value={model.id}
                disabled={!model.ready}
                className="justify-between gap-3"
                data-testid="model-option"
              >
                <span className="min-w-0 truncate">{model.label}</span>
                {renderStatus(model)}
              </DropdownMenuRadioItem>
            ))}
          </DropdownMenuRadioGroup>
        )}
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
