// The providers module's public face: the adapter types and the one way to get an adapter.

import { AnthropicAdapter } from './anthropic.js'
import { OllamaAdapter } from './ollama.js'
import { OpenAIAdapter } from './openai.js'
import type { AdapterOptions, ProviderAdapter, ProviderConnection } from './types.js'

export { AnthropicAdapter } from './anthropic.js'
export { OllamaAdapter, withTag } from './ollama.js'
export { OpenAIAdapter } from './openai.js'
export * from './types.js'

/** Sensible base URLs to pre-fill when an admin adds a provider of a kind. */
export const DEFAULT_BASE_URLS = {
  ollama: 'http://127.0.0.1:11434',
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
} as const

export function createAdapter(
  connection: ProviderConnection & { kind: 'ollama' },
  options?: AdapterOptions,
): OllamaAdapter
export function createAdapter(connection: ProviderConnection, options?: AdapterOptions): ProviderAdapter
export function createAdapter(connection: ProviderConnection, options: AdapterOptions = {}): ProviderAdapter {
  const { kind, baseUrl, apiKey } = connection
  switch (kind) {
    case 'ollama':
      return new OllamaAdapter(baseUrl, apiKey, options)
    case 'openai':
    case 'openai-compatible':
      return new OpenAIAdapter(kind, baseUrl, apiKey, options)
    case 'anthropic':
      return new AnthropicAdapter(baseUrl, apiKey, options)
    case 'embedded':
      // One engine per process with the server's configuration: see models/connections.ts.
      throw new Error('the embedded engine is not created from a connection')
  }
}
