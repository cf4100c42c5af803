import { describe, expect, it } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { describeDuration, parseDuration } from '../../src/request/duration.js'

const FILE = `version: 1
groups:
  Support:
    owners: [octocat]
    requests:
      max_duration: 3d
      requesters: ['@acme/support', carol]
      for_others: [dave]
    members: []
roles:
  Administrator:
    requests: {}
    members: []
  Billing:
    members: []
`

describe('requests: in the access file', () => {
  it('reads the policy per group and role, with the 7-day default and nobody by default', () => {
    const result = parseAccessFiles([{ path: 'access.yml', text: FILE }])
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    expect(result.desired.groups[0]!.requests).toEqual({
      maxDuration: '3d',
      maxDurationMs: 3 * 86_400_000,
      requesters: ['@acme/support', 'carol'],
      forOthers: ['dave'],
      source: { file: 'access.yml', line: 5, column: 5 }
    })
    expect(result.desired.roles[0]!.requests).toMatchObject({
      maxDuration: '7d',
      requesters: [],
      forOthers: []
    })
    expect(result.desired.roles[1]!.requests).toBeUndefined()
  })

  it('locates a bad duration, a bad requester and an unknown key on their lines', () => {
    const text = `version: 1
groups:
  Support:
    requests:
      max_duration: forever
      requesters: ['not a login']
      for_other: [dave]
    members: []
`
    const result = parseAccessFiles([{ path: 'access.yml', text }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.map((error) => `${error.line}:${error.column} ${error.message}`)).toEqual([
      '5:21 groups.Support.requests.max_duration: "forever" is not a duration of at least a minute and at most a year; write a number and a unit, such as 30m, 4h, 3d or 2w (m minutes, h hours, d days, w weeks); parts add up, as in 1d12h.',
      '6:20 groups.Support.requests.requesters[0]: "not a login" is not a GitHub login or team; write a login such as octocat or a team such as @acme/security.',
      '7:7 groups.Support.requests: unknown key "for_other". Allowed keys: max_duration, requesters, for_others. Did you mean "for_others"?'
    ])
  })
})

describe('parseDuration', () => {
  it('reads minutes, hours, days and weeks, and sums parts', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000)
    expect(parseDuration(' 4H ')).toBe(4 * 3_600_000)
    expect(parseDuration('1d 12h')).toBe(36 * 3_600_000)
    expect(parseDuration('2w')).toBe(14 * 86_400_000)
    expect(describeDuration(parseDuration('1d12h30m')!)).toBe('1 day 12 hours 30 minutes')
  })

  it('refuses what is not a duration, zero and more than a year', () => {
    for (const text of ['', '4', 'h', '4 hours', '-4h', '0m', '53w', '1.5h', '4h;rm -rf /']) {
      expect(parseDuration(text), text).toBeUndefined()
    }
  })
})
