import { describe, expect, it } from 'vitest'
import {
  anthropicCapabilities,
  ollamaCapabilities,
  openaiCapabilities,
} from '../../src/providers/capabilities.js'
import { fromThrown } from '../../src/providers/errors.js'
import {
  AnthropicAdapter,
  createAdapter,
  OllamaAdapter,
  OpenAIAdapter,
  ProviderError,
  withTag,
} from '../../src/providers/index.js'

describe('createAdapter', () => {
  it('builds the adapter of each kind, with only the capabilities that backend has', () => {
    const ollama = createAdapter({ kind: 'ollama', baseUrl: 'http://127.0.0.1:11434' })
    const openai = createAdapter({ kind: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk' })
    const compatible = createAdapter({ kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000' })
    const anthropic = createAdapter({ kind: 'anthropic', baseUrl: 'https://api.anthropic.com', apiKey: 'k' })
    expect(ollama).toBeInstanceOf(OllamaAdapter)
    expect(openai).toBeInstanceOf(OpenAIAdapter)
    expect(compatible).toBeInstanceOf(OpenAIAdapter)
    expect(anthropic).toBeInstanceOf(AnthropicAdapter)
    expect([ollama.kind, openai.kind, compatible.kind, anthropic.kind]).toEqual([
      'ollama',
      'openai',
      'openai-compatible',
      'anthropic',
    ])
    for (const method of ['running', 'load', 'unload', 'pull', 'remove', 'show', 'embed'] as const) {
      expect(typeof ollama[method]).toBe('function')
      expect(anthropic[method]).toBeUndefined()
    }
    expect(typeof openai.embed).toBe('function')
    expect(openai.pull).toBeUndefined()
    expect(openai.running).toBeUndefined()
  })
})

describe('capabilities', () => {
  it('maps Ollama’s reported capabilities, else guesses from the families', () => {
    expect(ollamaCapabilities(['completion', 'vision', 'tools', 'insert', 'thinking'], ['gemma3'])).toEqual([
      'chat',
      'vision',
      'tools',
    ])
    expect(ollamaCapabilities(['embedding'], ['bert'])).toEqual(['embeddings'])
    expect(ollamaCapabilities(undefined, ['mllama'])).toEqual(['chat', 'vision'])
    expect(ollamaCapabilities([], ['nomic-bert'])).toEqual(['embeddings'])
    expect(ollamaCapabilities(undefined, ['qwen2'])).toEqual(['chat'])
  })

  it('guesses OpenAI capabilities from the id', () => {
    expect(openaiCapabilities('gpt-4o', true)).toEqual(['chat', 'vision', 'tools'])
    expect(openaiCapabilities('gpt-3.5-turbo', true)).toEqual(['chat', 'tools'])
    expect(openaiCapabilities('text-embedding-3-large', true)).toEqual(['embeddings'])
    expect(openaiCapabilities('tts-1-hd', true)).toEqual([])
    expect(openaiCapabilities('gpt-4o-realtime-preview', true)).toEqual([])
    expect(openaiCapabilities('meta-llama/Llama-3.1-8B-Instruct', false)).toEqual(['chat'])
    expect(openaiCapabilities('Qwen/Qwen2.5-VL-7B-Instruct', false)).toEqual(['chat', 'vision'])
  })

  it('uses Anthropic’s image_input flag, and knows legacy models take no images', () => {
    expect(anthropicCapabilities('claude-haiku-4-5', undefined)).toEqual(['chat', 'vision', 'tools'])
    expect(anthropicCapabilities('claude-x', false)).toEqual(['chat', 'tools'])
    expect(anthropicCapabilities('claude-2.1', undefined)).toEqual(['chat'])
    expect(anthropicCapabilities('claude-instant-1.2', undefined)).toEqual(['chat'])
  })
})

describe('errors and names', () => {
  it('tags untagged Ollama names as :latest', () => {
    expect(withTag('llama3')).toBe('llama3:latest')
    expect(withTag('llama3:8b')).toBe('llama3:8b')
    expect(withTag('registry.local:5000/team/model')).toBe('registry.local:5000/team/model:latest')
  })

  it('gives each kind the status Web+ answers with, never 401', () => {
    const statuses = (
      ['unauthorized', 'not_found', 'rate_limited', 'timeout', 'unreachable', 'aborted'] as const
    ).map((kind) => new ProviderError(kind, kind).status)
    expect(statuses).toEqual([502, 404, 429, 504, 503, 499])
  })

  it('maps socket failures found through cause chains', () => {
    const ctx = { label: 'Ollama', baseUrl: 'http://h:1' }
    const refused = new TypeError('fetch failed', {
      cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
    })
    expect(fromThrown(ctx, refused)).toMatchObject({
      kind: 'unreachable',
      message: 'Cannot reach Ollama at http://h:1: connection refused',
    })
    const reset = new TypeError('terminated', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    })
    expect(fromThrown(ctx, reset)).toMatchObject({ kind: 'upstream', retryable: true })
    const cancelled = new AbortController()
    cancelled.abort()
    expect(fromThrown(ctx, reset, cancelled.signal)).toMatchObject({ kind: 'aborted', retryable: false })
  })
})
