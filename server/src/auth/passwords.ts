// Password hashing (argon2id, OWASP's m=19 MiB, t=2, p=1) and the password policy:
// 8 to 256 characters, not a common password, no composition rules (NIST SP 800-63B).
import { type Algorithm, hash, verify } from '@node-rs/argon2'
import { dictionary } from '@zxcvbn-ts/language-common'

// Algorithm.Argon2id is an ambient const enum (value 2), which isolated modules cannot read.
const options = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 }
const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()))

export const PASSWORD_MIN = 8
export const PASSWORD_MAX = 256

/** A hash of a random password, verified against when the account does not exist, so that
 * unknown e-mail and wrong password take the same time. */
let decoyHash: Promise<string> | undefined

export function hashPassword(password: string): Promise<string> {
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hash('decoy-password-never-matches', options)
  const target = passwordHash ?? (await decoyHash)
  const ok = await verify(target, password).catch(() => false)
  return ok && passwordHash !== null
}

/** Returns why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`
  if (common.has(password.toLowerCase())) return 'is too common; choose one that is harder to guess'
  return null
}
