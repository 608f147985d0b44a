// The one node-llama-cpp instance of this process. The package is imported only when a GGUF
// file is first looked at (its import alone takes over a second), so a server that never
// uses the embedded engine starts as fast as one without it.
import os from 'node:os'
import type { Llama } from 'node-llama-cpp'

export type NodeLlamaCpp = typeof import('node-llama-cpp')

export interface EngineOptions {
  gpu: 'auto' | 'off'
  /** Never more than the machine's cores: oversubscribed llama.cpp threads run 20× slower. */
  maxThreads: number
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string) => void
}

let modulePromise: Promise<NodeLlamaCpp> | null = null
let llamaPromise: Promise<Llama> | null = null
/** The first error llama.cpp logged since the last take: node-llama-cpp's own load errors only
 * say "Failed to load model". */
let lastProblem: string | null = null

/** Returns and forgets the first error llama.cpp logged since the last call. */
export function takeEngineProblem(): string | null {
  const problem = lastProblem
  lastProblem = null
  return problem
}

export function cpuCount(): number {
  return os.availableParallelism()
}

/** Whether node-llama-cpp has been imported in this process (it should not be until a model file is there). */
export function engineImported(): boolean {
  return modulePromise !== null
}

/** The JavaScript side of node-llama-cpp (GGUF parsing, chat wrappers), without the native engine. */
export function engineModule(): Promise<NodeLlamaCpp> {
  modulePromise ??= import('node-llama-cpp').catch((error: unknown) => {
    modulePromise = null
    throw error
  })
  return modulePromise
}

/** The native engine, created once per process with the first caller's options; it never
 * builds or downloads anything at run time (prebuilt binaries from npm only). */
export function engine(options: EngineOptions): Promise<Llama> {
  llamaPromise ??= (async () => {
    const llamaCpp = await engineModule()
    const { LlamaLogLevel } = llamaCpp
    const levels: Partial<Record<string, 'error' | 'warn' | 'info' | 'debug'>> = {
      [LlamaLogLevel.fatal]: 'error',
      [LlamaLogLevel.error]: 'error',
      [LlamaLogLevel.warn]: 'warn',
      [LlamaLogLevel.info]: 'debug',
    }
    return llamaCpp.getLlama({
      gpu: options.gpu === 'off' ? false : 'auto',
      build: 'never',
      skipDownload: true,
      progressLogs: false,
      maxThreads: Math.min(options.maxThreads, cpuCount()),
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const mapped = levels[level]
        if (!mapped || !message.trim()) return
        if (mapped === 'error') lastProblem ??= message.trim()
        options.log?.(mapped, message.trim())
      },
    })
  })().catch((error: unknown) => {
    llamaPromise = null
    throw error
  })
  return llamaPromise
}
