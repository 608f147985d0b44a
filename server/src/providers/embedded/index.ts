// The embedded llama.cpp engine's public face. node-llama-cpp itself is only imported (lazily)
// by the files behind it, never at server start.
import os from 'node:os'

export { EmbeddedAdapter, type EmbeddedOptions, type EngineStatus, type PullSource } from './adapter.js'
export { cpuCount, engineImported } from './engine.js'
export { generationOptions, samplingDefaults, toChatHistory } from './generate.js'

/** Half of the machine's memory, when no budget is configured. */
export function defaultBudgetBytes(): number {
  return Math.floor(os.totalmem() / 2)
}
