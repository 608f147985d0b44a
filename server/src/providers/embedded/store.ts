// The models folder: one `<name>.gguf` file per model at its top level, downloads in progress
// beside them as `<name>.gguf.part`. Every path handed in from outside is checked to stay inside.
import fs from 'node:fs/promises'
import path from 'node:path'
import { ProviderError } from '../types.js'

export interface StoredModel {
  name: string
  file: string
  sizeBytes: number
  modifiedAt: string
}

const EXTENSION = '.gguf'
const namePattern = /^[\w][\w.+@-]{0,199}$/

function badRequest(message: string): ProviderError {
  return new ProviderError('bad_request', message)
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
}

export class ModelStore {
  constructor(readonly dir: string) {}

  async ensure(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true })
  }

  async list(): Promise<StoredModel[]> {
    let entries: string[]
    try {
      entries = await fs.readdir(this.dir)
    } catch (error) {
      if (isMissing(error)) return []
      throw error
    }
    const models: StoredModel[] = []
    for (const entry of entries.filter((e) => e.endsWith(EXTENSION)).sort()) {
      const name = entry.slice(0, -EXTENSION.length)
      if (!namePattern.test(name)) continue
      const file = path.join(this.dir, entry)
      const stat = await fs.stat(file).catch((error: unknown) => {
        if (isMissing(error)) return null
        throw error
      })
      if (stat?.isFile())
        models.push({ name, file, sizeBytes: stat.size, modifiedAt: stat.mtime.toISOString() })
    }
    return models
  }

  /** The file of a model name; the name cannot point anywhere but the top of the folder. */
  fileOf(name: string): string {
    if (!namePattern.test(name)) throw badRequest(`"${name}" is not a valid model name`)
    return path.join(this.dir, `${name}${EXTENSION}`)
  }

  /** A file name made into a model name: characters other than letters, digits and . + @ - _ become _. */
  private validName(raw: string): string {
    const name = raw.replace(/[^\w.+@-]/g, '_')
    this.fileOf(name)
    return name
  }

  partFileOf(name: string): string {
    return `${this.fileOf(name)}.part`
  }

  async has(name: string): Promise<boolean> {
    return fs.stat(this.fileOf(name)).then(
      (stat) => stat.isFile(),
      (error: unknown) => {
        if (isMissing(error)) return false
        throw error
      },
    )
  }

  async find(name: string): Promise<StoredModel> {
    const file = this.fileOf(name)
    try {
      const stat = await fs.stat(file)
      return { name, file, sizeBytes: stat.size, modifiedAt: stat.mtime.toISOString() }
    } catch (error) {
      if (isMissing(error)) throw new ProviderError('not_found', `No model "${name}" in the models folder`)
      throw error
    }
  }

  async remove(name: string): Promise<void> {
    const file = this.fileOf(name)
    try {
      await fs.unlink(file)
    } catch (error) {
      if (isMissing(error)) throw new ProviderError('not_found', `No model "${name}" in the models folder`)
      throw error
    }
    await fs.rm(this.partFileOf(name), { force: true })
  }

  /** The model name a download URL gives: its last path segment, which must be a .gguf file. */
  nameFromUrl(url: string): string {
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw badRequest('url must be an absolute http(s) URL')
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw badRequest('url must use http or https')
    const segment = decodeURIComponent(parsed.pathname.split('/').pop() ?? '')
    if (!segment.toLowerCase().endsWith(EXTENSION)) {
      throw badRequest('url must point to a .gguf file (its path has to end in .gguf)')
    }
    return this.validName(segment.slice(0, -EXTENSION.length))
  }

  /**
   * Resolves a path an admin wants imported (absolute, or relative to the folder). It must be a
   * .gguf file that is inside the folder after following every symlink.
   */
  async resolveImport(requested: string): Promise<{ name: string; file: string }> {
    const outside = () => badRequest('path must be a file inside the models folder')
    const root = await fs.realpath(this.dir)
    const candidate = path.resolve(this.dir, requested)
    if (!isInside(path.resolve(this.dir), candidate) && !isInside(root, candidate)) throw outside()
    let real: string
    try {
      real = await fs.realpath(candidate)
    } catch (error) {
      if (isMissing(error))
        throw new ProviderError('not_found', `No file at ${requested} in the models folder`)
      throw error
    }
    if (!isInside(root, real)) throw outside()
    const stat = await fs.stat(real)
    if (!stat.isFile()) throw badRequest('path must be a file, not a folder')
    const base = path.basename(real)
    if (!base.toLowerCase().endsWith(EXTENSION)) throw badRequest('only .gguf files can be imported')
    return { name: this.validName(base.slice(0, -EXTENSION.length)), file: real }
  }

  /** Moves an imported file to the top of the folder under its model name (no-op when it is). */
  async adopt(file: string, name: string): Promise<string> {
    const target = this.fileOf(name)
    if (path.resolve(file) === path.resolve(target)) return target
    if (await this.has(name)) {
      throw new ProviderError('bad_request', `A model named "${name}" already exists; delete it first`)
    }
    await fs.rename(file, target)
    return target
  }
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}
