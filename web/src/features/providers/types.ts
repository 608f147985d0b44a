// Provider connections, as server/src/models/routes.ts answers them.

export type ProviderKind = 'ollama' | 'openai' | 'anthropic' | 'openai-compatible' | 'embedded'

/** Kinds an admin can connect (the embedded engine registers itself). */
export const CONNECTABLE_KINDS = ['ollama', 'openai', 'anthropic', 'openai-compatible'] as const
export type ConnectableKind = (typeof CONNECTABLE_KINDS)[number]

export interface Provider {
  id: string
  name: string
  kind: ProviderKind
  baseUrl: string
  apiKey: { set: boolean; last4: string | null }
  enabled: boolean
  status: 'unknown' | 'ok' | 'unreachable'
  lastError: string | null
  latencyMs: number | null
  checkedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface ConnectionTest {
  ok: boolean
  latencyMs: number
  error?: string
}

export interface KindInfo {
  label: string
  placeholder: string
  /** The URL the server uses when the field is left empty, if it has one. */
  defaultUrl?: string
  keyHint: string
}

export const KIND_INFO: Record<ProviderKind, KindInfo> = {
  ollama: {
    label: 'Ollama',
    placeholder: 'http://127.0.0.1:11434',
    keyHint: 'Only needed when the host sits behind a proxy that asks for one.',
  },
  openai: {
    label: 'OpenAI',
    placeholder: 'https://api.openai.com/v1',
    defaultUrl: 'https://api.openai.com/v1',
    keyHint: 'An API key from your OpenAI account (sk-…).',
  },
  anthropic: {
    label: 'Anthropic',
    placeholder: 'https://api.anthropic.com',
    defaultUrl: 'https://api.anthropic.com',
    keyHint: 'An API key from the Anthropic console (sk-ant-…).',
  },
  'openai-compatible': {
    label: 'OpenAI-compatible',
    placeholder: 'http://127.0.0.1:8000/v1',
    keyHint: 'vLLM, llama.cpp, LM Studio, Groq, OpenRouter… Leave empty if the server needs none.',
  },
  embedded: {
    label: 'Embedded engine',
    placeholder: '',
    keyHint: '',
  },
}
