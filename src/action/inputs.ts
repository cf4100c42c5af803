/** The action's inputs, read once and validated up front so a typo fails before anything talks to Cloudflare. */
import type { RemovalLimit } from '../model/index.js'
import { parseRemovalLimit } from '../config/index.js'
import { DEFAULT_REQUEST_BUDGET, type CloudflareCredentials } from '../cloudflare/index.js'

export const MODES = [
  'auto',
  'plan',
  'apply',
  'review',
  'export',
  'request',
  'expire',
  'cleanup',
  'request-form'
] as const
export type Mode = (typeof MODES)[number]
export type ReviewPeriodKind = 'month' | 'quarter' | 'week'

export interface ActionInputs {
  mode: Mode
  config: string
  accountId?: string
  credentials?: CloudflareCredentials
  apiUrl: string
  /** Cloudflare requests per 5 minutes this run may send (its share of the token's 1,200). */
  requestBudget: number
  githubToken: string
  requiredApprovals: number
  allowUnapproved: boolean
  maxRemovals?: RemovalLimit
  allowMassRemoval: boolean
  allowLockout: boolean
  dryRun: boolean
  staleAfterDays?: number
  expiryWarningDays: number
  comment: boolean
  reviewLabel: string
  reviewPeriod: ReviewPeriodKind
  revokeExpired: boolean
  /** expire: also end the Access sessions of each person removed from a group. */
  endSessions: boolean
  openPr: boolean
  /** plan: also upload the whole plan (JSON) as a workflow artifact, and link it from the comment. */
  uploadPlan: boolean
  allowPullRequestTarget: boolean
}

/** Every secret-bearing input, so run() can mask each before anything is logged. */
export const SECRET_INPUTS = ['cloudflare-api-token', 'cloudflare-api-key', 'github-token'] as const

export const DEFAULT_API_URL = 'https://api.cloudflare.com/client/v4'

/**
 * Reads and validates all inputs. Absent inputs take the same defaults as action.yml, so the bundle also runs with only
 * the required inputs set. All problems are reported together.
 */
export function readInputs(getInput: (name: string) => string): ActionInputs {
  const problems: string[] = []
  const optional = (name: string): string | undefined => {
    const value = getInput(name).trim()
    return value === '' ? undefined : value
  }
  const bool = (name: string, fallback: boolean): boolean => {
    const value = optional(name)
    if (value === undefined) return fallback
    // YAML 1.2 core booleans, as core.getBooleanInput accepts.
    if (['true', 'True', 'TRUE'].includes(value)) return true
    if (['false', 'False', 'FALSE'].includes(value)) return false
    problems.push(`Input ${name} must be true or false, not "${value}".`)
    return fallback
  }
  const integer = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const value = optional(name)
    if (value === undefined) return fallback
    if (!/^\d+$/.test(value) || Number(value) < min) {
      problems.push(`Input ${name} must be a whole number of at least ${min}, not "${value}".`)
      return fallback
    }
    return Number(value)
  }
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = optional(name)
    if (value === undefined) return fallback
    if (!(allowed as readonly string[]).includes(value)) {
      problems.push(`Input ${name} must be one of ${allowed.join(', ')}, not "${value}".`)
      return fallback
    }
    return value as T
  }

  // Stored lower-case, as the access file stores it, so the two compare equal whatever case was pasted.
  const accountId = readAccountId(optional('cloudflare-account-id'))
  const accountIdProblem = checkAccountId(accountId, 'Input cloudflare-account-id')
  if (accountIdProblem) problems.push(accountIdProblem)

  let maxRemovals: RemovalLimit | undefined
  const maxRemovalsText = optional('max-removals')
  if (maxRemovalsText !== undefined) {
    try {
      maxRemovals = parseRemovalLimit(maxRemovalsText)
    } catch (error) {
      // parseRemovalLimit's message already starts with "Input max-removals:".
      problems.push((error as Error).message)
    }
  }

  const inputs: ActionInputs = {
    mode: oneOf('mode', MODES, 'auto'),
    config: optional('config') ?? 'cloudflare-access.yaml',
    accountId,
    credentials: readCredentials(optional, problems),
    apiUrl: optional('cloudflare-api-url') ?? DEFAULT_API_URL,
    requestBudget:
      integer('cloudflare-request-budget', DEFAULT_REQUEST_BUDGET, 1) ?? DEFAULT_REQUEST_BUDGET,
    githubToken: optional('github-token') ?? '',
    requiredApprovals: integer('required-approvals', 1, 0) ?? 1,
    allowUnapproved: bool('allow-unapproved', false),
    maxRemovals,
    allowMassRemoval: bool('allow-mass-removal', false),
    allowLockout: bool('allow-lockout', false),
    dryRun: bool('dry-run', false),
    staleAfterDays: integer('stale-after-days', undefined, 1),
    expiryWarningDays: integer('expiry-warning-days', 14, 0) ?? 14,
    comment: bool('comment', true),
    reviewLabel: optional('review-label') ?? 'access-review',
    reviewPeriod: oneOf('review-period', ['month', 'quarter', 'week'] as const, 'month'),
    revokeExpired: bool('revoke-expired', false),
    endSessions: bool('end-sessions', false),
    openPr: bool('open-pr', false),
    uploadPlan: bool('upload-plan', false),
    allowPullRequestTarget: bool('allow-pull-request-target', false)
  }
  if (inputs.reviewLabel.includes(',')) {
    // GitHub's issue listing reads `labels=a,b` as two labels: the review would find (and reuse) the wrong issue.
    problems.push(
      `Input review-label must be one label name without commas, not "${inputs.reviewLabel}".`
    )
  }
  const apiUrlProblem = checkApiUrl(inputs.apiUrl)
  if (apiUrlProblem) problems.push(apiUrlProblem)
  if (problems.length > 0) throw new Error(`Invalid inputs:\n- ${problems.join('\n- ')}`)
  return inputs
}

/** An account id as given: stored lower-case, as the access file stores it, so the two compare equal. */
export function readAccountId(value: string | undefined): string | undefined {
  return value?.toLowerCase()
}

/** The one check of an account id input; `name` is how the reader knows it (the input, or the CLI's flag). */
export function checkAccountId(accountId: string | undefined, name: string): string | undefined {
  if (accountId === undefined || /^[0-9a-f]{32}$/.test(accountId)) return undefined
  return `${name} must be the 32-character hexadecimal account id (Cloudflare dashboard → Account home → Account ID).`
}

/**
 * The one check of `cloudflare-api-url`. A URL that carries credentials (user:password@, a query or fragment, where
 * a token could hide) is refused without repeating it: the value may be a secret, and this message reaches the log.
 */
export function checkApiUrl(value: string, name = 'Input cloudflare-api-url'): string | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined
  const carriesSecret =
    !url || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== ''
  if (carriesSecret) {
    return `${name} must be a plain http(s) URL such as https://api.cloudflare.com/client/v4, without credentials (user:password@, a query or a fragment); pass the token as cloudflare-api-token from a secret. The value is not repeated here in case it holds one.`
  }
  if (!/^https?:\/\/[^\s]+$/.test(value)) {
    return `${name} must be an http(s) URL, not "${value}".`
  }
  // Plain http would send the Cloudflare token unencrypted; only an emulator on this machine may use it.
  if (url!.protocol === 'http:' && !isLoopback(url!.hostname)) {
    return `${name} must use https (http is allowed only to a loopback address such as 127.0.0.1, ::1 or localhost, for an emulator), not "${value}".`
  }
  return undefined
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

function readCredentials(
  optional: (name: string) => string | undefined,
  problems: string[]
): CloudflareCredentials | undefined {
  const token = optional('cloudflare-api-token')
  const key = optional('cloudflare-api-key')
  const email = optional('cloudflare-email')
  if (token !== undefined && key !== undefined) {
    problems.push(
      'Set either cloudflare-api-token or cloudflare-api-key (with cloudflare-email), not both: Cloudflare would receive two identities.'
    )
    return undefined
  }
  if (token !== undefined) return { kind: 'token', token }
  if (key !== undefined) {
    if (email === undefined) {
      problems.push(
        'cloudflare-api-key needs cloudflare-email, the e-mail of the user who owns the key.'
      )
      return undefined
    }
    return { kind: 'key', key, email }
  }
  return undefined
}
