import { describe, expect, it } from 'vitest'
import type { Grant, RequestPolicy } from '../../src/model/index.js'
import { checkExtension, readExtendCommand } from '../../src/request/extension.js'

const NOW = new Date('2026-12-02T12:00:00Z')
const HELD: Grant = {
  email: 'carol@example.com',
  key: 'carol@example.com',
  expires: '2026-12-02T14:00:00.000Z',
  source: { file: 'cloudflare-access.yaml', line: 9, column: 9 }
}
const POLICY: RequestPolicy = {
  maxDuration: '1d',
  maxDurationMs: 86_400_000,
  requesters: ['carol'],
  forOthers: [],
  source: { file: 'cloudflare-access.yaml', line: 5, column: 5 }
}
const check = (duration: string, held: Grant = HELD) =>
  checkExtension({ duration, held, policy: POLICY, target: 'the group "VPN"', now: NOW })

describe('readExtendCommand', () => {
  it('reads the first line only, in any case; anything else is not a command', () => {
    expect(readExtendCommand('  /extend 4h\nbecause')).toEqual({ duration: '4h' })
    expect(readExtendCommand('/EXTEND')).toEqual({ duration: '' })
    expect(readExtendCommand('please /extend 4h')).toBeUndefined()
    expect(readExtendCommand('/extended 4h')).toBeUndefined()
    expect(readExtendCommand('thanks\n/extend 4h')).toBeUndefined()
  })
})

describe('checkExtension', () => {
  it('moves the end by the duration from the current end, to the minute', () => {
    expect(check('2h')).toEqual({
      ok: true,
      durationMs: 7_200_000,
      previousEnd: '2026-12-02T14:00:00Z',
      end: '2026-12-02T16:00:00Z'
    })
    // 22 hours more ends exactly max_duration from now: allowed; a minute more is not.
    expect(check('22h').ok).toBe(true)
    expect(check('22h1m')).toMatchObject({ ok: false })
  })

  it('refuses no duration, an unreadable one, an ended grant, and says how much room is left', () => {
    expect(check('')).toMatchObject({ ok: false, problem: expect.stringContaining('/extend 4h') })
    expect(check('soon')).toMatchObject({ ok: false })
    expect(check('1h', { ...HELD, expires: '2026-12-02T11:59:00Z' })).toEqual({
      ok: false,
      problem:
        'The grant ended at 2026-12-02T11:59:00Z, so it cannot be extended; open a new request.'
    })
    expect(check('1d')).toEqual({
      ok: false,
      problem:
        'Extended by 1 day, the grant would end 1 day 2 hours from now, longer than the group "VPN" allows (1d, 1 day); extend by at most 22 hours.'
    })
  })
})
