import { describe, expect, test } from 'vitest'
import type { EventInfo } from '../../src/github/index.js'
import { runExpire } from '../../src/modes/expire.js'
import { baseSnapshot, harness as baseHarness, inputs, OPS_ID } from './fakes.js'

const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}

/** alice's grants in Engineering and Ops and carol's read-only role (her only one) ended on 1 March (NOW is 15 March). */
const EXPIRED = `version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-03-01
      - bob@example.com
  Ops:
    members:
      - email: Alice@Example.com
        expires: 2026-03-01
      - olga@example.com
roles:
  Administrator Read Only:
    members:
      - email: carol@example.com
        expires: 2026-03-01
      - dave@example.com
`

function harness(extraInputs: Record<string, string> = {}) {
  const snapshot = baseSnapshot()
  snapshot.groups
    .find((group) => group.id === OPS_ID)!
    .include.push({ email: { email: 'alice@example.com' } })
  return baseHarness({
    event: SCHEDULE,
    file: EXPIRED,
    snapshot,
    inputs: inputs({ mode: 'expire', ...extraInputs })
  })
}

describe('runExpire with end-sessions', () => {
  test('ends the sessions of each person removed from a group once, after the removals, and not for roles', async () => {
    const h = harness({ 'end-sessions': 'true' })
    const result = await runExpire(h.deps)
    expect(result.failure).toBeUndefined()
    expect(result.outputs).toMatchObject({ applied: '3', failed: '0', removals: '3' })
    expect(h.cloudflare.writes.map((write) => write.call)).toEqual([
      'putGroup',
      'putGroup',
      'removeMember',
      'endAccessSessions'
    ])
    expect(h.cloudflare.writes.at(-1)).toEqual({
      call: 'endAccessSessions',
      email: 'alice@example.com'
    })
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('### Cloudflare Access expire')
    expect(h.io.summaries[0]).toContain('**Access sessions**\n\n- ✅ ended: `alice@example.com`')
  })

  test('without the input, no session is ended and the summary has no sessions part', async () => {
    const h = harness()
    const result = await runExpire(h.deps)
    expect(result.failure).toBeUndefined()
    expect(h.cloudflare.writes.map((write) => write.call)).not.toContain('endAccessSessions')
    expect(h.io.summaries[0]).not.toContain('Access sessions')
  })

  test('a dry run ends no session', async () => {
    const h = harness({ 'end-sessions': 'true', 'dry-run': 'true' })
    await runExpire(h.deps)
    expect(h.cloudflare.writes).toEqual([])
  })

  test('a session that cannot be ended fails the step after the revocations, and the summary says why', async () => {
    const h = harness({ 'end-sessions': 'true' })
    h.cloudflare.failWritesTo.add('alice@example.com')
    const result = await runExpire(h.deps)
    expect(result.outputs).toMatchObject({ applied: '3', failed: '0' })
    expect(result.failure).toBe(
      'The expired grants were revoked, but the Access sessions of 1 person could not be ended; see the job summary.'
    )
    expect(h.io.summaries[0]).toMatch(/- ❌ failed \(.*HTTP 500.*\): `alice@example.com`/)
    expect(h.io.warnings.join('\n')).toContain(
      'Could not end the Access sessions of alice@example.com'
    )
  })
})
