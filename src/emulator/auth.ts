/**
 * Credential checks, in the order Cloudflare applies them (API-NOTES §1, §8):
 *
 * - `Authorization` present: it must be `Bearer <token>` where the token uses only RFC 6750 characters
 *   (letters, digits, `-._~+/=`) and is not 37 hex digits (a Global API key pasted as a token);
 *   otherwise 400 6003 with error_chain 6111. It wins over X-Auth-* when both are sent.
 * - `X-Auth-Email` / `X-Auth-Key`: both needed; the key must be hex digits only (any length), so an API token
 *   sent as a key (it has letters past `f`, `-` or `_`) is 400 6003 with error_chain 6103.
 * - No credentials at all: 400 9106 "Missing X-Auth-Key, X-Auth-Email or Authorization headers".
 * - Well-formed but unknown, disabled or expired credentials: 403 10000 "Authentication error".
 */
import type { IncomingHttpHeaders } from 'node:http'
import { ApiError } from './http.js'
import { TOKEN_SCOPES } from './state.js'
import type { EmulatorKey, EmulatorState, EmulatorToken, TokenScope } from './state.js'

export type Credential =
  | { kind: 'token'; token: EmulatorToken; rateKey: string; scopes: readonly TokenScope[] }
  | { kind: 'key'; key: EmulatorKey; rateKey: string; scopes: readonly TokenScope[] }

/** What the request carried, before any lookup: decides the request log's `auth` field. */
export function authScheme(headers: IncomingHttpHeaders): 'token' | 'key' | 'none' {
  if (headers.authorization !== undefined) return 'token'
  if (headers['x-auth-key'] !== undefined || headers['x-auth-email'] !== undefined) return 'key'
  return 'none'
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function invalidHeaders(code: number, message: string): ApiError {
  return new ApiError(400, [
    { code: 6003, message: 'Invalid request headers', error_chain: [{ code, message }] }
  ])
}

export const AUTHENTICATION_ERROR = (): ApiError =>
  new ApiError(403, [{ code: 10000, message: 'Authentication error' }])

/** The Bearer token value, or a 6003/6111 error when the header is not a usable Bearer token. */
export function bearerToken(authorization: string): string {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization.trim())
  const value = match?.[1]
  if (!value || /^[0-9a-f]{37}$/i.test(value)) {
    throw invalidHeaders(6111, 'Invalid format for Authorization header')
  }
  return value
}

export function authenticate(headers: IncomingHttpHeaders, state: EmulatorState): Credential {
  const authorization = headerValue(headers.authorization)
  if (authorization !== undefined) {
    const value = bearerToken(authorization)
    const token = state.credentials.tokens.find((t) => t.value === value)
    if (!token || token.status !== 'active') throw AUTHENTICATION_ERROR()
    return { kind: 'token', token, rateKey: `token:${token.id}`, scopes: token.scopes }
  }
  const email = headerValue(headers['x-auth-email'])
  const key = headerValue(headers['x-auth-key'])
  if (email === undefined && key === undefined) {
    throw new ApiError(400, [
      { code: 9106, message: 'Missing X-Auth-Key, X-Auth-Email or Authorization headers' }
    ])
  }
  if (key === undefined || !/^[0-9a-f]+$/i.test(key.trim())) {
    throw invalidHeaders(6103, 'Invalid format for X-Auth-Key header')
  }
  if (email === undefined || !/^[^@\s]+@[^@\s]+$/.test(email.trim())) {
    throw invalidHeaders(6102, 'Invalid format for X-Auth-Email header')
  }
  const found = state.credentials.keys.find(
    (k) => k.email.toLowerCase() === email.trim().toLowerCase() && k.key === key.trim()
  )
  if (!found) throw AUTHENTICATION_ERROR()
  return {
    kind: 'key',
    key: found,
    rateKey: `key:${found.email.toLowerCase()}`,
    scopes: TOKEN_SCOPES
  }
}

export function requireScope(credential: Credential, scope: TokenScope): void {
  if (!credential.scopes.includes(scope)) {
    throw new ApiError(403, [{ code: 9109, message: 'Unauthorized to access requested resource' }])
  }
}
