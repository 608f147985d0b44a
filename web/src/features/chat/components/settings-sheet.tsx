// The conversation's settings: model, system prompt, sampling, output length, and presets that
// save or restore all of them at once.
import { SlidersHorizontal } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { FieldError } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Separator } from '@/components/ui/separator'
import { Sheet, SheetContent, SheetDescription, SheetTitle } from '@/components/ui/sheet'
import { Textarea } from '@/components/ui/textarea'
import type { ConversationSettings } from '../types'
import { ModelPicker } from './model-picker'
import { PresetsPanel } from './presets-panel'

interface Draft {
  modelId: string | null
  systemPrompt: string
  temperature: string
  topP: string
  maxTokens: string
}

function toDraft(settings: ConversationSettings): Draft {
  const text = (value: number | null) => (value === null ? '' : String(value))
  return {
    modelId: settings.modelId,
    systemPrompt: settings.systemPrompt ?? '',
    temperature: text(settings.temperature),
    topP: text(settings.topP),
    maxTokens: text(settings.maxTokens),
  }
}

type Parsed = { ok: true; settings: ConversationSettings } | { ok: false; errors: Record<string, string> }

/** The draft as settings; an empty number field means "the model's default". */
export function parseDraft(draft: Draft): Parsed {
  const errors: Record<string, string> = {}
  const number = (field: string, raw: string, min: number, max: number, integer = false) => {
    if (raw.trim() === '') return null
    const value = Number(raw)
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      errors[field] = integer
        ? `Enter a whole number from ${min} to ${max}`
        : `Enter a number from ${min} to ${max}`
      return null
    }
    return value
  }
  const settings: ConversationSettings = {
    modelId: draft.modelId,
    systemPrompt: draft.systemPrompt.trim() === '' ? null : draft.systemPrompt,
    temperature: number('temperature', draft.temperature, 0, 2),
    topP: number('topP', draft.topP, 0, 1),
    maxTokens: number('maxTokens', draft.maxTokens, 1, 1_000_000, true),
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, settings }
}

function NumberField({
  label,
  hint,
  value,
  error,
  onChange,
  step,
}: {
  label: string
  hint: string
  value: string
  error?: string
  onChange: (value: string) => void
  step: string
}) {
  const id = useId()
  return (
    <div className="grid content-start gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="number"
        inputMode="decimal"
        step={step}
        value={value}
        placeholder="Model default"
        aria-invalid={error ? true : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {error ? <FieldError message={error} /> : <p className="text-muted-foreground text-xs">{hint}</p>}
    </div>
  )
}

function SettingsForm({
  settings,
  onSave,
  onCancel,
}: {
  settings: ConversationSettings
  onSave: (settings: ConversationSettings) => Promise<void>
  onCancel: () => void
}) {
  const [draft, setDraft] = useState(() => toDraft(settings))
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const promptId = useId()
  const parsed = parseDraft(draft)
  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }))

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!parsed.ok) {
      setErrors(parsed.errors)
      return
    }
    setErrors({})
    setSaving(true)
    setError(null)
    try {
      await onSave(parsed.settings)
    } catch (failure) {
      setError(failure)
    } finally {
      setSaving(false)
    }
  }

  return (
    <form className="flex min-h-0 flex-1 flex-col" onSubmit={(event) => void submit(event)}>
      <div className="grid min-h-0 flex-1 content-start gap-5 overflow-y-auto px-5 pb-5">
        <div className="grid gap-1.5">
          <Label>Model</Label>
          <ModelPicker
            value={draft.modelId}
            onChange={(modelId) => set({ modelId })}
            className="h-9 w-full max-w-none border font-normal"
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor={promptId}>System prompt</Label>
          <Textarea
            id={promptId}
            rows={5}
            maxLength={20_000}
            value={draft.systemPrompt}
            placeholder="How the model should behave in this conversation"
            onChange={(event) => set({ systemPrompt: event.target.value })}
          />
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <NumberField
            label="Temperature"
            hint="0 to 2; higher is more varied"
            step="0.1"
            value={draft.temperature}
            error={errors.temperature}
            onChange={(temperature) => set({ temperature })}
          />
          <NumberField
            label="Top-p"
            hint="0 to 1"
            step="0.05"
            value={draft.topP}
            error={errors.topP}
            onChange={(topP) => set({ topP })}
          />
          <NumberField
            label="Max output tokens"
            hint="Longest reply"
            step="1"
            value={draft.maxTokens}
            error={errors.maxTokens}
            onChange={(maxTokens) => set({ maxTokens })}
          />
        </div>
        <Separator />
        <PresetsPanel
          current={parsed.ok ? parsed.settings : null}
          onApply={(preset) => setDraft(toDraft(preset))}
        />
        <FormError error={error} />
      </div>
      <div className="flex justify-end gap-2 border-t px-5 py-3">
        <Button type="button" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={saving}>
          Save settings
        </Button>
      </div>
    </form>
  )
}

export function SettingsSheet({
  settings,
  onSave,
  description = 'These apply to the next replies in this conversation.',
}: {
  settings: ConversationSettings
  onSave: (settings: ConversationSettings) => Promise<void>
  description?: string
}) {
  const [open, setOpen] = useState(false)
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <Button
        variant="ghost"
        size="icon"
        aria-label="Chat settings"
        title="Chat settings"
        onClick={() => setOpen(true)}
      >
        <SlidersHorizontal />
      </Button>
      <SheetContent side="right" className="gap-0">
        <div className="grid gap-1 px-5 pt-5 pb-4">
          <SheetTitle>Chat settings</SheetTitle>
          <SheetDescription>{description}</SheetDescription>
        </div>
        {open ? (
          <SettingsForm
            settings={settings}
            onCancel={() => setOpen(false)}
            onSave={async (next) => {
              await onSave(next)
              setOpen(false)
            }}
          />
        ) : null}
      </SheetContent>
    </Sheet>
  )
}
