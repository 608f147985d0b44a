// Models loaded in this process: load with a context size and thread count inside a memory
// budget (unloading the least recently used model, or refusing, past it), unload, and what is
// resident. Loads are admitted one at a time so two of them cannot overrun the budget together.
import type { LlamaChat, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp'
import { ProviderError, type RunningModel } from '../types.js'
import { cpuCount, type EngineOptions, engine, engineModule, takeEngineProblem } from './engine.js'
import { estimateMemory } from './gguf.js'
import { preflight } from './preflight.js'

export interface RuntimeOptions {
  budgetBytes: number
  onBudget: 'evict-lru' | 'refuse'
  threads: number
  contextSize: number
  gpu: 'auto' | 'off'
  log?: EngineOptions['log']
  /** The loaded set changed other than by load/unload calls awaited by the LLM Manager
   * (a model evicted to make room, or loaded by a chat). */
  onChange?: (name: string) => void
}

export interface LoadedModel {
  name: string
  model: LlamaModel
  context: LlamaContext
  sequence: LlamaContextSequence
  chat: LlamaChat
  /** What this model counts against the budget: the larger of the estimate and llama.cpp's own figure. */
  memoryBytes: number
  contextSize: number
  threads: number
  loadedAt: string
  lastUsed: number
  /** Generations running or waiting for the model's one sequence. */
  active: number
  queue: Promise<void>
  /** Fires when the model is being unloaded: generations on it stop. */
  unloading: AbortController
  tokensPerSecond: number | null
}

const MB = 1024 * 1024
const mb = (bytes: number) => `${Math.ceil(bytes / MB)} MB`

export class EmbeddedRuntime {
  private readonly loaded = new Map<string, LoadedModel>()
  private readonly pending = new Map<string, Promise<LoadedModel>>()
  private admission: Promise<unknown> = Promise.resolve()
  readonly threads: number

  constructor(private readonly options: RuntimeOptions) {
    this.threads = Math.max(1, Math.min(options.threads, cpuCount()))
  }

  private engine() {
    return engine({ gpu: this.options.gpu, maxThreads: this.threads, log: this.options.log })
  }

  /** Bytes the loaded models take, as counted against the budget. */
  usedBytes(): number {
    let sum = 0
    for (const model of this.loaded.values()) sum += model.memoryBytes
    return sum
  }

  get budgetBytes(): number {
    return this.options.budgetBytes
  }

  get onBudget(): RuntimeOptions['onBudget'] {
    return this.options.onBudget
  }

  get contextSize(): number {
    return this.options.contextSize
  }

  list(): LoadedModel[] {
    return [...this.loaded.values()]
  }

  get(name: string): LoadedModel | undefined {
    return this.loaded.get(name)
  }

  running(): RunningModel[] {
    return this.list().map((m) => ({
      name: m.name,
      sizeBytes: m.memoryBytes,
      vramBytes: m.model.gpuLayers > 0 ? m.model.memoryUsage.vram + m.context.memoryUsage.vram : 0,
    }))
  }

  /** Loads a model (or returns it when it already is), making room for it first. */
  load(name: string, file: string): Promise<LoadedModel> {
    const current = this.loaded.get(name)
    if (current) {
      current.lastUsed = Date.now()
      return Promise.resolve(current)
    }
    const inFlight = this.pending.get(name)
    if (inFlight) return inFlight
    const loading = this.admission.then(() => this.admitAndLoad(name, file))
    this.admission = loading.catch(() => undefined)
    this.pending.set(name, loading)
    return loading.finally(() => this.pending.delete(name))
  }

  private async admitAndLoad(name: string, file: string): Promise<LoadedModel> {
    const llama = await this.engine()
    const estimate = await estimateMemory(llama, file, this.options.contextSize)
    if (!estimate.supported) {
      throw new ProviderError(
        'bad_request',
        `cannot load ${name}: this llama.cpp build does not know its architecture "${estimate.architecture}"`,
      )
    }
    await preflight(file).catch((error: unknown) => {
      throw loadFailure(name, error)
    })
    await this.makeRoom(name, estimate.totalBytes)
    takeEngineProblem()
    const model = await llama
      .loadModel({ modelPath: file, gpuLayers: this.options.gpu === 'off' ? 0 : 'auto' })
      .catch((error: unknown) => {
        throw loadFailure(name, error)
      })
    try {
      const context = await model.createContext({
        contextSize: estimate.contextSize,
        threads: this.threads,
        sequences: 1,
      })
      const sequence = context.getSequence()
      const { LlamaChat } = await engineModule()
      const chat = new LlamaChat({
        contextSequence: sequence,
        chatWrapper: 'auto',
        autoDisposeSequence: false,
      })
      const reported =
        model.memoryUsage.ram + model.memoryUsage.vram + context.memoryUsage.ram + context.memoryUsage.vram
      const loaded: LoadedModel = {
        name,
        model,
        context,
        sequence,
        chat,
        memoryBytes: Math.max(estimate.totalBytes, reported),
        contextSize: context.contextSize,
        threads: this.threads,
        loadedAt: new Date().toISOString(),
        lastUsed: Date.now(),
        active: 0,
        queue: Promise.resolve(),
        unloading: new AbortController(),
        tokensPerSecond: null,
      }
      this.loaded.set(name, loaded)
      return loaded
    } catch (error) {
      await model.dispose()
      throw loadFailure(name, error)
    }
  }

  /** Frees budget for `needed` bytes by the configured policy, or explains why it cannot. */
  private async makeRoom(name: string, needed: number): Promise<void> {
    const budget = this.options.budgetBytes
    if (needed > budget) {
      throw new ProviderError(
        'bad_request',
        `${name} needs about ${mb(needed)}, more than the whole embedded memory budget of ${mb(budget)} ` +
          '(WEBPLUS_EMBEDDED_MEMORY_BUDGET_MB)',
      )
    }
    while (this.usedBytes() + needed > budget) {
      const free = budget - this.usedBytes()
      const names = this.list().map((m) => m.name)
      if (this.options.onBudget === 'refuse') {
        throw new ProviderError(
          'bad_request',
          `${name} needs about ${mb(needed)} but only ${mb(free)} of the ${mb(budget)} embedded memory budget ` +
            `is free (loaded: ${names.join(', ')}); stop a model first`,
        )
      }
      const idle = this.list()
        .filter((m) => m.active === 0)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0]
      if (!idle) {
        throw new ProviderError(
          'bad_request',
          `${name} needs about ${mb(needed)} but only ${mb(free)} of the ${mb(budget)} embedded memory budget ` +
            `is free and every loaded model is busy generating (${names.join(', ')})`,
        )
      }
      this.options.log?.('info', `unloading ${idle.name} (least recently used) to make room for ${name}`)
      await this.release(idle)
      this.options.onChange?.(idle.name)
    }
  }

  /** Takes a model out of the loaded set at once (its memory no longer counts) and frees it. */
  private release(loaded: LoadedModel): Promise<void> {
    this.loaded.delete(loaded.name)
    loaded.unloading.abort()
    return loaded.queue.then(async () => {
      loaded.chat.dispose({ disposeSequence: true })
      await loaded.context.dispose()
      await loaded.model.dispose()
    })
  }

  /** Stops generations on the model and frees its memory; resolves once it is gone. */
  async unload(name: string): Promise<void> {
    const inFlight = this.pending.get(name)
    if (inFlight) await inFlight.catch(() => undefined)
    const loaded = this.loaded.get(name)
    if (loaded) await this.release(loaded)
  }

  async unloadAll(): Promise<void> {
    await Promise.allSettled(this.pending.values())
    await Promise.all(this.list().map((m) => this.release(m)))
  }

  /** Waits for the model's one sequence; the returned function gives it back. */
  async acquire(loaded: LoadedModel): Promise<() => void> {
    const previous = loaded.queue
    let release!: () => void
    loaded.queue = new Promise<void>((resolve) => {
      release = resolve
    })
    loaded.active += 1
    await previous
    return () => {
      loaded.active -= 1
      loaded.lastUsed = Date.now()
      release()
    }
  }
}

function loadFailure(name: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error
  const reason = (error instanceof Error ? error.message : String(error)).replace(/^Error: /, '')
  const detail = takeEngineProblem()
  const full = detail && !reason.includes(detail) ? `${reason} (${detail})` : reason
  return new ProviderError('bad_response', `could not load ${name}: ${full}`, { cause: error })
}
