import { describe, expect, test } from 'vitest'
import {
  checkApiUrl,
  DEFAULT_API_URL,
  readInputs,
  type ActionInputs
} from '../../src/action/inputs.js'

function read(values: Record<string, string>): ActionInputs {
  return readInputs((name) => values[name] ?? '')
}

function problemsOf(values: Record<string, string>): string {
  try {
    read(values)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('readInputs accepted the inputs')
}

const ACCOUNT = '0123456789abcdef0123456789abcdef'

describe('readInputs', () => {
  test('nothing set: the action.yml defaults', () => {
    expect(read({})).toEqual({
      mode: 'auto',
      config: 'cloudflare-access.yaml',
      accountId: undefined,
      credentials: undefined,
      apiUrl: DEFAULT_API_URL,
      requestBudget: 1000,
      githubToken: '',
      requiredApprovals: 1,
      allowUnapproved: false,
      maxRemovals: undefined,
      allowMassRemoval: false,
      allowLockout: false,
      dryRun: false,
      staleAfterDays: undefined,
      expiryWarningDays: 14,
      comment: true,
      reviewLabel: 'access-review',
      reviewPeriod: 'month',
      revokeExpired: false,
      endSessions: false,
      openPr: false,
      uploadPlan: false,
      allowPullRequestTarget: false
    })
    expect(DEFAULT_API_URL).toBe('https://api.cloudflare.com/client/v4')
  })

  test('every input read, with surrounding whitespace trimmed', () => {
    expect(
      read({
        mode: ' apply ',
        config: 'access/*.yaml',
        'cloudflare-account-id': ACCOUNT,
        'cloudflare-api-token': ' tok ',
        'cloudflare-api-url': 'http://127.0.0.1:8787/client/v4',
        'cloudflare-request-budget': ' 600 ',
        'github-token': 'ghs_x',
        'required-approvals': '0',
        'allow-unapproved': 'True',
        'max-removals': '10',
        'allow-mass-removal': 'TRUE',
        'allow-lockout': 'true',
        'dry-run': 'true',
        'stale-after-days': '30',
        'expiry-warning-days': '0',
        comment: 'false',
        'review-label': 'audit',
        'review-period': 'week',
        'revoke-expired': 'true',
        'end-sessions': 'true',
        'open-pr': 'true',
        'upload-plan': 'true',
        'allow-pull-request-target': 'true'
      })
    ).toEqual({
      mode: 'apply',
      config: 'access/*.yaml',
      accountId: ACCOUNT,
      credentials: { kind: 'token', token: 'tok' },
      apiUrl: 'http://127.0.0.1:8787/client/v4',
      requestBudget: 600,
      githubToken: 'ghs_x',
      requiredApprovals: 0,
      allowUnapproved: true,
      maxRemovals: { kind: 'count', value: 10 },
      allowMassRemoval: true,
      allowLockout: true,
      dryRun: true,
      staleAfterDays: 30,
      expiryWarningDays: 0,
      comment: false,
      reviewLabel: 'audit',
      reviewPeriod: 'week',
      revokeExpired: true,
      endSessions: true,
      openPr: true,
      uploadPlan: true,
      allowPullRequestTarget: true
    })
  })

  test('max-removals as a percentage', () => {
    expect(read({ 'max-removals': '25%' }).maxRemovals).toEqual({ kind: 'percent', value: 25 })
  })

  test('API key with e-mail', () => {
    expect(
      read({ 'cloudflare-api-key': 'k3y', 'cloudflare-email': 'ops@example.com' }).credentials
    ).toEqual({ kind: 'key', key: 'k3y', email: 'ops@example.com' })
  })

  test.each([
    [
      { mode: 'deploy' },
      'Input mode must be one of auto, plan, apply, review, export, request, expire, cleanup, request-form, not "deploy".'
    ],
    [
      { 'review-period': 'year' },
      'Input review-period must be one of month, quarter, week, not "year".'
    ],
    [{ 'dry-run': 'yes' }, 'Input dry-run must be true or false, not "yes".'],
    [{ comment: '1' }, 'Input comment must be true or false, not "1".'],
    [
      { 'required-approvals': '-1' },
      'Input required-approvals must be a whole number of at least 0, not "-1".'
    ],
    [
      { 'required-approvals': '1.5' },
      'Input required-approvals must be a whole number of at least 0, not "1.5".'
    ],
    [
      { 'stale-after-days': '0' },
      'Input stale-after-days must be a whole number of at least 1, not "0".'
    ],
    [
      { 'expiry-warning-days': 'two' },
      'Input expiry-warning-days must be a whole number of at least 0, not "two".'
    ],
    [
      { 'cloudflare-account-id': 'acme' },
      'Input cloudflare-account-id must be the 32-character hexadecimal account id (Cloudflare dashboard → Account home → Account ID).'
    ],
    [
      { 'max-removals': '150%' },
      'Input max-removals: "150%" is more than 100%; write a percentage from 0% to 100%.'
    ],
    [
      { 'max-removals': 'lots' },
      'Input max-removals: "lots" is not a removal limit; write a number of removals such as 10 or a percentage such as "25%".'
    ],
    [
      { 'cloudflare-request-budget': '0' },
      'Input cloudflare-request-budget must be a whole number of at least 1, not "0".'
    ],
    [
      { 'review-label': 'access-review,bug' },
      'Input review-label must be one label name without commas, not "access-review,bug".'
    ],
    [
      { 'cloudflare-api-url': 'http://api.cloudflare.com/client/v4' },
      'Input cloudflare-api-url must use https (http is allowed only to a loopback address such as 127.0.0.1, ::1 or localhost, for an emulator), not "http://api.cloudflare.com/client/v4".'
    ],
    [
      { 'cloudflare-api-url': 'http://10.0.0.5:8787/client/v4' },
      'Input cloudflare-api-url must use https (http is allowed only to a loopback address such as 127.0.0.1, ::1 or localhost, for an emulator), not "http://10.0.0.5:8787/client/v4".'
    ],
    [
      { 'cloudflare-api-url': 'ftp://example.com' },
      'Input cloudflare-api-url must be an http(s) URL, not "ftp://example.com".'
    ],
    [
      {
        'cloudflare-api-token': 't',
        'cloudflare-api-key': 'k',
        'cloudflare-email': 'a@example.com'
      },
      'Set either cloudflare-api-token or cloudflare-api-key (with cloudflare-email), not both: Cloudflare would receive two identities.'
    ],
    [
      { 'cloudflare-api-key': 'k' },
      'cloudflare-api-key needs cloudflare-email, the e-mail of the user who owns the key.'
    ]
  ])('%j is refused: %s', (values, message) => {
    expect(problemsOf(values)).toBe(`Invalid inputs:\n- ${message}`)
  })

  test('all problems are reported together', () => {
    expect(problemsOf({ mode: 'x', 'dry-run': 'maybe', 'cloudflare-api-key': 'k' })).toBe(
      [
        'Invalid inputs:',
        '- Input mode must be one of auto, plan, apply, review, export, request, expire, cleanup, request-form, not "x".',
        '- cloudflare-api-key needs cloudflare-email, the e-mail of the user who owns the key.',
        '- Input dry-run must be true or false, not "maybe".'
      ].join('\n')
    )
  })

  test.each([
    'https://user:tok_SECRET_value_123@api.example.com/client/v4',
    'https://:tok_SECRET_value_123@api.example.com/client/v4',
    'https://api.example.com/client/v4?token=tok_SECRET_value_123',
    'https://api.example.com/client/v4#tok_SECRET_value_123',
    'ftp://user:tok_SECRET_value_123@example.com',
    'tok_SECRET_value_123 https://x'
  ])('cloudflare-api-url with a credential is refused and not repeated: %s', (url) => {
    const message = problemsOf({ 'cloudflare-api-url': url })
    expect(message).toMatch(/^Invalid inputs:\n- Input cloudflare-api-url /)
    expect(message).not.toContain('tok_SECRET_value_123')
  })

  test('no error message repeats a credential', () => {
    const secret = 'tok_SECRET_value_123'
    const message = problemsOf({
      'cloudflare-api-token': secret,
      'cloudflare-api-key': 'key_SECRET_456',
      'cloudflare-email': 'a@example.com'
    })
    expect(message).not.toContain(secret)
    expect(message).not.toContain('key_SECRET_456')
  })
})

test('an account id pasted in upper case is read in lower case, as the access file stores it', () => {
  const read = readInputs((name) =>
    name === 'cloudflare-account-id' ? '0123456789ABCDEF0123456789ABCDEF' : ''
  )
  expect(read.accountId).toBe('0123456789abcdef0123456789abcdef')
})

describe('cloudflare-api-url over plain http', () => {
  test('is accepted only to a loopback address', () => {
    for (const url of [
      'http://127.0.0.1:8787/client/v4',
      'http://127.1.2.3/client/v4',
      'http://localhost:8787/client/v4',
      'http://[::1]:8787/client/v4',
      'https://api.cloudflare.com/client/v4'
    ]) {
      expect(checkApiUrl(url)).toBeUndefined()
    }
    expect(checkApiUrl('http://127.0.0.1.example.com/client/v4')).toMatch(/must use https/)
  })
})
