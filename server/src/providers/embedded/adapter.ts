// The `embedded` provider: GGUF files in the models folder, run in this process by llama.cpp
// (node-llama-cpp). It is a local engine like an Ollama host: list, load/unload, chat, pull
// (by URL), import, remove, and what is loaded now.
import fs from 'node:fs/promises'
import type {
  ChatEvent,
  ChatRequest,
  Health,
  ModelDetails,
  ModelInfo,
  ProviderAdapter,
  PullProgress,
  RunningModel,
} from '../types.js'
import { ProviderError } from '../types.js'
import { discardPart, download } from './downloader.js'
import { engine } from './engine.js'
import { generate } from './generate.js'
import { estimateMemory, type GgufSummary, readGgufSummary } from './gguf.js'
import { EmbeddedRuntime, type RuntimeOptions } from './runtime.js'
import { ModelStore, type StoredModel } from './store.js'

export interface EmbeddedOptions extends RuntimeOptions {
  modelsDir: string
  /** Download tuning, for tests. */
  download?: { retries?: number; retryDelayMs?: number; idleTimeoutMs?: number }
}

export interface PullSource {
  url: string
  sha256?: string
}

export interface EngineStatus {
  modelsDir: string
  threads: number
  contextSize: number
  budgetBytes: number
  usedBytes: number
  onBudget: RuntimeOptions['onBudget']
  loaded: Array<{
    name: string
    memoryBytes: number
    contextSize: number
    threads: number
    loadedAt: string
    lastUsedAt: string
    generating: number
    tokensPerSecond: number | null
  }>
}

interface SummaryEntry {
  stamp: string
  summary: GgufSummary | null
  error: string | null
}

export class EmbeddedAdapter implements ProviderAdapter {
  readonly kind = 'embedded' as const
  readonly store: ModelStore
  readonly runtime: EmbeddedRuntime
  private readonly summaries = new Map<string, SummaryEntry>()

  constructor(private readonly options: EmbeddedOptions) {
    this.store = new ModelStore(options.modelsDir)
    this.runtime = new EmbeddedRuntime(options)
  }

  /** The header summary of a stored file, read again only when the file changes. */
  private async summaryOf(stored: StoredModel): Promise<SummaryEntry> {
    const stamp = `${stored.sizeBytes}:${stored.modifiedAt}`
    const cached = this.summaries.get(stored.name)
    if (cached?.stamp === stamp) return cached
    const entry: SummaryEntry = await readGgufSummary(stored.file).then(
      (summary) => ({ stamp, summary, error: null }),
      (error: unknown) => ({
        stamp,
        summary: null,
        error: error instanceof Error ? error.message : String(error),
      }),
    )
    this.summaries.set(stored.name, entry)
    return entry
  }

  async listModels(): Promise<ModelInfo[]> {
    const stored = await this.store.list()
    const names = new Set(stored.map((s) => s.name))
    for (const name of this.summaries.keys()) if (!names.has(name)) this.summaries.delete(name)
    // An unreadable file is still listed: starting it then shows why it cannot run.
    return Promise.all(
      stored.map(async (file): Promise<ModelInfo> => {
        const { summary } = await this.summaryOf(file)
        return {
          name: file.name,
          ...(summary?.title && summary.title !== file.name ? { displayName: summary.title } : {}),
          ...(summary ? { family: summary.architecture, parameterSize: summary.parameterSize } : {}),
          ...(summary?.quantization ? { quantization: summary.quantization } : {}),
          ...(summary?.contextLength ? { contextLength: summary.contextLength } : {}),
          capabilities: ['chat'],
          sizeBytes: file.sizeBytes,
          modifiedAt: file.modifiedAt,
        }
      }),
    )
  }

  async running(): Promise<RunningModel[]> {
    return this.runtime.running()
  }

  async load(name: string): Promise<void> {
    const stored = await this.store.find(name)
    await this.runtime.load(name, stored.file)
  }

  async unload(name: string): Promise<void> {
    await this.runtime.unload(name)
  }

  async *chat(req: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
    let loaded: Awaited<ReturnType<EmbeddedRuntime['load']>>
    try {
      // Like Ollama, a chat with a model that is not loaded loads it.
      const stored = await this.store.find(req.model)
      const wasLoaded = this.runtime.get(req.model) !== undefined
      loaded = await this.runtime.load(req.model, stored.file)
      if (!wasLoaded) this.options.onChange?.(req.model)
    } catch (error) {
      const known = error instanceof ProviderError ? error : null
      yield {
        type: 'error',
        message: known?.message ?? `could not load ${req.model}: ${String(error)}`,
        retryable: false,
        kind: known?.kind ?? 'upstream',
      }
      return
    }
    const { maxTokens, temperature, topP, seed } = req
    try {
      yield* generate(this.runtime, loaded, req.messages, { maxTokens, temperature, topP, seed }, signal)
    } catch (error) {
      // The provider interface promises events, never a throw.
      const message = error instanceof Error ? error.message : String(error)
      yield { type: 'error', message: `generation failed: ${message}`, retryable: false, kind: 'upstream' }
    }
  }

  /** Downloads `source` as model `name`, resuming a previous partial download of the same URL. */
  async *pullUrl(name: string, source: PullSource, signal: AbortSignal): AsyncGenerator<PullProgress> {
    await this.store.ensure()
    const partFile = this.store.partFileOf(name)
    const result = yield* download({ ...source, partFile, signal, ...this.options.download })
    yield { status: 'reading metadata', completedBytes: result.bytes, totalBytes: result.bytes }
    try {
      await readGgufSummary(partFile)
    } catch (error) {
      await discardPart(partFile)
      throw new ProviderError(
        'bad_response',
        `the downloaded file is not a GGUF model (${error instanceof Error ? error.message : String(error)}); it was removed`,
      )
    }
    if (await this.store.has(name))
      throw new ProviderError('bad_request', `A model named "${name}" already exists`)
    await fs.rename(partFile, this.store.fileOf(name))
    yield { status: 'success', completedBytes: result.bytes, totalBytes: result.bytes }
  }

  /** Checks a file inside the models folder is a GGUF model and puts it at the top of the folder. */
  async importFile(requested: string): Promise<string> {
    await this.store.ensure()
    const { name, file } = await this.store.resolveImport(requested)
    await readGgufSummary(file)
    await this.store.adopt(file, name)
    return name
  }

  async remove(name: string): Promise<void> {
    await this.runtime.unload(name)
    await this.store.remove(name)
    this.summaries.delete(name)
  }

  async show(name: string): Promise<ModelDetails> {
    const stored = await this.store.find(name)
    const { summary, error } = await this.summaryOf(stored)
    if (!summary) throw new ProviderError('bad_response', error ?? `${name} is not a readable GGUF file`)
    const llama = await engine({
      gpu: this.options.gpu,
      maxThreads: this.runtime.threads,
      log: this.options.log,
    })
    const estimate = await estimateMemory(llama, stored.file, this.runtime.contextSize)
    return {
      name,
      family: summary.architecture,
      parameterSize: summary.parameterSize,
      ...(summary.quantization ? { quantization: summary.quantization } : {}),
      ...(summary.contextLength ? { contextLength: summary.contextLength } : {}),
      ...(summary.chatTemplate ? { template: summary.chatTemplate } : {}),
      capabilities: ['chat'],
      modelInfo: {
        'general.architecture': summary.architecture,
        'general.parameter_count': summary.parameterCount,
      },
      memory: {
        estimatedBytes: estimate.totalBytes,
        contextSize: estimate.contextSize,
        residentBytes: this.runtime.get(name)?.memoryBytes ?? null,
      },
    }
  }

  /** The engine is in this process: healthy when its models folder can be used. */
  async health(): Promise<Health> {
    const started = performance.now()
    try {
      await this.store.ensure()
      await fs.access(this.store.dir, fs.constants.R_OK | fs.constants.W_OK)
      return { ok: true, latencyMs: performance.now() - started }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return { ok: false, latencyMs: performance.now() - started, error: `models folder unusable: ${reason}` }
    }
  }

  status(): EngineStatus {
    return {
      modelsDir: this.store.dir,
      threads: this.runtime.threads,
      contextSize: this.runtime.contextSize,
      budgetBytes: this.runtime.budgetBytes,
      usedBytes: this.runtime.usedBytes(),
      onBudget: this.runtime.onBudget,
      loaded: this.runtime.list().map((m) => ({
        name: m.name,
        memoryBytes: m.memoryBytes,
        contextSize: m.contextSize,
        threads: m.threads,
        loadedAt: m.loadedAt,
        lastUsedAt: new Date(m.lastUsed).toISOString(),
        generating: m.active,
        tokensPerSecond: m.tokensPerSecond,
      })),
    }
  }

  /** Frees every loaded model (server shutdown). */
  async close(): Promise<void> {
    await this.runtime.unloadAll()
  }
}
