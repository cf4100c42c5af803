import { describe, expect, it } from 'vitest'
import {
  PROGRESS_MIN_OPERATIONS,
  applyPlan,
  type CloudflareClient
} from '../../src/cloudflare/index.js'
import type { AccountMember, Operation, Plan } from '../../src/model/index.js'

/** Members m0..m(n-1), each holding r1; every operation grants r2, so each is one GET and one PUT. */
function setup(n: number) {
  // Each write takes 50 ms of this clock.
  let t = 0
  const now = () => t
  const members = new Map<string, AccountMember>(
    Array.from({ length: n }, (_, i) => [
      `m${i}`,
      {
        id: `m${i}`,
        email: `secret-person${i}@example.com`,
        status: 'accepted',
        roles: [{ id: 'r1', name: 'R1' }],
        usesPolicies: false
      }
    ])
  )
  const notUsed = async (): Promise<never> => {
    throw new Error('not used')
  }
  const client: CloudflareClient = {
    verifyCredentials: async () => undefined,
    readAccountSnapshot: notUsed,
    readAccessApplications: notUsed,
    listPages: () => undefined,
    listGroups: notUsed,
    listMembers: notUsed,
    getGroup: notUsed,
    putGroup: notUsed,
    getMember: async (id) => structuredClone(members.get(id)!),
    setMemberRoles: async () => {
      t += 50
    },
    inviteMember: notUsed,
    removeMember: notUsed,
    endAccessSessions: notUsed,
    requestCount: 0
  }
  const operations: Operation[] = Array.from({ length: n }, (_, i) => ({
    type: 'update-member',
    key: `op${i}`,
    memberId: `m${i}`,
    email: `secret-person${i}@example.com`,
    grant: ['r2'],
    revoke: []
  }))
  const plan: Plan = {
    accountId: 'a',
    generatedAt: '2026-01-01T00:00:00Z',
    changes: [],
    operations,
    findings: [],
    guards: [],
    expiring: [],
    managed: { groups: [], roles: [] },
    unmanaged: { groups: [], roles: [] },
    stats: { additions: 0, removals: 0, grantsUnderManagement: 0, removalLimit: 0 }
  }
  return { client, plan, now }
}

describe('apply progress', () => {
  it('logs each tenth of a long apply with counts, rate and time left, and no e-mail', async () => {
    const { client, plan, now } = setup(200)
    const lines: string[] = []
    const result = await applyPlan(client, plan, {
      dryRun: false,
      concurrency: 1,
      now,
      onProgress: (line) => lines.push(line)
    })
    expect(result.operations.filter((r) => r.status === 'applied')).toHaveLength(200)
    expect(lines).toHaveLength(10)
    expect(lines[0]).toBe(
      'Apply progress: 20 of 200 writes done (10%; 20 applied, 0 skipped, 0 failed), 20 per second, 1 s so far, about 9 s left.'
    )
    expect(lines[9]).toBe(
      'Apply progress: 200 of 200 writes done (100%; 200 applied, 0 skipped, 0 failed), 20 per second, 10 s so far.'
    )
    expect(lines.join('\n')).not.toMatch(/@/)
  })

  it('says nothing for a short apply or a dry run', async () => {
    const short = setup(PROGRESS_MIN_OPERATIONS - 1)
    const lines: string[] = []
    await applyPlan(short.client, short.plan, { dryRun: false, onProgress: (l) => lines.push(l) })
    const long = setup(PROGRESS_MIN_OPERATIONS)
    await applyPlan(long.client, long.plan, { dryRun: true, onProgress: (l) => lines.push(l) })
    expect(lines).toEqual([])
  })
})
