import { Download } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { Link } from 'react-router'
import { FormError } from '@/components/form-error'
import { FieldError, TextField } from '@/components/form-field'
import { Button } from '@/components/ui/button'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { apiFieldErrors, type FieldErrors, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import { useCancelPull, usePulls, useStartPull } from '../api/pulls'
import type { Pull } from '../types'
import { PullProgress } from './pull-progress'

export interface PullHost {
  id: string
  name: string
  kind: 'ollama' | 'embedded'
}

const providerId = z.string().min(1, 'Choose a host')
const byName = z.object({
  providerId,
  model: z
    .string()
    .trim()
    .min(1, 'Enter a model name, e.g. llama3.2:3b')
    .max(200, 'Use at most 200 characters')
    .regex(/^[\w.:/@+-]+$/, 'may contain letters, digits and . : / @ + - _ only'),
})
const byUrl = z.object({
  providerId,
  url: z
    .string()
    .trim()
    .min(1, 'Enter the address of a GGUF file')
    .max(2000, 'Use at most 2000 characters')
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) address' })),
  sha256: z
    .string()
    .trim()
    .regex(/^([a-fA-F0-9]{64})?$/, 'is 64 hexadecimal characters')
    .transform((value) => value || undefined),
})

/** "Pull a model": choose a host, then a name (Ollama) or a GGUF file's address (embedded
 * engine); then watch its progress here. */
export function PullDialog({
  hosts,
  open,
  onOpenChange,
}: {
  hosts: readonly PullHost[]
  open: boolean
  onOpenChange: (open: boolean) => void
}) {
  const start = useStartPull()
  const cancel = useCancelPull()
  const pulls = usePulls(open)
  const [started, setStarted] = useState<Pull | null>(null)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const hostId = useId()
  const [chosenHost, setChosenHost] = useState<string | undefined>(undefined)
  const host = hosts.find((candidate) => candidate.id === chosenHost) ?? hosts[0]
  const embedded = host?.kind === 'embedded'
  const errors = { ...apiFieldErrors(start.error), ...clientErrors }
  const pull = started ? (pulls.data?.find((candidate) => candidate.id === started.id) ?? started) : undefined
  const hostName = (id: string) => hosts.find((host) => host.id === id)?.name ?? 'a removed host'

  function changeOpen(next: boolean) {
    onOpenChange(next)
    if (!next) {
      setStarted(null)
      setClientErrors({})
      start.reset()
      cancel.reset()
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const result = embedded
      ? validate(byUrl, {
          providerId: data.get('providerId') ?? '',
          url: data.get('url') ?? '',
          sha256: data.get('sha256') ?? '',
        })
      : validate(byName, { providerId: data.get('providerId') ?? '', model: data.get('model') ?? '' })
    if (!result.ok) {
      start.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    start.mutate(result.data, { onSuccess: setStarted })
  }

  return (
    <Dialog open={open} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button>
          <Download aria-hidden="true" />
          Pull a model
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Pull a model</DialogTitle>
          <DialogDescription>
            Download a model from the Ollama library onto one of your hosts, or a GGUF file into the embedded
            engine. The pull runs on the server: you can close this dialog or reload the page and still follow
            it.
          </DialogDescription>
        </DialogHeader>
        {hosts.length === 0 ? (
          <p className="text-muted-foreground text-sm">
            No Ollama host or embedded engine is connected.{' '}
            <Link to="/admin/providers" className="font-medium text-foreground underline underline-offset-4">
              Connect one on the Providers page
            </Link>
            .
          </p>
        ) : pull ? (
          <div className="grid gap-4">
            <PullProgress
              pull={pull}
              hostName={hostName(pull.providerId)}
              onCancel={(target) => cancel.mutate(target.id)}
              cancelling={cancel.isPending}
            />
            <FormError error={cancel.error} title="Could not cancel the pull" />
            <DialogFooter>
              <Button variant="outline" onClick={() => setStarted(null)}>
                Pull another
              </Button>
              <Button onClick={() => changeOpen(false)}>Close</Button>
            </DialogFooter>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4" aria-label="Pull a model">
            <FormError
              error={start.error}
              fields={['providerId', 'model', 'url', 'sha256']}
              title="Could not start the pull"
            />
            <div className="grid gap-2">
              <Label htmlFor={hostId}>Host</Label>
              <NativeSelect
                id={hostId}
                name="providerId"
                value={host?.id}
                onChange={(event) => {
                  setChosenHost(event.target.value)
                  setClientErrors({})
                }}
                aria-invalid={errors.providerId ? true : undefined}
              >
                {hosts.map((host) => (
                  <option key={host.id} value={host.id}>
                    {host.name}
                  </option>
                ))}
              </NativeSelect>
              <FieldError message={errors.providerId} />
            </div>
            {embedded ? (
              <>
                <TextField
                  label="File URL"
                  name="url"
                  type="url"
                  placeholder="https://huggingface.co/…/resolve/main/model.Q4_K_M.gguf"
                  autoComplete="off"
                  spellCheck={false}
                  hint="A GGUF file; an interrupted download resumes where it stopped."
                  error={errors.url}
                />
                <TextField
                  label="SHA-256 (optional)"
                  name="sha256"
                  autoComplete="off"
                  spellCheck={false}
                  hint="When given, a file that does not match is refused."
                  error={errors.sha256}
                />
              </>
            ) : (
              <TextField
                label="Model name"
                name="model"
                placeholder="e.g. llama3.2:3b"
                autoComplete="off"
                spellCheck={false}
                hint="A name from the Ollama library, with an optional :tag."
                error={errors.model}
              />
            )}
            <DialogFooter>
              <Button type="submit" pending={start.isPending}>
                Pull
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  )
}
