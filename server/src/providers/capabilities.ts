// What a model can do, from what its backend reports or, failing that, from its family or name.
// The name rules are a best guess for the catalog; an admin can correct a model there.

import type { ModelCapability } from './types.js'

const ollamaReported: Record<string, ModelCapability> = {
  completion: 'chat',
  vision: 'vision',
  tools: 'tools',
  embedding: 'embeddings',
}

const visionFamilies = new Set(['clip', 'mllama', 'llava', 'qwen2vl', 'qwen25vl', 'gemma3'])
const embeddingFamilies = new Set(['bert', 'nomic-bert', 'xlm-roberta', 'jina-bert-v2'])

function unique(capabilities: ModelCapability[]): ModelCapability[] {
  return [...new Set(capabilities)]
}

/**
 * Ollama: its `/api/show` `capabilities` list (completion, vision, tools, embedding…) when the
 * server is recent enough to send one, else the model's families.
 */
export function ollamaCapabilities(
  reported: readonly string[] | undefined,
  families: readonly string[],
): ModelCapability[] {
  if (reported && reported.length > 0) {
    return unique(reported.flatMap((name) => (name in ollamaReported ? [ollamaReported[name]!] : [])))
  }
  if (families.some((family) => embeddingFamilies.has(family))) return ['embeddings']
  if (families.some((family) => visionFamilies.has(family))) return ['chat', 'vision']
  return ['chat']
}

const notChat =
  /(^|[-/])(whisper|tts|dall-e|gpt-image|sora|davinci|babbage|moderation|transcribe|realtime|audio|search)/i
const embeddingName = /embed|(^|[-/])(bge|e5|gte)-/i
const openaiVision = /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|gpt-5|chatgpt-4o|o1|o3|o4)/
const openaiTools = /^(gpt-4|gpt-3\.5-turbo|gpt-5|o1|o3|o4)/
const compatibleVision = /vision|llava|pixtral|(^|[-_/.])vl([-_/.]|$)|-vl-|gemma-?3|llama-?4|qwen2\.5-vl/i

/** OpenAI and OpenAI-compatible servers report no capabilities: guess from the model id. */
export function openaiCapabilities(id: string, official: boolean): ModelCapability[] {
  if (embeddingName.test(id)) return ['embeddings']
  if (notChat.test(id)) return []
  if (official) {
    const capabilities: ModelCapability[] = ['chat']
    if (openaiVision.test(id)) capabilities.push('vision')
    if (openaiTools.test(id)) capabilities.push('tools')
    return capabilities
  }
  return compatibleVision.test(id) ? ['chat', 'vision'] : ['chat']
}

/** Anthropic: its models endpoint says whether images are accepted; older answers do not. */
export function anthropicCapabilities(id: string, imageInput: boolean | undefined): ModelCapability[] {
  const legacy = /^claude-(instant|[12])([-.]|$)/.test(id)
  const vision = imageInput ?? !legacy
  return legacy ? ['chat'] : vision ? ['chat', 'vision', 'tools'] : ['chat', 'tools']
}
