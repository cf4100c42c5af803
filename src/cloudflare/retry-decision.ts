/**
 * What to do after one attempt of a Cloudflare request, as a pure decision (actions/checkout's retry-helper split):
 * the transport's loop only sends, asks, and sleeps. Every branch is a row of a table test.
 */
import { errorCodes, hintFor, redact, type CloudflareMessage } from './errors.js'
import { failureEnvelopeSchema } from './schemas.js'
import type { RetryPolicy } from './transport.js'

/** What one attempt produced: an answer with its status, or none (timeout, refused connection, DNS). */
export type AttemptOutcome =
  | { kind: 'answer'; status: number; retryAfter: string | null; text: string }
  | { kind: 'no-answer'; what: string }

export interface AttemptContext {
  method: string
  path: string
  policy: RetryPolicy
  /** 1 for the first attempt. */
  attempt: number
  maxAttempts: number
  maxRetryAfterSeconds: number
  credentialKind: 'token' | 'key'
  secrets: string[]
  /** Milliseconds since the epoch, to read an HTTP-date retry-after. */
  now: number
  /** The jittered backoff before retry n (1-based). */
  backoffMs: (retry: number) => number
}

export interface FailureDetails {
  status?: number
  attempts: number
  errors?: CloudflareMessage[]
  hint?: string
}

export type AttemptDecision =
  | { kind: 'done' }
  | { kind: 'retry'; delayMs: number; because: string }
  | { kind: 'fail'; summary: string; details: FailureDetails }

export function decideAfterAttempt(
  outcome: AttemptOutcome,
  context: AttemptContext
): AttemptDecision {
  const { attempt, maxAttempts } = context
  const lastAttempt = attempt >= maxAttempts
  if (outcome.kind === 'no-answer') {
    if (lastAttempt) {
      return {
        kind: 'fail',
        summary: `no answer after ${attempt} attempt${attempt === 1 ? '' : 's'}; last: ${outcome.what}.`,
        details: {
          attempts: attempt,
          hint: 'Check that the API URL is reachable from the runner, then re-run.'
        }
      }
    }
    return { kind: 'retry', delayMs: context.backoffMs(attempt), because: outcome.what }
  }

  const { status } = outcome
  if (status === 429) {
    const waitSeconds = parseRetryAfter(outcome.retryAfter, context.now)
    if (waitSeconds !== undefined && waitSeconds > context.maxRetryAfterSeconds) {
      return {
        kind: 'fail',
        summary: `rate limited (HTTP 429); Cloudflare asks to wait ${waitSeconds} s, longer than the allowed ${context.maxRetryAfterSeconds} s.`,
        details: {
          status,
          attempts: attempt,
          errors: readErrors(outcome.text, context.secrets),
          hint: 'Cloudflare allows 1,200 requests per 5 minutes per user or token, shared with the dashboard and other tools. Wait for the block to pass and re-run, or raise the retry-after limit.'
        }
      }
    }
    if (lastAttempt) {
      return {
        kind: 'fail',
        summary: `still rate limited (HTTP 429) after ${attempt} attempts.`,
        details: {
          status,
          attempts: attempt,
          errors: readErrors(outcome.text, context.secrets),
          hint: 'Another tool may be using the same token or user heavily; wait a few minutes and re-run.'
        }
      }
    }
    return {
      kind: 'retry',
      delayMs: waitSeconds === undefined ? context.backoffMs(attempt) : waitSeconds * 1000,
      because: 'rate limited (HTTP 429)'
    }
  }

  if (status >= 500) {
    const errors = readErrors(outcome.text, context.secrets)
    // A POST that failed on the server may have created the record before failing: retrying could create it twice.
    if (context.policy === 'create') {
      return {
        kind: 'fail',
        summary: `HTTP ${status}; not retried because the write may have taken effect.`,
        details: {
          status,
          attempts: attempt,
          errors,
          hint: 'Re-run the plan to see whether it did, then apply again if needed.'
        }
      }
    }
    if (lastAttempt) {
      return {
        kind: 'fail',
        summary: `HTTP ${status} on each of ${attempt} attempts.`,
        details: {
          status,
          attempts: attempt,
          errors,
          hint: 'Cloudflare may be having an outage (see its status page); re-run later.'
        }
      }
    }
    return { kind: 'retry', delayMs: context.backoffMs(attempt), because: `HTTP ${status}` }
  }

  if (status < 200 || status >= 300) {
    const errors = readErrors(outcome.text, context.secrets)
    return {
      kind: 'fail',
      summary: `HTTP ${status}.`,
      details: {
        status,
        attempts: attempt,
        errors,
        hint: hintFor(
          context.method,
          context.path,
          status,
          errorCodes(errors),
          context.credentialKind
        )
      }
    }
  }
  return { kind: 'done' }
}

/** retry-after is whole seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, Math.ceil((date - now) / 1000))
}

export function readErrors(text: string, secrets: string[]): CloudflareMessage[] {
  try {
    const parsed = failureEnvelopeSchema.safeParse(JSON.parse(text))
    return parsed.success ? redactMessages(parsed.data.errors ?? [], secrets) : []
  } catch {
    return []
  }
}

export function redactMessages(
  errors: CloudflareMessage[],
  secrets: string[]
): CloudflareMessage[] {
  return errors.map((e) => ({
    code: e.code,
    message: redact(e.message, secrets),
    ...(e.error_chain
      ? {
          error_chain: e.error_chain.map((c) => ({
            code: c.code,
            message: redact(c.message, secrets)
          }))
        }
      : {})
  }))
}
