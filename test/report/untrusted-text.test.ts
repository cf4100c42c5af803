import { describe, expect, it } from 'vitest'
import {
  REDACTED,
  redactCredentials,
  sanitizeExternalText,
  shorten
} from '../../src/report/untrusted-text.js'

const TOKEN = 'Zq8mK2vR7tY4wX1nB6cD9fG3hJ5kL0pA2sE4uI7o'
const GLOBAL_KEY = '144c9defac04969c7bfad8efaa8ea194a1b2c' // 37 hex characters
const ACCOUNT_ID = '023e105f4ecef8ad9ca31a8372d0c353'
const GROUP_ID = 'f174e90a-fafe-4643-bbbc-4a0ed4fc8415'

describe('redactCredentials', () => {
  it.each([
    ['an Authorization header', `request had Authorization: Bearer ${TOKEN} set`],
    ['a bare Bearer value', `Invalid bearer ${TOKEN}`],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA== was rejected'],
    ['an X-Auth-Key header', `Invalid request headers: X-Auth-Key: ${GLOBAL_KEY}`],
    ['key=value', 'api_key=s3cr3t-value&next=1'],
    ['a JSON secret', '{"client_secret": "hunter2hunter2", "ok": true}'],
    ['a password', 'password=correct-horse'],
    ['a URL with user:password@', 'fetch https://admin:pa55@internal.example/x failed'],
    ['a Cloudflare user token', 'token cfut_AbCdEf0123456789ghIJkl was revoked'],
    ['a GitHub token', 'ghp_FAKEsecretThatMustNeverBePublished0042'],
    [
      'a JWT',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'
    ],
    ['an AWS access key', 'AKIAIOSFODNN7EXAMPLE leaked'],
    ['a Global API key alone', `key ${GLOBAL_KEY} is wrong`],
    ['a bare API token', `the value ${TOKEN} is not valid`],
    ['a SHA-256-long hex run', 'a'.repeat(64)],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----']
  ])('redacts %s', (_what, text) => {
    const out = redactCredentials(text)
    expect(out).toContain(REDACTED)
    for (const secret of [
      TOKEN,
      GLOBAL_KEY,
      'dXNlcjpwYXNzd29yZA',
      's3cr3t',
      'hunter2',
      'correct-horse',
      'pa55',
      'cfut_',
      'ghp_',
      'eyJ',
      'AKIA',
      'MIIEvQ',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    ]) {
      expect(out).not.toContain(secret)
    }
  })

  // redactCredentials returns text without any word or character a pattern needs at once; each of these needs one.
  it.each([
    'PWD=hunter2',
    'Signature: c2lnbmVk',
    'session=abc123',
    'Cookie: sid=abc',
    'X-Access-Key: hunter2',
    'Private-Key=hunter2',
    'credentials: hunter2',
    'SECRET=hunter2',
    'ftp://u:hunter2@host',
    'proxy-authorization: hunter2'
  ])('redacts %s, whose only hint is the key', (text) => {
    const out = redactCredentials(text)
    expect(out).toContain(REDACTED)
    expect(out).not.toMatch(/hunter2|c2lnbmVk|abc123|sid=abc/)
  })

  it('keeps the label so the message still says what was there', () => {
    expect(redactCredentials(`Authorization: Bearer ${TOKEN}`)).toBe(`Authorization: ${REDACTED}`)
    expect(redactCredentials('api_key=abc123&x=1')).toBe(`api_key=${REDACTED}&x=1`)
    expect(redactCredentials('"password": "x y"')).toBe(`"password": ${REDACTED}`)
  })

  it('leaves ids, e-mails, paths, names and ordinary sentences alone', () => {
    for (const text of [
      `Cloudflare API GET /accounts/${ACCOUNT_ID}/access/groups/${GROUP_ID}: HTTP 404.`,
      'carol.long-name+tag@sub.example.com',
      'Engineering-Team-2024-Production-Access-EU-West',
      'The API token lacks the "Account Settings Read" permission for this account.',
      'Authentication error (10000)',
      'The Authorization header was rejected as malformed.',
      'Super Administrator - All Privileges'
    ]) {
      expect(redactCredentials(text)).toBe(text)
    }
  })
})

describe('sanitizeExternalText', () => {
  it('folds lines, strips control and bidirectional characters and collapses spaces', () => {
    expect(sanitizeExternalText('one\r\ntwo\t\u001b[31mthree\u202e  four\u0000')).toBe(
      'one two [31mthree four'
    )
  })

  it('shortens to the limit with an ellipsis', () => {
    const out = sanitizeExternalText('word '.repeat(200), 50)
    expect(Array.from(out).length).toBeLessThanOrEqual(50)
    expect(out.endsWith('…')).toBe(true)
  })

  it('redacts a secret split across lines or hidden behind zero-width characters', () => {
    const out = sanitizeExternalText(
      `X-Auth-Key:\n${GLOBAL_KEY.slice(0, 10)}\u200b${GLOBAL_KEY.slice(10)}`
    )
    expect(out).toBe(`X-Auth-Key: ${REDACTED}`)
  })

  it('redacts before shortening, so a cut never leaves half a key', () => {
    const out = sanitizeExternalText(`${'x '.repeat(10)}${TOKEN}`, 30)
    expect(out).not.toMatch(/Zq8mK2/)
  })

  it('handles enormous input', () => {
    const out = sanitizeExternalText(`${TOKEN}`.repeat(50_000))
    expect(out.length).toBeLessThanOrEqual(300)
    expect(out).not.toContain('Zq8mK2')
  })
})

describe('shorten', () => {
  it('never splits a surrogate pair', () => {
    expect(shorten('🔑'.repeat(10), 5)).toBe('🔑🔑🔑🔑…')
    expect(shorten('short', 10)).toBe('short')
  })
})
