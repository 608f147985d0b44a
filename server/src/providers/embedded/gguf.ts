// What a GGUF file is, read from its header without loading it: architecture, parameter count,
// quantization, context length, chat template; and how much memory loading it would take.
import type { Llama } from 'node-llama-cpp'
import { ProviderError } from '../types.js'
import { engineModule } from './engine.js'
import { checkGgufHeader } from './gguf-check.js'

export interface GgufSummary {
  architecture: string
  /** `general.name` when the file has one. */
  title?: string
  parameterCount: number
  /** e.g. `1.1B`, `116K`. */
  parameterSize: string
  /** e.g. `Q4_K_M`, `F32`. */
  quantization?: string
  contextLength?: number
  chatTemplate?: string
}

// The vocabulary arrays are the bulk of a header and say nothing the catalog shows.
const bulkyKeys = [
  'tokenizer.ggml.tokens',
  'tokenizer.ggml.merges',
  'tokenizer.ggml.token_type',
  'tokenizer.ggml.scores',
]

export function formatParameters(count: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ]
  for (const [size, unit] of units) {
    if (count >= size) return `${Number((count / size).toFixed(count / size < 10 ? 1 : 0))}${unit}`
  }
  return String(count)
}

function unreadable(file: string, error: unknown): ProviderError {
  const reason = error instanceof Error ? error.message : String(error)
  return new ProviderError('bad_response', `${file} is not a readable GGUF file: ${reason}`, { cause: error })
}

/** Reads a file's header. Throws ProviderError (`bad_response`) when it is not a GGUF file. */
export async function readGgufSummary(file: string): Promise<GgufSummary> {
  const llamaCpp = await engineModule()
  let info: Awaited<ReturnType<typeof llamaCpp.readGgufFileInfo>>
  try {
    await checkGgufHeader(file)
    info = await llamaCpp.readGgufFileInfo(file, {
      sourceType: 'filesystem',
      ignoreKeys: bulkyKeys,
      logWarnings: false,
    })
  } catch (error) {
    throw unreadable(file, error)
  }
  const general = info.metadata.general
  const parameterCount = (info.tensorInfo ?? []).reduce(
    (sum, tensor) => sum + tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1),
    0,
  )
  const fileType = general?.file_type
  const quantization =
    fileType === undefined ? undefined : llamaCpp.GgufFileType[fileType]?.replace(/^(MOSTLY|ALL)_/, '')
  const contextLength = info.architectureMetadata.context_length
  const template = info.metadata.tokenizer?.chat_template
  return {
    architecture: String(general?.architecture ?? 'unknown'),
    ...(general?.name ? { title: String(general.name) } : {}),
    parameterCount,
    parameterSize: formatParameters(parameterCount),
    ...(quantization ? { quantization } : {}),
    ...(typeof contextLength === 'number' ? { contextLength } : {}),
    ...(typeof template === 'string' ? { chatTemplate: template } : {}),
  }
}

export interface MemoryEstimate {
  /** Everything: weights, context (KV cache) and compute buffers. */
  totalBytes: number
  modelBytes: number
  contextBytes: number
  /** The context size the estimate is for (the requested one, capped at the trained one). */
  contextSize: number
  architecture: string
  supported: boolean
}

/** Memory to load `file` with `contextSize` on the CPU, as llama.cpp would allocate it. */
export async function estimateMemory(
  llama: Llama,
  file: string,
  contextSize: number,
): Promise<MemoryEstimate> {
  const llamaCpp = await engineModule()
  let insights: Awaited<ReturnType<typeof llamaCpp.GgufInsights.from>>
  try {
    await checkGgufHeader(file)
    const info = await llamaCpp.readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false })
    insights = await llamaCpp.GgufInsights.from(info, llama)
  } catch (error) {
    throw unreadable(file, error)
  }
  const size = Math.min(contextSize, insights.trainContextSize ?? contextSize)
  const model = insights.estimateModelResourceRequirements({ gpuLayers: 0 })
  const context = insights.estimateContextResourceRequirements({
    contextSize: size,
    modelGpuLayers: 0,
    sequences: 1,
  })
  const modelBytes = model.cpuRam + model.gpuVram
  const contextBytes = context.cpuRam + context.gpuVram
  return {
    totalBytes: modelBytes + contextBytes,
    modelBytes,
    contextBytes,
    contextSize: size,
    architecture: String(insights.ggufFileInfo.metadata.general?.architecture ?? 'unknown'),
    supported: insights.isSupportedByLlamaCpp,
  }
}
