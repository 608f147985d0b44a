// The embedded engine on its own (no database): GGUF metadata without loading, load with a
// context size and threads, seeded generation, stop mid-stream, unload, corrupt and unknown
// files, and the memory budget. Uses a tiny GGUF written at test time.
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  cpuCount,
  EmbeddedAdapter,
  type EmbeddedOptions,
  engineImported,
} from '../src/providers/embedded/index.js'
import type { ChatEvent, ChatRequest } from '../src/providers/types.js'
import { writeTinyGguf } from './fixtures/make-tiny-gguf.js'
import { tempDir } from './helpers.js'

const THREADS = 2

function engineIn(dir: string, overrides: Partial<EmbeddedOptions> = {}): EmbeddedAdapter {
  return new EmbeddedAdapter({
    modelsDir: dir,
    budgetBytes: 1024 * 1024 * 1024,
    onBudget: 'evict-lru',
    threads: THREADS,
    contextSize: 256,
    gpu: 'off',
    ...overrides,
  })
}

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const all: ChatEvent[] = []
  for await (const event of events) all.push(event)
  return all
}

const textOf = (events: ChatEvent[]) => events.map((e) => (e.type === 'delta' ? e.text : '')).join('')

const ask = (model: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Say something about the sea.' },
  ],
  maxTokens: 24,
  seed: 7,
  ...extra,
})

describe('embedded engine', () => {
  let dir: string
  let engine: EmbeddedAdapter
  const engines: EmbeddedAdapter[] = []

  beforeAll(() => {
    dir = tempDir('webplus-embedded-')
    writeTinyGguf(path.join(dir, 'tiny.gguf'))
    writeTinyGguf(path.join(dir, 'tiny-b.gguf'), { seed: 99, name: 'tiny-b' })
    engine = engineIn(dir)
    engines.push(engine)
  })
  afterEach(async () => {
    for (const e of engines) await e.close()
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('does not import node-llama-cpp while the models folder is empty', async () => {
    const empty = tempDir('webplus-embedded-empty-')
    try {
      const idle = engineIn(empty)
      expect(await idle.listModels()).toEqual([])
      expect(await idle.running()).toEqual([])
      expect(await idle.health()).toMatchObject({ ok: true })
      expect(engineImported()).toBe(false)
    } finally {
      fs.rmSync(empty, { recursive: true, force: true })
    }
  })

  it('reads architecture, size, quantization, context and template without loading', async () => {
    const models = await engine.listModels()
    expect(models.find((m) => m.name === 'tiny')).toMatchObject({
      name: 'tiny',
      displayName: 'tiny-llama',
      family: 'llama',
      parameterSize: '116K',
      quantization: 'F32',
      contextLength: 2048,
      capabilities: ['chat'],
      sizeBytes: fs.statSync(path.join(dir, 'tiny.gguf')).size,
    })
    const details = await engine.show('tiny')
    expect(details.template).toContain('<|im_start|>')
    expect(details.memory).toMatchObject({ contextSize: 256, residentBytes: null })
    expect(details.memory?.estimatedBytes).toBeGreaterThan(fs.statSync(path.join(dir, 'tiny.gguf')).size)
    expect(await engine.running()).toEqual([])
  })

  it('loads with the chosen context and threads, and repeats a reply for the same seed', async () => {
    await engine.load('tiny')
    const [running] = await engine.running()
    expect(running).toMatchObject({ name: 'tiny', vramBytes: 0 })
    expect(running?.sizeBytes).toBeGreaterThan(0)
    expect(engine.status().loaded[0]).toMatchObject({ name: 'tiny', contextSize: 256, threads: THREADS })

    const first = await collect(engine.chat(ask('tiny'), new AbortController().signal))
    const second = await collect(engine.chat(ask('tiny'), new AbortController().signal))
    expect(textOf(first).length).toBeGreaterThan(0)
    expect(textOf(second)).toBe(textOf(first))
    const usage = first.find((e) => e.type === 'usage')
    expect(usage).toMatchObject({ type: 'usage', inputTokens: expect.any(Number) })
    expect(usage?.type === 'usage' && usage.inputTokens).toBeGreaterThan(10)
    expect(usage?.type === 'usage' && usage.outputTokens).toBeGreaterThan(0)
    expect(first.at(-1)).toMatchObject({
      type: 'done',
      finishReason: expect.stringMatching(/^(stop|length)$/),
    })
    const other = await collect(engine.chat(ask('tiny', { seed: 8 }), new AbortController().signal))
    expect(textOf(other)).not.toBe(textOf(first))
    expect(engine.status().loaded[0]?.tokensPerSecond).toBeGreaterThan(0)
  })

  it('stops mid-stream when the signal fires, and serves the next chat', async () => {
    const controller = new AbortController()
    const events: ChatEvent[] = []
    for await (const event of engine.chat(ask('tiny', { maxTokens: 2000 }), controller.signal)) {
      events.push(event)
      if (event.type === 'delta') controller.abort()
    }
    expect(events.at(-1)).toEqual({ type: 'done', finishReason: 'aborted' })
    const usage = events.find((e) => e.type === 'usage')
    expect(usage?.type === 'usage' && usage.outputTokens).toBeLessThan(50)
    const next = await collect(engine.chat(ask('tiny'), new AbortController().signal))
    expect(next.at(-1)?.type).toBe('done')
  })

  it('unloads and gives the memory back', async () => {
    await engine.load('tiny')
    expect(engine.runtime.usedBytes()).toBeGreaterThan(0)
    await engine.unload('tiny')
    expect(await engine.running()).toEqual([])
    expect(engine.runtime.usedBytes()).toBe(0)
    expect(engine.status().loaded).toEqual([])
  })

  it('refuses a corrupt file or an unknown architecture with the reason, and keeps listing them', async () => {
    const bad = tempDir('webplus-embedded-bad-')
    try {
      fs.writeFileSync(path.join(bad, 'broken.gguf'), Buffer.from('GGUF this is not really a model'))
      writeTinyGguf(path.join(bad, 'alien.gguf'), { architecture: 'nonsense-arch' })
      const broken = engineIn(bad)
      engines.push(broken)
      expect((await broken.listModels()).map((m) => m.name)).toEqual(['alien', 'broken'])
      expect((await broken.listModels()).find((m) => m.name === 'broken')?.family).toBeUndefined()
      await expect(broken.load('broken')).rejects.toThrow(/broken\.gguf is not a readable GGUF file/)
      await expect(broken.load('alien')).rejects.toThrow(/does not know its architecture "nonsense-arch"/)
      await expect(broken.load('missing')).rejects.toThrow(/No model "missing"/)
      // llama.cpp aborts its process on this one: it is read in a child process first.
      writeTinyGguf(path.join(bad, 'twins.gguf'), { duplicateToken: true })
      await expect(broken.load('twins')).rejects.toThrow(
        /could not load twins: llama\.cpp aborted while reading it: GGML_ASSERT/,
      )
      const chat = await collect(broken.chat(ask('broken'), new AbortController().signal))
      expect(chat).toEqual([
        expect.objectContaining({ type: 'error', message: expect.stringMatching(/GGUF/) }),
      ])
      expect(broken.runtime.usedBytes()).toBe(0)
    } finally {
      fs.rmSync(bad, { recursive: true, force: true })
    }
  })

  it('unloads the least recently used model past the budget, or refuses when told to', async () => {
    const estimate = (await engine.show('tiny')).memory?.estimatedBytes ?? 0
    const evicted: string[] = []
    const lru = engineIn(dir, {
      budgetBytes: Math.floor(estimate * 1.5),
      onChange: (name) => evicted.push(name),
    })
    engines.push(lru)
    await lru.load('tiny')
    await lru.load('tiny-b')
    expect((await lru.running()).map((m) => m.name)).toEqual(['tiny-b'])
    expect(evicted).toEqual(['tiny'])
    expect(lru.runtime.usedBytes()).toBeLessThanOrEqual(Math.floor(estimate * 1.5))

    const strict = engineIn(dir, { budgetBytes: Math.floor(estimate * 1.5), onBudget: 'refuse' })
    engines.push(strict)
    await strict.load('tiny')
    await expect(strict.load('tiny-b')).rejects.toThrow(
      /tiny-b needs about \d+ MB but only \d+ MB .* is free \(loaded: tiny\); stop a model first/,
    )
    expect((await strict.running()).map((m) => m.name)).toEqual(['tiny'])

    const small = engineIn(dir, { budgetBytes: Math.floor(estimate / 2) })
    engines.push(small)
    await expect(small.load('tiny')).rejects.toThrow(/more than the whole embedded memory budget/)
  })

  it('never runs more threads than the machine has cores', () => {
    expect(engineIn(dir, { threads: 512 }).runtime.threads).toBe(cpuCount())
  })
})
