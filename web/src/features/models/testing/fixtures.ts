// Models and pulls as the server would send them, for unit tests and the list benchmark.
import type { Model, ModelHost, Pull } from '../types'

export function fakeHost(overrides: Partial<ModelHost> = {}): ModelHost {
  return {
    providerId: 'p-local',
    providerName: 'Local Ollama',
    status: 'available',
    sizeBytes: 800_000_000,
    vramBytes: null,
    expiresAt: null,
    error: null,
    ...overrides,
  }
}

export function fakeModel(overrides: Partial<Model> = {}): Model {
  const name = overrides.name ?? 'llama3.2:1b'
  return {
    id: `m-${name}`,
    name,
    displayName: name,
    kind: 'ollama',
    family: 'llama',
    parameterSize: '1.2B',
    quantization: 'Q4_K_M',
    contextLength: 131072,
    capabilities: ['chat', 'tools'],
    sizeBytes: 800_000_000,
    enabled: true,
    allowedRoles: ['admin', 'developer', 'user'],
    fallbackModelId: null,
    pricing: { inputPerMTok: 0, outputPerMTok: 0 },
    status: 'available',
    hosts: [fakeHost()],
    ...overrides,
  }
}

/** `count` models spread over three Ollama hosts, a few loaded, one in error: a busy catalog. */
export function fakeCatalog(count: number): Model[] {
  const hosts = [
    { providerId: 'p-a', providerName: 'gpu-a' },
    { providerId: 'p-b', providerName: 'gpu-b' },
    { providerId: 'p-c', providerName: 'gpu-c' },
  ]
  return Array.from({ length: count }, (_, index) => {
    const name = `model-${String(index).padStart(4, '0')}:${index % 2 ? '7b' : '1b'}`
    const host = hosts[index % hosts.length]!
    const status = index % 17 === 0 ? 'loaded' : index % 53 === 0 ? 'error' : 'available'
    return fakeModel({
      id: `m-${index}`,
      name,
      displayName: name,
      status,
      hosts: [
        fakeHost({
          ...host,
          status,
          vramBytes: status === 'loaded' ? 1_200_000_000 : null,
          expiresAt: status === 'loaded' ? new Date(Date.now() + 240_000).toISOString() : null,
          error: status === 'error' ? 'load failed: out of memory' : null,
        }),
      ],
    })
  })
}

export function fakePull(overrides: Partial<Pull> = {}): Pull {
  return {
    id: '01PULL0000000000000000000A',
    providerId: 'p-local',
    model: 'tinyllama:latest',
    status: 'running',
    detail: 'pulling 2af3b81862c6',
    completedBytes: 318_850_000,
    totalBytes: 637_700_000,
    percent: 50,
    bytesPerSecond: 42_000_000,
    error: null,
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:05.000Z',
    ...overrides,
  }
}
