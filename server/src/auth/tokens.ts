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
  /** Imported once: given the raw bytes, jose would import them again on every sign and verify. */
  private readonly key: Promise<CryptoKey>

  constructor(
    secret: Uint8Array,
    readonly ttlSeconds: number,
  ) {
    this.key = crypto.subtle.importKey(
      'raw',
      new Uint8Array(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    )
  }

  sign(claims: AccessClaims): Promise<string> {
    return this.signTyped(claims, 'access', AUDIENCE, `${this.ttlSeconds}s`)
  }

  /** A page token: lives as long as the session's refresh token (the session is checked on use). */
  signPage(claims: AccessClaims, expiresAt: Date): Promise<string> {
    return this.signTyped(claims, 'page', PAGE_AUDIENCE, Math.floor(expiresAt.getTime() / 1000))
  }

  private async signTyped(claims: AccessClaims, typ: string, audience: string, expires: string | number) {
    return new SignJWT({ sid: claims.sessionId, typ })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expires)
      .sign(await this.key)
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
      const { payload } = await jwtVerify(token, await this.key, {
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
