import { describe, expect, it } from 'vitest'
import {
  CloudflareApiError,
  applyPlan,
  type CloudflareClient,
  type GroupUpdateBody,
  type RawAccessGroup
} from '../../src/cloudflare/index.js'
import type { AccountMember, Operation, Plan } from '../../src/model/index.js'

const rule = (email: string) => ({ email: { email } })

/** Groups and members as Cloudflare holds them now; calls recorded; a list read costs `pages` requests. */
function fakeAccount(options: {
  groups?: RawAccessGroup[]
  members?: AccountMember[]
  pages: { groups?: number; members?: number }
  fail?: Record<string, Error>
}) {
  const groups = new Map((options.groups ?? []).map((g) => [g.id, g]))
  const members = new Map((options.members ?? []).map((m) => [m.id, m]))
  const calls: string[] = []
  const puts: { id: string; body: GroupUpdateBody }[] = []
  const roleSets: { id: string; roles: string[] }[] = []
  const check = (key: string) => {
    calls.push(key)
    const error = options.fail?.[key]
    if (error) throw error
  }
  const notFound = (path: string) =>
    new CloudflareApiError('HTTP 404.', { method: 'GET', path, status: 404 })
  const notUsed = async (): Promise<never> => {
    throw new Error('not used')
  }
  const client: CloudflareClient = {
    verifyCredentials: async () => undefined,
    readAccountSnapshot: notUsed,
    readAccessApplications: notUsed,
    listPages: (collection) => options.pages[collection],
    listGroups: async () => {
      check('listGroups')
      return structuredClone([...groups.values()])
    },
    listMembers: async () => {
      check('listMembers')
      return structuredClone([...members.values()])
    },
    getGroup: async (id) => {
      check(`getGroup ${id}`)
      const group = groups.get(id)
      if (!group) throw notFound(`/groups/${id}`)
      return structuredClone(group)
    },
    putGroup: async (id, body) => {
      check(`putGroup ${id}`)
      puts.push({ id, body })
      return { id, ...body }
    },
    getMember: async (id) => {
      check(`getMember ${id}`)
      const member = members.get(id)
      if (!member) throw notFound(`/members/${id}`)
      return structuredClone(member)
    },
    setMemberRoles: async (id, roles) => {
      check(`setMemberRoles ${id}`)
      roleSets.push({ id, roles })
    },
    inviteMember: notUsed,
    removeMember: notUsed,
    endAccessSessions: notUsed,
    requestCount: 0
  }
  return { client, calls, puts, roleSets }
}

function group(id: string, emails: string[]): RawAccessGroup {
  return { id, name: `Group ${id}`, include: emails.map(rule), exclude: [], require: [] }
}

function member(id: string, roles: string[]): AccountMember {
  return {
    id,
    email: `${id}@example.com`,
    status: 'accepted',
    roles: roles.map((role) => ({ id: role, name: `Role ${role}` })),
    usesPolicies: false
  }
}

const addTo = (groupId: string, email: string): Operation => ({
  type: 'update-group',
  key: `op-${groupId}`,
  groupId,
  groupName: `Group ${groupId}`,
  add: [email],
  remove: []
})

const grant = (memberId: string, role: string): Operation => ({
  type: 'update-member',
  key: `op-${memberId}`,
  memberId,
  email: `${memberId}@example.com`,
  grant: [role],
  revoke: []
})

function plan(operations: Operation[]): Plan {
  return {
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
}

const apply = (client: CloudflareClient, operations: Operation[], log: string[] = []) =>
  applyPlan(client, plan(operations), {
    dryRun: false,
    concurrency: 1,
    onProgress: (line) => log.push(line)
  })

describe('apply re-reads changed objects by list pages when that is fewer requests', () => {
  it('lists the groups once instead of three GETs, and keeps what the dashboard added since the plan', async () => {
    // g2 gained dave in the dashboard after the plan: the list shows him, and the write keeps him.
    const account = fakeAccount({
      groups: [
        group('g1', ['a@x.com']),
        group('g2', ['b@x.com', 'dave@x.com']),
        group('g3', ['c@x.com'])
      ],
      pages: { groups: 1 }
    })
    const log: string[] = []
    const result = await apply(
      account.client,
      [addTo('g1', 'e@x.com'), addTo('g2', 'f@x.com'), addTo('g3', 'g@x.com')],
      log
    )
    expect(account.calls).toEqual(['listGroups', 'putGroup g1', 'putGroup g2', 'putGroup g3'])
    expect(account.puts[1]).toEqual({
      id: 'g2',
      body: {
        name: 'Group g2',
        include: [rule('b@x.com'), rule('dave@x.com'), rule('f@x.com')],
        exclude: [],
        require: []
      }
    })
    expect(result.operations.every((r) => r.status === 'applied')).toBe(true)
    expect(log).toEqual([
      'Re-read the 3 changed Access groups by listing them (1 request instead of 3 GETs) right before writing.'
    ])
  })

  it('keeps one GET per object when the list costs as many requests or more', async () => {
    const account = fakeAccount({
      groups: [group('g1', ['a@x.com']), group('g2', ['b@x.com'])],
      members: [member('m1', ['r1'])],
      pages: { groups: 2, members: 1 }
    })
    await apply(account.client, [addTo('g1', 'e@x.com'), addTo('g2', 'f@x.com'), grant('m1', 'r2')])
    expect(account.calls).toEqual([
      'getGroup g1',
      'putGroup g1',
      'getGroup g2',
      'putGroup g2',
      'getMember m1',
      'setMemberRoles m1'
    ])
  })

  it('keeps one GET per object when the cost of the list is not known (no read of it yet)', async () => {
    const account = fakeAccount({
      groups: [group('g1', ['a@x.com']), group('g2', ['b@x.com'])],
      pages: {}
    })
    await apply(account.client, [addTo('g1', 'e@x.com'), addTo('g2', 'f@x.com')])
    expect(account.calls).toEqual(['getGroup g1', 'putGroup g1', 'getGroup g2', 'putGroup g2'])
  })

  it('lists members, applies only the grant to the roles held now, and keeps a role given in the dashboard', async () => {
    const account = fakeAccount({
      members: [member('m1', ['r1', 'r9']), member('m2', ['r1'])],
      pages: { members: 1 }
    })
    await apply(account.client, [grant('m1', 'r2'), grant('m2', 'r2')])
    expect(account.calls).toEqual(['listMembers', 'setMemberRoles m1', 'setMemberRoles m2'])
    expect(account.roleSets).toEqual([
      { id: 'm1', roles: ['r1', 'r2', 'r9'] },
      { id: 'm2', roles: ['r1', 'r2'] }
    ])
  })

  it('reads an object missing from the list with its own GET, which gives the definite answer', async () => {
    // g3 was deleted since the plan: not in the list, and its GET says 404.
    const account = fakeAccount({
      groups: [group('g1', ['a@x.com']), group('g2', ['b@x.com'])],
      pages: { groups: 1 }
    })
    const result = await apply(account.client, [
      addTo('g1', 'e@x.com'),
      addTo('g2', 'f@x.com'),
      addTo('g3', 'g@x.com')
    ])
    expect(account.calls).toEqual(['listGroups', 'putGroup g1', 'putGroup g2', 'getGroup g3'])
    expect(result.operations.map((r) => r.status)).toEqual(['applied', 'applied', 'failed'])
    expect(result.operations[2]!.reason).toContain('no longer exists in Cloudflare')
  })

  it('falls back to one GET per object when the list fails, and says so', async () => {
    const refused = new CloudflareApiError('HTTP 500.', {
      method: 'GET',
      path: '/groups',
      status: 500
    })
    const account = fakeAccount({
      groups: [group('g1', ['a@x.com']), group('g2', ['b@x.com'])],
      pages: { groups: 1 },
      fail: { listGroups: refused }
    })
    const log: string[] = []
    const result = await apply(
      account.client,
      [addTo('g1', 'e@x.com'), addTo('g2', 'f@x.com')],
      log
    )
    expect(account.calls).toEqual([
      'listGroups',
      'getGroup g1',
      'putGroup g1',
      'getGroup g2',
      'putGroup g2'
    ])
    expect(result.operations.every((r) => r.status === 'applied')).toBe(true)
    expect(log).toEqual([
      'Listing the Access groups to re-read them failed (Cloudflare API GET /groups: HTTP 500.); each is re-read with its own GET instead.'
    ])
  })

  it('re-reads with its own GET after a lost answer, also when the group came from the list', async () => {
    const lost = new CloudflareApiError('HTTP 503.', {
      method: 'PUT',
      path: '/groups/g1',
      status: 503
    })
    const account = fakeAccount({
      groups: [group('g1', ['a@x.com']), group('g2', ['b@x.com'])],
      pages: { groups: 1 },
      fail: { 'putGroup g1': lost }
    })
    const result = await apply(account.client, [addTo('g1', 'e@x.com'), addTo('g2', 'f@x.com')])
    expect(account.calls).toEqual(['listGroups', 'putGroup g1', 'getGroup g1', 'putGroup g2'])
    // The fake's PUT failed before storing anything, so the re-read shows it not in place: the write's error stands.
    expect(result.operations.map((r) => r.status)).toEqual(['failed', 'applied'])
  })
})
