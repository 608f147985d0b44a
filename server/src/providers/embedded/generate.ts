// One chat reply from a loaded model, streamed as the provider interface's events. The prompt is
// built by the chat wrapper node-llama-cpp resolves from the model's own GGUF chat template.
import type { ChatHistoryItem, LLamaChatGenerateResponseOptions } from 'node-llama-cpp'
import type { ChatEvent, ChatMessage, FinishReason } from '../types.js'
import type { EmbeddedRuntime, LoadedModel } from './runtime.js'

export interface SamplingOptions {
  maxTokens?: number
  temperature?: number
  topP?: number
  seed?: number
}

/** Ollama's defaults, so a model answers alike whichever local engine runs it. */
export const samplingDefaults = {
  temperature: 0.8,
  topP: 0.9,
  topK: 40,
  repeatPenalty: { penalty: 1.1, lastTokens: 64 },
} as const

export function toChatHistory(messages: ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === 'system') return { type: 'system', text: message.content }
    if (message.role === 'user') return { type: 'user', text: message.content }
    return { type: 'model', response: [message.content] }
  })
  history.push({ type: 'model', response: [] })
  return history
}

/** The options node-llama-cpp generates with; the benchmark drives the engine with the same. */
export function generationOptions(
  sampling: SamplingOptions,
  contextSize: number,
): Pick<
  LLamaChatGenerateResponseOptions,
  'maxTokens' | 'temperature' | 'topP' | 'topK' | 'seed' | 'repeatPenalty' | 'stopOnAbortSignal'
> {
  return {
    maxTokens: sampling.maxTokens ?? contextSize,
    temperature: sampling.temperature ?? samplingDefaults.temperature,
    topP: sampling.topP ?? samplingDefaults.topP,
    topK: samplingDefaults.topK,
    repeatPenalty: { ...samplingDefaults.repeatPenalty },
    stopOnAbortSignal: true,
    ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
  }
}

const finishReasons: Record<string, FinishReason> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
  functionCalls: 'tool_calls',
  abort: 'aborted',
}

function failure(message: string): ChatEvent {
  return { type: 'error', message, retryable: false, kind: 'upstream' }
}

export async function* generate(
  runtime: EmbeddedRuntime,
  loaded: LoadedModel,
  messages: ChatMessage[],
  sampling: SamplingOptions,
  signal: AbortSignal,
): AsyncGenerator<ChatEvent> {
  const release = await runtime.acquire(loaded)
  const stop = new AbortController()
  const stopSignal = AbortSignal.any([signal, loaded.unloading.signal, stop.signal])
  let run: Promise<unknown> | null = null
  try {
    if (loaded.unloading.signal.aborted) {
      yield failure(`${loaded.name} was unloaded; start it again`)
      return
    }
    const history = toChatHistory(messages)
    const inputTokens = loaded.chat.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(loaded.model.tokenizer).length
    const chunks: string[] = []
    // The sequence's meter counts every generated token; onToken holds back tokens that end
    // inside a UTF-8 character or a possible stop trigger, so it is only used for timing.
    const meterBefore = loaded.sequence.tokenMeter.usedOutputTokens
    let firstTokenAt = 0
    let finished = false
    let wake: (() => void) | null = null
    const notify = () => {
      wake?.()
      wake = null
    }
    const response = loaded.chat.generateResponse(history, {
      ...generationOptions(sampling, loaded.contextSize),
      signal: stopSignal,
      onTextChunk: (text) => {
        chunks.push(text)
        notify()
      },
      onToken: () => {
        if (firstTokenAt === 0) firstTokenAt = performance.now()
      },
    })
    run = response.finally(() => {
      finished = true
      notify()
    })
    run.catch(() => undefined) // awaited below; this only keeps it from being reported unhandled
    for (;;) {
      if (chunks.length > 0) {
        yield { type: 'delta', text: chunks.splice(0).join('') }
        continue
      }
      if (finished) break
      await new Promise<void>((resolve) => {
        wake = resolve
      })
    }
    let result: Awaited<typeof response>
    try {
      result = await response
    } catch (error) {
      yield failure(`generation failed: ${error instanceof Error ? error.message : String(error)}`)
      return
    }
    const outputTokens = loaded.sequence.tokenMeter.usedOutputTokens - meterBefore
    const seconds = (performance.now() - firstTokenAt) / 1000
    if (firstTokenAt > 0 && outputTokens > 1 && seconds > 0)
      loaded.tokensPerSecond = (outputTokens - 1) / seconds
    yield { type: 'usage', inputTokens, outputTokens }
    const reason = finishReasons[result.metadata.stopReason] ?? 'other'
    if (reason === 'aborted' && !signal.aborted) {
      yield failure(`${loaded.name} was unloaded while it was answering`)
      return
    }
    yield { type: 'done', finishReason: reason }
  } finally {
    // The consumer may stop reading early: stop generating, then give the sequence back.
    stop.abort()
    await run?.catch(() => undefined)
    release()
  }
}
