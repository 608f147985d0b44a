// Presets: apply a saved set of settings to the form, save the form as a new one, delete one.
import { Trash2 } from 'lucide-react'
import { useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { Button } from '@/components/ui/button'
import { Input } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { useCreatePreset, useDeletePreset, usePresets } from '../api/presets'
import type { ChatPreset, ConversationSettings } from '../types'

export function PresetsPanel({
  current,
  onApply,
}: {
  /** The form's settings, or null while they are invalid. */
  current: ConversationSettings | null
  onApply: (preset: ChatPreset) => void
}) {
  const presets = usePresets()
  const createPreset = useCreatePreset()
  const deletePreset = useDeletePreset()
  const [chosen, setChosen] = useState('')
  const [name, setName] = useState('')
  const selectId = useId()
  const nameId = useId()
  const preset = presets.data?.find((candidate) => candidate.id === chosen)

  return (
    <section className="grid gap-3" aria-labelledby={`${selectId}-title`}>
      <h3 id={`${selectId}-title`} className="font-medium text-sm">
        Presets
      </h3>
      <div className="grid gap-1.5">
        <Label htmlFor={selectId} className="font-normal text-muted-foreground text-xs">
          Use a preset
        </Label>
        <div className="flex gap-2">
          <NativeSelect id={selectId} value={chosen} onChange={(event) => setChosen(event.target.value)}>
            <option value="">{presets.data?.length ? 'Choose a preset' : 'No presets yet'}</option>
            {presets.data?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name}
              </option>
            ))}
          </NativeSelect>
          <Button
            type="button"
            variant="outline"
            disabled={!preset}
            onClick={() => preset && onApply(preset)}
          >
            Apply
          </Button>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label="Delete preset"
            title="Delete preset"
            disabled={!preset}
            pending={deletePreset.isPending}
            onClick={() => preset && deletePreset.mutate(preset.id, { onSuccess: () => setChosen('') })}
          >
            <Trash2 />
          </Button>
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor={nameId} className="font-normal text-muted-foreground text-xs">
          Save these settings as a preset
        </Label>
        <div className="flex gap-2">
          <Input
            id={nameId}
            value={name}
            maxLength={100}
            placeholder="Preset name"
            onChange={(event) => setName(event.target.value)}
          />
          <Button
            type="button"
            variant="outline"
            disabled={!current || name.trim() === ''}
            pending={createPreset.isPending}
            onClick={() =>
              current &&
              createPreset.mutate(
                { name: name.trim(), ...current },
                {
                  onSuccess: (created) => {
                    setName('')
                    setChosen(created.id)
                  },
                },
              )
            }
          >
            Save
          </Button>
        </div>
      </div>
      <FormError error={createPreset.error ?? deletePreset.error} />
    </section>
  )
}
