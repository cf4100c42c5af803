import { describe, expect, it } from 'vitest'
import {
  CloudflareApiError,
  applyPlan,
  type CloudflareClient,
  type GroupUpdateBody,
  type RawAccessGroup
} from '../../src/cloudflare/index.js'
import type { AccountMember, Change, Operation, Plan } from '../../src/model/index.js'

/** An in-memory client that records calls; failures are injected per call name and id. */
function fakeClient(
  groups: Record<string, RawAccessGroup>,
  fail: Record<string, Error> = {},
  members: Record<string, AccountMember> = {}
) {
  const calls: string[] = []
  const puts: { id: string; body: GroupUpdateBody }[] = []
  const check = (key: string) => {
    calls.push(key)
    if (fail[key]) throw fail[key]
  }
  const client: CloudflareClient = {
    verifyCredentials: async () => undefined,
    readAccountSnapshot: async () => {
      throw new Error('not used')
    },
    readAccessApplications: async () => {
      throw new Error('not used')
    },
    // No list read has happened, so its cost is unknown: every object is re-read with its own GET.
    listPages: () => undefined,
    listGroups: async () => {
      throw new Error('not used')
    },
    listMembers: async () => {
      throw new Error('not used')
    },
    getGroup: async (id) => {
      check(`getGroup ${id}`)
      return structuredClone(groups[id]!)
    },
    putGroup: async (id, body) => {
      check(`putGroup ${id}`)
      puts.push({ id, body })
      return { id, ...body }
    },
    getMember: async (id) => {
      check(`getMember ${id}`)
      return structuredClone(members[id]!)
    },
    setMemberRoles: async (id, roles) => check(`setMemberRoles ${id} ${roles.join(',')}`),
    inviteMember: async (email, roles) => check(`inviteMember ${email} ${roles.join(',')}`),
    removeMember: async (id) => check(`removeMember ${id}`),
    endAccessSessions: async (email) => {
      check(`endAccessSessions ${email}`)
      return true
    },
    requestCount: 0
  }
  return { client, calls, puts }
}

function change(operation: number, action: Change['action'], email: string): Change {
  return {
    key: `group:g:${email}`,
    action,
    target: { kind: 'group', name: 'G', id: 'g' },
    email,
    cause: 'requested',
    operation: `op${operation}`
  }
}

function roleChange(operation: number, action: Change['action'], roleId: string): Change {
  return {
    key: `role:${roleId}:someone@example.com:${operation}`,
    action,
    target: { kind: 'role', name: `Role ${roleId}`, id: roleId },
    email: 'someone@example.com',
    cause: action === 'grant' ? 'requested' : 'drift',
    operation: `op${operation}`
  }
}

function member(id: string, roles: string[], usesPolicies = false): AccountMember {
  return {
    id,
    email: `${id}@example.com`,
    status: 'accepted',
    roles: roles.map((role) => ({ id: role, name: `Role ${role}` })),
    usesPolicies
  }
}

function plan(operations: Operation[], changes: Change[]): Plan {
  return {
    accountId: 'a',
    generatedAt: '2026-01-01T00:00:00Z',
    changes,
    operations,
    findings: [],
    guards: [],
    expiring: [],
    managed: { groups: [], roles: [] },
    unmanaged: { groups: [], roles: [] },
    stats: { additions: 0, removals: 0, grantsUnderManagement: 0, removalLimit: 0 }
  }
}

const engineering: RawAccessGroup = {
  id: 'g1',
  name: 'Engineering',
  include: [
    { email: { email: 'Alice@Example.com' } },
    { ip: { ip: '10.0.0.0/8' } },
    { email: { email: 'bob@example.com' } }
  ],
  exclude: [{ email_domain: { domain: 'contractor.example.com' } }],
  require: [{ auth_method: { auth_method: 'mfa' } }],
  is_default: false,
  created_at: '2025-01-01T00:00:00Z'
}

describe('applyPlan', () => {
  it('makes no call in a dry run and counts skipped changes', async () => {
    const { client, calls } = fakeClient({ g1: engineering })
    const ops: Operation[] = [
      {
        type: 'update-group',
        key: 'op0',
        groupId: 'g1',
        groupName: 'Engineering',
        add: ['c@example.com'],
        remove: ['bob@example.com']
      },
      { type: 'remove-member', key: 'op1', memberId: 'm1', email: 'x@example.com', revoke: ['r1'] }
    ]
    const changes = [
      change(0, 'add', 'c@example.com'),
      change(0, 'remove', 'bob@example.com'),
      change(1, 'remove-member', 'x@example.com')
    ]
    const result = await applyPlan(client, plan(ops, changes), { dryRun: true })
    expect(calls).toEqual([])
    expect(result).toEqual({
      dryRun: true,
      outcomes: changes.map((change) => ({ change, status: 'skipped', reason: 'dry run' })),
      operations: [
        { operation: ops[0], status: 'skipped', reason: 'dry run' },
        { operation: ops[1], status: 'skipped', reason: 'dry run' }
      ],
      applied: 0,
      failed: 0,
      skipped: 3
    })
  })

  it('re-reads the group and PUTs it whole with only the email rules changed', async () => {
    const { client, calls, puts } = fakeClient({ g1: engineering })
    const op: Operation = {
      type: 'update-group',
      key: 'op0',
      groupId: 'g1',
      groupName: 'Engineering',
      add: ['carol@example.com', 'BOB@example.com'],
      remove: ['alice@example.com']
    }
    const result = await applyPlan(
      client,
      plan([op], [change(0, 'add', 'carol@example.com'), change(0, 'remove', 'alice@example.com')]),
      {
        dryRun: false
      }
    )
    expect(calls).toEqual(['getGroup g1', 'putGroup g1'])
    expect(puts).toEqual([
      {
        id: 'g1',
        body: {
          name: 'Engineering',
          include: [
            { ip: { ip: '10.0.0.0/8' } },
            { email: { email: 'bob@example.com' } },
            { email: { email: 'carol@example.com' } }
          ],
          exclude: [{ email_domain: { domain: 'contractor.example.com' } }],
          require: [{ auth_method: { auth_method: 'mfa' } }],
          is_default: false
        }
      }
    ])
    expect(result.applied).toBe(2)
    expect(result.operations[0]).toEqual({ operation: op, status: 'applied' })
  })

  it('omits an array-typed is_default from the PUT body', async () => {
    const { client, puts } = fakeClient({ g1: { ...engineering, is_default: [] } })
    await applyPlan(
      client,
      plan(
        [
          {
            type: 'update-group',
            key: 'op0',
            groupId: 'g1',
            groupName: 'Engineering',
            add: ['d@example.com'],
            remove: []
          }
        ],
        []
      ),
      { dryRun: false }
    )
    expect(Object.keys(puts[0]!.body)).toEqual(['name', 'include', 'exclude', 'require'])
  })

  it('refuses to empty a group include', async () => {
    const only = { id: 'g2', name: 'Solo', include: [{ email: { email: 'a@example.com' } }] }
    const { client, calls } = fakeClient({ g2: only })
    const result = await applyPlan(
      client,
      plan(
        [
          {
            type: 'update-group',
            key: 'op0',
            groupId: 'g2',
            groupName: 'Solo',
            add: [],
            remove: ['A@example.com']
          }
        ],
        [change(0, 'remove', 'a@example.com')]
      ),
      { dryRun: false }
    )
    expect(calls).toEqual(['getGroup g2'])
    expect(result.failed).toBe(1)
    expect(result.operations[0]!.reason).toBe(
      'the Access group "Solo" would be left with no include rules, which Cloudflare rejects and which would lock everyone out of what it protects. Add another member or rule to the group, then re-run.'
    )
  })

  it('skips a group write when Cloudflare already has the change', async () => {
    const { client, calls } = fakeClient({ g1: engineering })
    const result = await applyPlan(
      client,
      plan(
        [
          {
            type: 'update-group',
            key: 'op0',
            groupId: 'g1',
            groupName: 'Engineering',
            add: ['ALICE@example.com'],
            remove: ['zed@example.com']
          }
        ],
        [change(0, 'add', 'alice@example.com')]
      ),
      { dryRun: false }
    )
    expect(calls).toEqual(['getGroup g1'])
    expect(result.skipped).toBe(1)
    expect(result.operations[0]!.reason).toBe(
      'the Access group "Engineering" already has these changes in Cloudflare.'
    )
  })

  it('re-reads each member, applies only the planned role changes, and keeps going after a failure', async () => {
    const boom = new CloudflareApiError('HTTP 500 on each of 5 attempts.', {
      method: 'PUT',
      path: '/accounts/a/members/m1',
      status: 500
    })
    const gone = new CloudflareApiError('HTTP 404.', {
      method: 'GET',
      path: '/accounts/a/members/m3',
      status: 404
    })
    const taken = new CloudflareApiError('HTTP 400.', {
      method: 'POST',
      path: '/accounts/a/members',
      status: 400,
      errors: [{ code: 1005, message: 'n@example.com is already a member of this account' }]
    })
    const { client, calls } = fakeClient(
      {},
      {
        'setMemberRoles m1 r1,r2': boom,
        'getMember m3': gone,
        'inviteMember n@example.com r1': taken
      },
      {
        m1: member('m1', ['r1', 'r3']),
        m2: member('m2', ['r9']),
        m4: member('m4', ['r4']),
        m5: member('m5', ['r5'])
      }
    )
    const ops: Operation[] = [
      {
        type: 'update-member',
        key: 'op0',
        memberId: 'm1',
        email: 'a@example.com',
        grant: ['r2'],
        revoke: ['r3']
      },
      {
        type: 'update-member',
        key: 'op1',
        memberId: 'm2',
        email: 'b@example.com',
        grant: ['r3'],
        revoke: []
      },
      { type: 'remove-member', key: 'op2', memberId: 'm3', email: 'c@example.com', revoke: ['r4'] },
      { type: 'remove-member', key: 'op3', memberId: 'm4', email: 'd@example.com', revoke: ['r4'] },
      { type: 'invite-member', key: 'op4', email: 'n@example.com', roleIds: ['r1'] },
      { type: 'invite-member', key: 'op5', email: 'o@example.com', roleIds: ['r2'] },
      {
        type: 'update-member',
        key: 'op6',
        memberId: 'm5',
        email: 'e@example.com',
        grant: [],
        revoke: ['r5']
      }
    ]
    const changes = [
      roleChange(0, 'grant', 'r2'),
      roleChange(0, 'revoke', 'r3'),
      roleChange(1, 'grant', 'r3'),
      roleChange(2, 'remove-member', 'r4'),
      roleChange(3, 'remove-member', 'r4'),
      change(4, 'invite', 'n'),
      change(5, 'invite', 'o'),
      // A revocation planned as an update: if it empties the role set now, that is not what was approved.
      roleChange(6, 'revoke', 'r5')
    ]
    const result = await applyPlan(client, plan(ops, changes), { dryRun: false, concurrency: 2 })
    expect([...calls].sort()).toEqual([
      'getMember m1',
      // The 500 may have taken effect: m1 is re-read, and its roles are not in place, so it stays failed.
      'getMember m1',
      'getMember m2',
      'getMember m3',
      'getMember m4',
      'getMember m5',
      'inviteMember n@example.com r1',
      'inviteMember o@example.com r2',
      'removeMember m4',
      'setMemberRoles m1 r1,r2',
      'setMemberRoles m2 r3,r9'
    ])
    expect(result.operations.map((o) => o.status)).toEqual([
      'failed',
      'applied',
      'skipped',
      'applied',
      'skipped',
      'applied',
      'failed'
    ])
    expect(result.operations[0]!.reason).toBe(boom.message)
    expect(result.operations[2]!.reason).toBe(
      'c@example.com is no longer a member of the account (removed since the plan was made).'
    )
    expect(result.operations[4]!.reason).toBe(
      'n@example.com became a member of the account after the plan was made; their roles were not changed. Re-run the plan to review them.'
    )
    expect(result.operations[6]!.reason).toBe(
      'e@example.com would be left with no role, which removes the membership; the plan did not say so. Re-run the plan.'
    )
    expect({ applied: result.applied, failed: result.failed, skipped: result.skipped }).toEqual({
      applied: 3,
      failed: 3,
      skipped: 2
    })
  })

  it('keeps a role given in the dashboard since the plan, and with it the membership', async () => {
    const { client, calls } = fakeClient({}, {}, { m1: member('m1', ['r4', 'rX']) })
    const op: Operation = {
      type: 'remove-member',
      key: 'op0',
      memberId: 'm1',
      email: 'a@example.com',
      revoke: ['r4']
    }

    const result = await applyPlan(client, plan([op], [roleChange(0, 'remove-member', 'r4')]), {
      dryRun: false
    })

    expect(calls).toEqual(['getMember m1', 'setMemberRoles m1 rX'])
    expect(result.operations[0]).toEqual({
      operation: op,
      status: 'applied',
      reason:
        'a@example.com was given other roles since the plan was made: only the planned roles were revoked and the membership was kept.'
    })
  })

  it('leaves a member alone that moved to policies or already has the planned roles', async () => {
    const { client, calls } = fakeClient(
      {},
      {},
      { m1: member('m1', [], true), m2: member('m2', ['r1', 'r2']) }
    )
    const ops: Operation[] = [
      {
        type: 'update-member',
        key: 'op0',
        memberId: 'm1',
        email: 'a@example.com',
        grant: ['r1'],
        revoke: []
      },
      {
        type: 'update-member',
        key: 'op1',
        memberId: 'm2',
        email: 'b@example.com',
        grant: ['r2'],
        revoke: []
      }
    ]

    const result = await applyPlan(
      client,
      plan(ops, [roleChange(0, 'grant', 'r1'), roleChange(1, 'grant', 'r2')]),
      { dryRun: false }
    )

    expect(calls).toEqual(['getMember m1', 'getMember m2'])
    expect(result.operations.map((o) => o.reason)).toEqual([
      'a@example.com has been moved to permission policies since the plan was made; role management never changes such members.',
      'b@example.com already has these roles in Cloudflare.'
    ])
  })
  it('writes what the operation says, whatever its changes claim, and gives each change its outcome', async () => {
    const { client, calls } = fakeClient(
      {},
      { 'setMemberRoles m2 r2': new Error('HTTP 500') },
      { m1: member('m1', ['r1', 'r3']), m2: member('m2', ['r1']) }
    )
    const ops: Operation[] = [
      {
        type: 'update-member',
        key: 'member:m1',
        memberId: 'm1',
        email: 'a@example.com',
        grant: ['r2'],
        revoke: ['r3']
      },
      {
        type: 'update-member',
        key: 'member:m2',
        memberId: 'm2',
        email: 'b@example.com',
        grant: ['r2'],
        revoke: ['r1']
      }
    ]
    // The first change claims a revocation of r1 that its operation does not carry: the operation is the one truth.
    const changes: Change[] = [
      { ...roleChange(0, 'revoke', 'r1'), operation: 'member:m1' },
      { ...roleChange(1, 'grant', 'r2'), operation: 'member:m2' },
      { ...roleChange(1, 'revoke', 'r1'), operation: 'member:m2' },
      { ...roleChange(2, 'grant', 'r9'), operation: 'member:gone' }
    ]

    const result = await applyPlan(client, plan(ops, changes), { dryRun: false })

    expect(calls).toEqual([
      'getMember m1',
      'getMember m2',
      'setMemberRoles m1 r1,r2',
      'setMemberRoles m2 r2'
    ])
    expect(result.outcomes).toEqual([
      { change: changes[0], status: 'applied' },
      { change: changes[1], status: 'failed', reason: 'HTTP 500' },
      { change: changes[2], status: 'failed', reason: 'HTTP 500' },
      { change: changes[3], status: 'skipped', reason: 'the plan has no write for this change' }
    ])
    expect([result.applied, result.failed, result.skipped]).toEqual([1, 2, 1])
  })

  describe('a write whose answer was lost', () => {
    const lost = (method: 'PUT' | 'DELETE', path: string) =>
      new CloudflareApiError('no answer after 4 attempts; last: timed out after 30 s.', {
        method,
        path,
        attempts: 4
      })
    const removal: Operation = {
      type: 'update-group',
      key: 'op0',
      groupId: 'g1',
      groupName: 'Engineering',
      add: [],
      remove: ['bob@example.com']
    }

    it('counts a group change as applied when a re-read shows it in place', async () => {
      const groups = { g1: structuredClone(engineering) }
      const fake = fakeClient(groups)
      fake.client.putGroup = async (id, body) => {
        fake.calls.push(`putGroup ${id}`)
        groups.g1 = { ...groups.g1, ...body }
        throw lost('PUT', `/accounts/a/access/groups/${id}`)
      }
      const result = await applyPlan(
        fake.client,
        plan([removal], [change(0, 'remove', 'bob@example.com')]),
        {
          dryRun: false
        }
      )
      expect(fake.calls).toEqual(['getGroup g1', 'putGroup g1', 'getGroup g1'])
      expect(result.applied).toBe(1)
      expect(result.outcomes[0]!.reason).toBe(
        'the Access group "Engineering": Cloudflare\'s answer was lost (Cloudflare API PUT /accounts/a/access/groups/g1: no answer after 4 attempts; last: timed out after 30 s.); a re-read shows the change in place.'
      )
    })

    it('keeps it failed when the re-read shows it did not take effect, or cannot be made', async () => {
      const fake = fakeClient(
        { g1: engineering },
        { 'putGroup g1': lost('PUT', '/accounts/a/access/groups/g1') }
      )
      const result = await applyPlan(
        fake.client,
        plan([removal], [change(0, 'remove', 'bob@example.com')]),
        {
          dryRun: false
        }
      )
      expect(fake.calls).toEqual(['getGroup g1', 'putGroup g1', 'getGroup g1'])
      expect(result.failed).toBe(1)
      expect(result.outcomes[0]!.reason).toContain('no answer after 4 attempts')

      let reads = 0
      const blind = fakeClient(
        { g1: engineering },
        { 'putGroup g1': lost('PUT', '/accounts/a/access/groups/g1') }
      )
      const getGroup = blind.client.getGroup
      blind.client.getGroup = async (id) => {
        if (reads++ > 0) throw new Error('socket hang up')
        return getGroup(id)
      }
      const second = await applyPlan(
        blind.client,
        plan([removal], [change(0, 'remove', 'bob@example.com')]),
        {
          dryRun: false
        }
      )
      expect(second.failed).toBe(1)
      expect(second.outcomes[0]!.reason).toMatch(
        /no answer after 4 attempts.*Re-reading to check whether it took effect failed too: socket hang up/
      )
    })

    it('counts a membership removal as applied when the retried DELETE finds it gone', async () => {
      const members = { m1: member('m1', ['r4']) }
      const fake = fakeClient({}, {}, members)
      fake.client.removeMember = async (id) => {
        fake.calls.push(`removeMember ${id}`)
        delete (members as Record<string, unknown>)[id]
        throw new CloudflareApiError('HTTP 404.', {
          method: 'DELETE',
          path: `/accounts/a/members/${id}`,
          status: 404,
          attempts: 2
        })
      }
      const getMember = fake.client.getMember
      fake.client.getMember = async (id) => {
        if (!(id in members)) {
          fake.calls.push(`getMember ${id}`)
          throw new CloudflareApiError('HTTP 404.', {
            method: 'GET',
            path: `/accounts/a/members/${id}`,
            status: 404
          })
        }
        return getMember(id)
      }
      const op: Operation = {
        type: 'remove-member',
        key: 'op0',
        memberId: 'm1',
        email: 'd@example.com',
        revoke: ['r4']
      }
      const result = await applyPlan(
        fake.client,
        plan([op], [roleChange(0, 'remove-member', 'r4')]),
        { dryRun: false }
      )
      expect(fake.calls).toEqual(['getMember m1', 'removeMember m1', 'getMember m1'])
      expect(result.applied).toBe(1)
      expect(result.outcomes[0]!.reason).toMatch(
        /^d@example\.com: Cloudflare's answer was lost \(.*HTTP 404\.\); a re-read shows the change in place\.$/
      )
    })

    it('does not re-read after a definite refusal (a 4xx)', async () => {
      const refused = new CloudflareApiError('HTTP 400.', {
        method: 'PUT',
        path: '/accounts/a/access/groups/g1',
        status: 400
      })
      const fake = fakeClient({ g1: engineering }, { 'putGroup g1': refused })
      const result = await applyPlan(
        fake.client,
        plan([removal], [change(0, 'remove', 'bob@example.com')]),
        {
          dryRun: false
        }
      )
      expect(fake.calls).toEqual(['getGroup g1', 'putGroup g1'])
      expect(result.failed).toBe(1)
    })
  })
})
