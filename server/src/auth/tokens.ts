// Access tokens (HS256 JWT with an algorithm allow-list and checked aud/iss/exp/typ) and
// opaque random tokens (refresh tokens, API keys) that are stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

const ISSUER = 'webplus'
const AUDIENCE = 'webplus-api'

export interface AccessClaims {
  userId: string
  sessionId: string
}

export class AccessTokens {
  constructor(
    private readonly key: Uint8Array,
    readonly ttlSeconds: number,
  ) {}

  sign(claims: AccessClaims): Promise<string> {
    return new SignJWT({ sid: claims.sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.key)
  }

  /** Returns the claims, or null for any token that is not a valid, current access token. */
  async verify(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['exp', 'sub', 'sid'],
      })
      if (payload.typ !== 'access' || typeof payload.sid !== 'string' || !payload.sub) return null
      return { userId: payload.sub, sessionId: payload.sid }
    } catch {
      return null
    }
  }
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex')
}
