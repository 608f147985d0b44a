// Access tokens (HS256 JWT with an algorithm allow-list and checked aud/iss/exp/typ) and
// opaque random tokens (refresh tokens, API keys) that are stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto'
import { jwtVerify, SignJWT } from 'jose'

const ISSUER = 'webplus'
const AUDIENCE = 'webplus-api'
/** Page tokens only let the server render the app's pages for a session; the API refuses them. */
const PAGE_AUDIENCE = 'webplus-pages'

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

  /** A page token: lives as long as the session's refresh token (the session is checked on use). */
  signPage(claims: AccessClaims, expiresAt: Date): Promise<string> {
    return new SignJWT({ sid: claims.sessionId, typ: 'page' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(PAGE_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key)
  }

  /** Returns the claims, or null for any token that is not a valid, current access token. */
  verify(token: string): Promise<AccessClaims | null> {
    return this.verifyTyped(token, 'access', AUDIENCE)
  }

  /** Returns the claims, or null for any token that is not a valid, current page token. */
  verifyPage(token: string): Promise<AccessClaims | null> {
    return this.verifyTyped(token, 'page', PAGE_AUDIENCE)
  }

  private async verifyTyped(token: string, typ: string, audience: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience,
        requiredClaims: ['exp', 'sub', 'sid'],
      })
      if (payload.typ !== typ || typeof payload.sid !== 'string' || !payload.sub) return null
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
