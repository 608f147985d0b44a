// A bounds-checked walk over a GGUF header (metadata and tensor infos) before node-llama-cpp
// parses it: its parser can spin for minutes on a damaged header (a count or a length read from
// garbage), which would take a server core with it. Reads only the header, in 1 MB chunks.
import fs from 'node:fs/promises'

const CHUNK = 1024 * 1024
const MAX_ENTRIES = 10_000_000
const MAX_DIMS = 4 // GGML_MAX_DIMS
const fixedSizes: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
}
const STRING = 8
const ARRAY = 9

class HeaderReader {
  private buffer = Buffer.alloc(0)
  private start = 0 // file offset of buffer[0]
  position = 0

  constructor(
    private readonly handle: fs.FileHandle,
    readonly size: number,
  ) {}

  private async ensure(bytes: number): Promise<void> {
    if (this.position + bytes > this.size)
      throw new Error(`it ends inside its header (at byte ${this.position})`)
    const end = this.position + bytes
    if (end <= this.start + this.buffer.length) return
    const length = Math.max(CHUNK, bytes)
    const chunk = Buffer.alloc(Math.min(length, this.size - this.position))
    await this.handle.read(chunk, 0, chunk.length, this.position)
    this.buffer = chunk
    this.start = this.position
  }

  async skip(bytes: number): Promise<void> {
    if (this.position + bytes > this.size)
      throw new Error(`it ends inside its header (at byte ${this.position})`)
    this.position += bytes
  }

  async u32(): Promise<number> {
    await this.ensure(4)
    const value = this.buffer.readUInt32LE(this.position - this.start)
    this.position += 4
    return value
  }

  async u64(): Promise<number> {
    await this.ensure(8)
    const value = this.buffer.readBigUInt64LE(this.position - this.start)
    this.position += 8
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Error(`a count or length is impossibly large (${value})`)
    return Number(value)
  }

  async string(): Promise<void> {
    const length = await this.u64()
    await this.skip(length)
  }

  remaining(): number {
    return this.size - this.position
  }
}

async function skipValue(reader: HeaderReader, type: number, depth = 0): Promise<void> {
  if (type === STRING) return reader.string()
  const fixed = fixedSizes[type]
  if (fixed !== undefined) return reader.skip(fixed)
  if (type !== ARRAY || depth > 2) throw new Error(`it has an unknown metadata value type ${type}`)
  const itemType = await reader.u32()
  const count = await reader.u64()
  const itemSize = fixedSizes[itemType]
  if (itemSize !== undefined) return reader.skip(count * itemSize)
  // Strings and nested arrays take at least 8 bytes each: a count beyond that is garbage.
  if (count * 8 > reader.remaining())
    throw new Error(`an array claims ${count} items, more than the file holds`)
  for (let i = 0; i < count; i++) await skipValue(reader, itemType, depth + 1)
}

/** Throws an Error saying what is wrong when `file` does not start with a sound GGUF header;
 * returns the header's length in bytes. */
export async function checkGgufHeader(file: string): Promise<number> {
  const handle = await fs.open(file, 'r')
  try {
    const reader = new HeaderReader(handle, (await handle.stat()).size)
    const magic = await reader.u32()
    if (magic !== 0x46554747) throw new Error('it does not start with the GGUF magic bytes')
    const version = await reader.u32()
    if (version !== 2 && version !== 3) throw new Error(`its GGUF version ${version} is not supported`)
    const tensors = await reader.u64()
    const entries = await reader.u64()
    if (tensors > MAX_ENTRIES || entries > MAX_ENTRIES)
      throw new Error('its header counts are impossibly large')
    for (let i = 0; i < entries; i++) {
      await reader.string()
      await skipValue(reader, await reader.u32())
    }
    for (let i = 0; i < tensors; i++) {
      await reader.string()
      const dims = await reader.u32()
      if (dims > MAX_DIMS) throw new Error(`a tensor claims ${dims} dimensions`)
      await reader.skip(dims * 8 + 4 + 8)
    }
    return reader.position
  } finally {
    await handle.close()
  }
}
