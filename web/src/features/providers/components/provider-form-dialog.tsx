import { KeyRound } from 'lucide-react'
import { type FormEvent, useId, useState } from 'react'
import { FormError } from '@/components/form-error'
import { TextField } from '@/components/form-field'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Checkbox } from '@/components/ui/checkbox'
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog'
import { Label } from '@/components/ui/label'
import { NativeSelect } from '@/components/ui/native-select'
import { Switch } from '@/components/ui/switch'
import { apiFieldErrors, type FieldErrors, validate } from '@/lib/form'
import { z } from '@/lib/zod'
import { type ProviderChange, useCreateProvider, useUpdateProvider } from '../api/providers'
import {
  CONNECTABLE_KINDS,
  type ConnectableKind,
  KIND_INFO,
  type Provider,
  type ProviderKind,
} from '../types'

/** The URL the server would store: trimmed, no trailing slash, the kind's default when empty. */
export function effectiveBaseUrl(kind: ProviderKind, value: string): string {
  const trimmed = value.trim().replace(/\/+$/, '')
  return trimmed || KIND_INFO[kind].defaultUrl || ''
}

/** A stored key is never sent to a new address: changing the URL means typing the key again. */
export function needsKeyAgain(
  provider: Provider | undefined,
  baseUrl: string,
  removingKey: boolean,
): boolean {
  if (!provider?.apiKey.set || removingKey) return false
  return effectiveBaseUrl(provider.kind, baseUrl) !== effectiveBaseUrl(provider.kind, provider.baseUrl)
}

function isConnectableKind(value: string): value is ConnectableKind {
  return (CONNECTABLE_KINDS as readonly string[]).includes(value)
}

function formSchema(kind: ProviderKind, keyRequired: boolean) {
  const hasDefault = Boolean(KIND_INFO[kind].defaultUrl)
  return z.object({
    name: z.string().trim().min(1, 'Name the connection').max(100, 'Use at most 100 characters'),
    baseUrl: z
      .string()
      .trim()
      .max(500, 'Use at most 500 characters')
      .refine((value) => (value === '' ? hasDefault : /^https?:\/\/[^\s/]+/i.test(value)), {
        message: hasDefault ? 'Enter an http(s) URL, or leave empty for the default' : 'Enter an http(s) URL',
      }),
    apiKey: z
      .string()
      .max(500, 'Use at most 500 characters')
      .refine((value) => !keyRequired || value.trim() !== '', 'Enter the API key again for the new URL'),
  })
}

interface ProviderFormProps {
  provider?: Provider
  onDone: () => void
}

function ProviderForm({ provider, onDone }: ProviderFormProps) {
  const create = useCreateProvider()
  const update = useUpdateProvider()
  const mutation = provider ? update : create
  const [kind, setKind] = useState<ProviderKind>(provider?.kind ?? 'ollama')
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '')
  const [removeKey, setRemoveKey] = useState(false)
  const [enabled, setEnabled] = useState(provider?.enabled ?? true)
  const [clientErrors, setClientErrors] = useState<FieldErrors>({})
  const id = useId()
  const info = KIND_INFO[kind]
  const keyRequired = needsKeyAgain(provider, baseUrl, removeKey)
  const errors = { ...apiFieldErrors(mutation.error), ...clientErrors }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const data = new FormData(event.currentTarget)
    const result = validate(formSchema(kind, keyRequired), {
      name: data.get('name') ?? '',
      baseUrl,
      apiKey: data.get('apiKey') ?? '',
    })
    if (!result.ok) {
      mutation.reset()
      setClientErrors(result.errors)
      return
    }
    setClientErrors({})
    const key = result.data.apiKey.trim()
    if (!provider) {
      if (!isConnectableKind(kind)) return
      create.mutate(
        { name: result.data.name, kind, baseUrl: result.data.baseUrl, apiKey: key || undefined, enabled },
        { onSuccess: onDone },
      )
      return
    }
    const change: ProviderChange = {}
    if (result.data.name !== provider.name) change.name = result.data.name
    const url = effectiveBaseUrl(provider.kind, result.data.baseUrl)
    if (url !== effectiveBaseUrl(provider.kind, provider.baseUrl)) change.baseUrl = url
    if (key) change.apiKey = key
    else if (removeKey) change.apiKey = null
    if (enabled !== provider.enabled) change.enabled = enabled
    if (Object.keys(change).length === 0) {
      onDone()
      return
    }
    update.mutate({ id: provider.id, change }, { onSuccess: onDone })
  }

  const keyHint = keyRequired
    ? `Required: the stored key (…${provider?.apiKey.last4 ?? ''}) stays with the old URL.`
    : provider?.apiKey.set
      ? `Set · …${provider.apiKey.last4 ?? ''}. Leave empty to keep it.`
      : info.keyHint || undefined

  return (
    <form
      onSubmit={submit}
      noValidate
      className="grid gap-4"
      aria-label={provider ? 'Edit provider' : 'Add provider'}
    >
      <FormError
        error={mutation.error}
        fields={['name', 'baseUrl', 'apiKey']}
        title={provider ? 'Could not save the provider' : 'Could not add the provider'}
      />
      {provider ? (
        <p className="text-sm">
          <span className="text-muted-foreground">Kind:</span> {KIND_INFO[provider.kind].label}
        </p>
      ) : (
        <div className="grid gap-2">
          <Label htmlFor={`${id}-kind`}>Kind</Label>
          <NativeSelect
            id={`${id}-kind`}
            value={kind}
            onChange={(event) => {
              if (isConnectableKind(event.target.value)) setKind(event.target.value)
            }}
          >
            {CONNECTABLE_KINDS.map((value) => (
              <option key={value} value={value}>
                {KIND_INFO[value].label}
              </option>
            ))}
          </NativeSelect>
        </div>
      )}
      <TextField
        label="Name"
        name="name"
        defaultValue={provider?.name ?? ''}
        placeholder={kind === 'ollama' ? 'e.g. GPU box' : `e.g. ${info.label}`}
        error={errors.name}
        autoComplete="off"
      />
      <TextField
        label="Base URL"
        name="baseUrl"
        type="url"
        value={baseUrl}
        onChange={(event) => setBaseUrl(event.target.value)}
        placeholder={info.placeholder}
        hint={info.defaultUrl ? `Leave empty for ${info.defaultUrl}.` : undefined}
        error={errors.baseUrl}
        autoComplete="off"
        spellCheck={false}
      />
      {keyRequired ? (
        <Alert data-testid="key-required-notice" className="border-warning/50 bg-warning/5">
          <KeyRound />
          <AlertTitle>Enter the API key again</AlertTitle>
          <AlertDescription>
            The base URL changed. Web+ never sends a stored key to a different address, so that a mistyped or
            hostile URL cannot receive it: type the key for the new URL.
          </AlertDescription>
        </Alert>
      ) : null}
      <TextField
        label="API key"
        name="apiKey"
        type="password"
        autoComplete="new-password"
        placeholder={provider?.apiKey.set && !keyRequired ? '••••••••' : ''}
        hint={keyHint}
        error={errors.apiKey}
        required={keyRequired}
        disabled={removeKey}
      />
      {provider?.apiKey.set ? (
        <div className="flex items-center gap-2">
          <Checkbox
            id={`${id}-remove-key`}
            checked={removeKey}
            onCheckedChange={(checked) => setRemoveKey(checked === true)}
          />
          <Label htmlFor={`${id}-remove-key`} className="font-normal">
            Remove the stored key
          </Label>
        </div>
      ) : null}
      <div className="flex items-center justify-between gap-4 rounded-md border p-3">
        <Label htmlFor={`${id}-enabled`}>Enabled</Label>
        <Switch id={`${id}-enabled`} checked={enabled} onCheckedChange={setEnabled} />
      </div>
      <DialogFooter>
        <Button type="submit" pending={mutation.isPending}>
          {provider ? 'Save' : 'Add provider'}
        </Button>
      </DialogFooter>
    </form>
  )
}

/** Add a provider connection, or edit one (its key is never shown, only "set · …last4"). */
export function ProviderFormDialog({
  open,
  onOpenChange,
  provider,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  provider?: Provider
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{provider ? `Edit ${provider.name}` : 'Add a provider'}</DialogTitle>
          <DialogDescription>
            {provider
              ? 'Changes apply at once; the catalog is synced with the provider again.'
              : 'Connect an Ollama host, OpenAI, Anthropic or any OpenAI-compatible server. Its models join the catalog.'}
          </DialogDescription>
        </DialogHeader>
        <ProviderForm provider={provider} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  )
}
