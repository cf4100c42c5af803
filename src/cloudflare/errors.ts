/** Errors from the Cloudflare API, written for the person who has to fix the token or re-run the job. */
import { redactCredentials, sanitizeExternalText } from '../report/untrusted-text.js'

export interface CloudflareMessage {
  code: number
  message: string
  error_chain?: { code: number; message: string }[]
}

export interface CloudflareApiErrorDetails {
  method: string
  /** Path below the API base, e.g. /accounts/ID/members (never the query, never headers). */
  path: string
  status?: number
  errors?: CloudflareMessage[]
  /** Request attempts made before giving up (1 when nothing was retried). */
  attempts?: number
  /** A sentence telling the reader what to do; appended to the message. */
  hint?: string
  cause?: unknown
}

export class CloudflareApiError extends Error {
  readonly method: string
  readonly path: string
  readonly status?: number
  /** Every Cloudflare error code in the answer, including error_chain codes. */
  readonly codes: number[]
  readonly errors: CloudflareMessage[]
  readonly attempts: number

  constructor(summary: string, details: CloudflareApiErrorDetails) {
    const errors = details.errors ?? []
    // The summary can carry text from the answer too (a schema mismatch, a socket error).
    const parts = [
      `Cloudflare API ${details.method} ${details.path}: ${redactCredentials(summary)}`
    ]
    const described = describeMessages(errors)
    if (described) parts.push(`Cloudflare said: ${described}.`)
    if (details.hint) parts.push(details.hint)
    super(parts.join(' '), details.cause === undefined ? undefined : { cause: details.cause })
    this.name = 'CloudflareApiError'
    this.method = details.method
    this.path = details.path
    this.status = details.status
    this.errors = errors
    this.codes = errorCodes(errors)
    this.attempts = details.attempts ?? 1
  }
}

/** The answer's messages, each shortened and stripped of credentials: this is where Cloudflare's text enters ours. */
function describeMessages(errors: CloudflareMessage[]): string {
  const say = (message: string) => sanitizeExternalText(message, MESSAGE_MAX_LENGTH)
  const described = errors.slice(0, MAX_MESSAGES).map((e) => {
    const chain = (e.error_chain ?? [])
      .slice(0, MAX_MESSAGES)
      .map((c) => `${c.code} ${say(c.message)}`)
      .join('; ')
    return chain ? `${e.code} ${say(e.message)} (${chain})` : `${e.code} ${say(e.message)}`
  })
  if (errors.length > MAX_MESSAGES) described.push(`${errors.length - MAX_MESSAGES} more`)
  return described.join(', ')
}

/** Enough to act on; an answer with hundreds of errors must not become a message of hundreds of lines. */
const MAX_MESSAGES = 5
const MESSAGE_MAX_LENGTH = 200

/**
 * Token permission names as Cloudflare's token editor and permissions page show them today
 * (developers.cloudflare.com/fundamentals/api/reference/permissions; older pages say "Write" for "Edit"). Listing Zero
 * Trust users is documented under "Access: Audit Logs Read" (no Cloudflare source names a permission of its own for
 * them). Members and roles need `#organization:read` / `#organization:edit` (x-cfPermissionsRequired in the
 * OpenAPI subset), which the token editor calls "Account Settings Read/Edit". Access applications and reusable
 * policies: "Access: Apps and Policies Read". README's token table lists the same names; test/docs/permission-names
 * keeps every name the repository prints or documents among these.
 */
export const TOKEN_PERMISSIONS = {
  groupsRead: 'Access: Organizations, Identity Providers, and Groups Read',
  groupsEdit: 'Access: Organizations, Identity Providers, and Groups Edit',
  usersRead: 'Access: Audit Logs Read',
  appsRead: 'Access: Apps and Policies Read',
  membersRead: 'Account Settings Read',
  membersEdit: 'Account Settings Edit'
} as const

export function requiredPermission(method: string, path: string): string | undefined {
  const write = method !== 'GET'
  const quoted = (name: string) => `"${name}"`
  if (/\/access\/(groups|organizations)(\/|$)/.test(path)) {
    return quoted(write ? TOKEN_PERMISSIONS.groupsEdit : TOKEN_PERMISSIONS.groupsRead)
  }
  if (/\/access\/users(\/|$)/.test(path)) return quoted(TOKEN_PERMISSIONS.usersRead)
  if (/\/access\/(apps|policies)(\/|$)/.test(path)) return quoted(TOKEN_PERMISSIONS.appsRead)
  if (/\/(members|roles)(\/|$)/.test(path)) {
    return quoted(write ? TOKEN_PERMISSIONS.membersEdit : TOKEN_PERMISSIONS.membersRead)
  }
  return undefined
}

/** Every code of Cloudflare's errors, with those of their error chains: what the hints are chosen by. */
export function errorCodes(errors: readonly CloudflareMessage[]): number[] {
  return errors.flatMap((e) => [e.code, ...(e.error_chain ?? []).map((c) => c.code)])
}

/** A sentence saying what to change, for the Cloudflare codes people can act on. */
export function hintFor(
  method: string,
  path: string,
  status: number | undefined,
  codes: number[],
  credentialKind: 'token' | 'key'
): string | undefined {
  if (codes.includes(6111)) {
    return 'The Authorization header was rejected as malformed: this usually means a Global API key was passed as the API token. Pass an API token as the token, or pass the key together with its account e-mail as API-key credentials.'
  }
  if (codes.includes(6103)) {
    return 'The X-Auth-Key header was rejected as malformed: this usually means an API token was passed as a Global API key. Pass it as the API token instead.'
  }
  if (codes.includes(6003)) {
    return 'Cloudflare rejected the request headers: check that the credential is copied whole, without quotes, spaces or line breaks.'
  }
  if (codes.includes(9109) || (status === 403 && codes.includes(10000))) {
    const permission = requiredPermission(method, path)
    if (credentialKind === 'key') {
      return permission
        ? `The user behind the Global API key may not ${method === 'GET' ? 'read' : 'change'} this in the account (a token would need ${permission}); use a user with that access or an API token that has it.`
        : "The user behind the Global API key lacks access to this resource or account; check the account id and the user's roles."
    }
    return permission
      ? `The API token lacks the ${permission} permission for this account, or the token is not valid for this account. Edit the token to add it, and check the account id.`
      : 'The API token lacks access to this resource, or is not valid for this account; check its permissions and the account id.'
  }
  if (status === 401 || codes.includes(1000)) {
    return credentialKind === 'token'
      ? 'The API token is not valid: it may be mistyped, expired or revoked. Create a new token and update the secret.'
      : 'The Global API key or its e-mail is not valid; check both.'
  }
  return undefined
}

const ALREADY_MEMBER = /already (a )?member|already (been )?invited|already exists/i

/** Cloudflare's answer when an invitation is sent to someone who is already in the account. */
export function isAlreadyMemberError(error: unknown): error is CloudflareApiError {
  return (
    error instanceof CloudflareApiError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.errors.some((e) => ALREADY_MEMBER.test(e.message))
  )
}

/** Replaces every occurrence of the given secrets, so no message can leak a credential. */
export function redact(text: string, secrets: string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***')
  }
  return out
}
