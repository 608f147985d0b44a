// The server secret: from configuration, or 256 random bits generated into the data folder
// (mode 0600) on first start. Purpose-specific keys are derived from it with HKDF.
import { hkdfSync, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export function loadOrCreateSecret(dataDir: string, configured?: string): Buffer {
  if (configured) return Buffer.from(configured, 'utf8')
  const file = path.join(dataDir, 'secret.key')
  fs.mkdirSync(dataDir, { recursive: true })
  try {
    const fd = fs.openSync(file, 'wx', 0o600)
    fs.writeSync(fd, randomBytes(32).toString('base64url'))
    fs.closeSync(fd)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const secret = fs.readFileSync(file, 'utf8').trim()
  if (Buffer.byteLength(secret) < 32) throw new Error(`${file} holds a secret shorter than 32 bytes`)
  return Buffer.from(secret, 'utf8')
}

export type KeyPurpose = 'jwt' | 'audit' | 'provider-keys'

export function deriveKey(secret: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `webplus:${purpose}`, 32))
}
