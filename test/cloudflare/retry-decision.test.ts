/** The transport's retry rules as a table: what one attempt produced, the policy and the attempt -> what to do. */
import { describe, expect, test } from 'vitest'
import {
  decideAfterAttempt,
  parseRetryAfter,
  type AttemptContext,
  type AttemptOutcome
} from '../../src/cloudflare/retry-decision.js'

const NOW = Date.parse('2026-12-02T12:00:00Z')
const context = (overrides: Partial<AttemptContext> = {}): AttemptContext => ({
  method: 'GET',
  path: '/accounts/abc/access/groups',
  policy: 'idempotent',
  attempt: 1,
  maxAttempts: 5,
  maxRetryAfterSeconds: 300,
  credentialKind: 'token',
  secrets: ['s3cr3t-token'],
  now: NOW,
  backoffMs: (retry) => 1000 * retry,
  ...overrides
})
const answer = (status: number, retryAfter: string | null = null, text = ''): AttemptOutcome => ({
  kind: 'answer',
  status,
  retryAfter,
  text
})
const errorBody = (message: string) =>
  JSON.stringify({ success: false, errors: [{ code: 10000, message }], messages: [], result: null })

describe('decideAfterAttempt', () => {
  test.each<[string, AttemptOutcome, Partial<AttemptContext>, unknown]>([
    ['a 200 is done', answer(200), {}, { kind: 'done' }],
    ['a 204 is done', answer(204), {}, { kind: 'done' }],
    [
      'no answer is retried after the backoff',
      { kind: 'no-answer', what: 'timed out after 30 s' },
      { attempt: 2 },
      { kind: 'retry', delayMs: 2000, because: 'timed out after 30 s' }
    ],
    [
      'no answer on the last attempt fails, naming the last cause',
      { kind: 'no-answer', what: 'connection failed (ECONNREFUSED)' },
      { attempt: 5 },
      {
        kind: 'fail',
        summary: 'no answer after 5 attempts; last: connection failed (ECONNREFUSED).',
        details: {
          attempts: 5,
          hint: 'Check that the API URL is reachable from the runner, then re-run.'
        }
      }
    ],
    [
      'a POST with no answer is retried too (the caller treats "already exists" as success)',
      { kind: 'no-answer', what: 'timed out after 30 s' },
      { method: 'POST', policy: 'create' },
      { kind: 'retry', delayMs: 1000, because: 'timed out after 30 s' }
    ],
    [
      'a 429 waits for retry-after in seconds',
      answer(429, '7'),
      {},
      { kind: 'retry', delayMs: 7000, because: 'rate limited (HTTP 429)' }
    ],
    [
      'a 429 waits for retry-after as an HTTP date',
      answer(429, 'Wed, 02 Dec 2026 12:00:09 GMT'),
      {},
      { kind: 'retry', delayMs: 9000, because: 'rate limited (HTTP 429)' }
    ],
    [
      'a 429 without retry-after backs off',
      answer(429),
      { attempt: 3 },
      { kind: 'retry', delayMs: 3000, because: 'rate limited (HTTP 429)' }
    ],
    [
      'a 429 on a POST is retried: it surely did not take effect',
      answer(429, '1'),
      { method: 'POST', policy: 'create' },
      { kind: 'retry', delayMs: 1000, because: 'rate limited (HTTP 429)' }
    ],
    [
      'a 429 asking to wait longer than allowed fails at once',
      answer(429, '301'),
      {},
      {
        kind: 'fail',
        summary:
          'rate limited (HTTP 429); Cloudflare asks to wait 301 s, longer than the allowed 300 s.',
        details: {
          status: 429,
          attempts: 1,
          errors: [],
          hint: 'Cloudflare allows 1,200 requests per 5 minutes per user or token, shared with the dashboard and other tools. Wait for the block to pass and re-run, or raise the retry-after limit.'
        }
      }
    ],
    [
      'a 429 on the last attempt fails',
      answer(429, '1'),
      { attempt: 5 },
      {
        kind: 'fail',
        summary: 'still rate limited (HTTP 429) after 5 attempts.',
        details: {
          status: 429,
          attempts: 5,
          errors: [],
          hint: 'Another tool may be using the same token or user heavily; wait a few minutes and re-run.'
        }
      }
    ],
    [
      'a 5xx on a read or PUT is retried',
      answer(502),
      { method: 'PUT' },
      { kind: 'retry', delayMs: 1000, because: 'HTTP 502' }
    ],
    [
      'a 5xx on the last attempt fails',
      answer(503),
      { attempt: 5 },
      {
        kind: 'fail',
        summary: 'HTTP 503 on each of 5 attempts.',
        details: {
          status: 503,
          attempts: 5,
          errors: [],
          hint: 'Cloudflare may be having an outage (see its status page); re-run later.'
        }
      }
    ],
    [
      'a 5xx on a POST is never retried: the write may have taken effect',
      answer(500, null, errorBody('internal error')),
      { method: 'POST', path: '/accounts/abc/members', policy: 'create' },
      {
        kind: 'fail',
        summary: 'HTTP 500; not retried because the write may have taken effect.',
        details: {
          status: 500,
          attempts: 1,
          errors: [{ code: 10000, message: 'internal error' }],
          hint: 'Re-run the plan to see whether it did, then apply again if needed.'
        }
      }
    ]
  ])('%s', (_name, outcome, overrides, expected) => {
    expect(decideAfterAttempt(outcome, context(overrides))).toEqual(expected)
  })

  test('another 4xx fails at once with the errors, secrets redacted, and a hint for the status', () => {
    const decision = decideAfterAttempt(
      answer(403, null, errorBody('token s3cr3t-token lacks permission')),
      context()
    )
    expect(decision).toMatchObject({
      kind: 'fail',
      summary: 'HTTP 403.',
      details: { status: 403, attempts: 1 }
    })
    const details = (decision as { details: { errors: { message: string }[]; hint?: string } })
      .details
    expect(details.errors[0]!.message).not.toContain('s3cr3t-token')
    expect(details.hint).toBeTruthy()
  })

  test('a body that is not JSON gives no errors rather than failing the decision', () => {
    expect(decideAfterAttempt(answer(404, null, '<html>'), context())).toMatchObject({
      kind: 'fail',
      summary: 'HTTP 404.',
      details: { errors: [] }
    })
  })
})

describe('parseRetryAfter', () => {
  test.each<[string | null, number | undefined]>([
    [null, undefined],
    ['', undefined],
    ['  12 ', 12],
    ['Wed, 02 Dec 2026 11:59:00 GMT', 0],
    ['soon', undefined]
  ])('%s -> %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected)
  })
})
