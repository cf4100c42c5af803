import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  applyPlan,
  createCloudflareClient,
  type CloudflareClientOptions
} from '../../src/cloudflare/index.js'
import {
  findGroupByName,
  findMemberByEmail,
  findMemberById,
  startEmulator,
  type AccountSeed,
  type Emulator
} from '../../src/emulator/index.js'
import { planChanges } from '../../src/diff/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  SUPER_ADMIN_ROLE,
  type Change,
  type DesiredState,
  type Operation,
  type Plan
} from '../../src/model/index.js'

const ACCOUNT = 'aa11bb22cc33dd44ee55ff6600112233'
const TOKEN = 'test-token-0123456789abcdef0123456789ab'
const KEY = { email: 'owner@example.com', key: '0123456789abcdef0123456789abcdef01234' }
const ADMIN = 'bbb386b1f9e0c29e78d655dfb3dfe5d4'
const DNS = '763b88bb65cf74e17f1c1a5381efccf1'
const BILLING = '0f08242e935827adaaf831e1d05100ec'

const seed: AccountSeed = {
  account_id: ACCOUNT,
  credentials: { tokens: [{ value: TOKEN, status: 'active' }], keys: [KEY] },
  roles: [
    { id: ADMIN, name: 'Administrator', description: 'Full account' },
    { id: DNS, name: 'DNS', description: 'DNS records' },
    { id: BILLING, name: 'Billing', description: 'Billing' }
  ],
  members: [
    { email: 'owner@example.com', roles: [SUPER_ADMIN_ROLE.id] },
    { email: 'alice@example.com', roles: ['Administrator'] },
    { email: 'bob@example.com', roles: ['DNS'] },
    {
      email: 'grace@example.com',
      policies: [
        {
          id: '0a1b2c3d4e5f60718293a4b5c6d7e8f9',
          access: 'allow',
          permission_groups: [{ id: 'c8fed203ed3043cba015a93ad1616f1f' }],
          resource_groups: [
            {
              id: '6d7f2f5f5b1d4a0c9e9f5a6b7c8d9e0f',
              scope: [{ key: `com.cloudflare.api.account.${ACCOUNT}`, objects: [{ key: '*' }] }]
            }
          ]
        }
      ]
    }
  ],
  groups: [
    {
      name: 'Engineering',
      include: [
        { email: { email: 'Alice@Example.com' } },
        { ip: { ip: '10.0.0.0/8' } },
        { email: { email: 'bob@example.com' } },
        { 'github-organization': { name: 'acme', team: 'eng', identity_provider_id: 'idp-1' } }
      ],
      exclude: [{ email_domain: { domain: 'contractors.example.com' } }],
      require: [{ auth_method: { auth_method: 'mfa' } }, { geo: { country_code: 'DE' } }]
    },
    {
      name: 'Contractors',
      include: [{ email: { email: 'x@example.org' } }],
      exclude: [{ ip: { ip: '192.0.2.0/24' } }]
    }
  ],
  users: [
    {
      email: 'alice@example.com',
      name: 'Alice',
      last_successful_login: '2026-01-02T03:04:05Z',
      access_seat: true
    },
    { email: 'bob@example.com', last_successful_login: null }
  ]
}

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ seed })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => emulator.reset())
// Every request the client sent, and every answer, must match the published API (with documented lags).
afterEach(() => assertContract(emulator.requests, { requests: 'all' }))

function client(overrides: Partial<CloudflareClientOptions> = {}) {
  return createCloudflareClient({
    apiUrl: emulator.url,
    accountId: ACCOUNT,
    credentials: { kind: 'token', token: TOKEN },
    sleep: async () => undefined,
    random: () => 0,
    ...overrides
  })
}

function group(name: string) {
  const found = findGroupByName(emulator.state, name)
  if (!found) throw new Error(`no group ${name}`)
  return found
}

function nonEmailRules(name: string): string {
  const g = group(name)
  return JSON.stringify({
    include: g.include.filter((r) => !('email' in r)),
    exclude: g.exclude,
    require: g.require,
    is_default: g.is_default
  })
}

function emailsOf(name: string): string[] {
  return group(name)
    .include.filter((r) => 'email' in r)
    .map((r) => (r.email as { email: string }).email)
}

/** A plan over hand-written operations, with the changes the planner would attach to each operation's delta. */
function planOf(operations: Operation[]): Plan {
  const changes: Change[] = operations.flatMap((operation, index): Change[] => {
    const roleChange = (action: Change['action'], id: string): Change => ({
      key: `role:${id}:${index}`,
      action,
      target: { kind: 'role', name: id, id },
      email: 'email' in operation ? operation.email : 'x',
      cause: action === 'grant' ? 'requested' : 'drift',
      operation: operation.key
    })
    if (operation.type === 'update-member') {
      return [
        ...operation.revoke.map((id) => roleChange('revoke', id)),
        ...operation.grant.map((id) => roleChange('grant', id))
      ]
    }
    if (operation.type === 'remove-member') {
      return operation.revoke.map((id) => roleChange('remove-member', id))
    }
    return [
      {
        key: `group:x:${index}`,
        action: 'add',
        target: { kind: 'group', name: 'x', id: 'x' },
        email: 'x',
        cause: 'requested',
        operation: operation.key
      }
    ]
  })
  return {
    accountId: ACCOUNT,
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

function groupOp(name: string, add: string[], remove: string[]): Operation {
  const { id } = group(name)
  return { type: 'update-group', key: `group:${id}`, groupId: id, groupName: name, add, remove }
}

/** The member write the planner would make to give `email` exactly `roleIds`, against the roles held now. */
function memberOp(email: string, roleIds: string[]): Operation {
  const { id, roles: held } = findMemberByEmail(emulator.state, email)!
  const revoke = held.filter((role) => !roleIds.includes(role))
  const grant = roleIds.filter((role) => !held.includes(role))
  return grant.length === 0 && revoke.length === held.length
    ? { type: 'remove-member', key: `member:${id}`, memberId: id, email, revoke }
    : { type: 'update-member', key: `member:${id}`, memberId: id, email, grant, revoke }
}

function memberId(email: string): string {
  const m = findMemberByEmail(emulator.state, email)
  if (!m) throw new Error(`no member ${email}`)
  return m.id
}

describe('against the emulator', () => {
  it('reads the account snapshot with a token and with a Global API key', async () => {
    const byToken = client()
    await byToken.verifyCredentials()
    const snapshot = await byToken.readAccountSnapshot()
    expect(byToken.requestCount).toBe(5)
    expect(snapshot.groups.map((g) => g.name).sort()).toEqual(['Contractors', 'Engineering'])
    expect(snapshot.groups.find((g) => g.name === 'Engineering')).toEqual({
      id: group('Engineering').id,
      name: 'Engineering',
      include: group('Engineering').include,
      exclude: [{ email_domain: { domain: 'contractors.example.com' } }],
      require: [{ auth_method: { auth_method: 'mfa' } }, { geo: { country_code: 'DE' } }]
    })
    expect(snapshot.roles.map((r) => r.name)).toEqual([
      'Super Administrator - All Privileges',
      'Administrator',
      'DNS',
      'Billing'
    ])
    const byEmail = Object.fromEntries(snapshot.members.map((m) => [m.email, m]))
    expect(byEmail['bob@example.com']).toEqual({
      id: memberId('bob@example.com'),
      email: 'bob@example.com',
      status: 'accepted',
      roles: [{ id: DNS, name: 'DNS' }],
      usesPolicies: false
    })
    expect(byEmail['grace@example.com']!.usesPolicies).toBe(true)
    expect(byEmail['owner@example.com']!.roles).toEqual([
      { id: SUPER_ADMIN_ROLE.id, name: SUPER_ADMIN_ROLE.name }
    ])
    expect(snapshot.users.map((u) => [u.email, u.lastSuccessfulLogin])).toEqual([
      ['alice@example.com', '2026-01-02T03:04:05Z'],
      ['bob@example.com', null]
    ])
    expect(snapshot.credentialEmail).toBeUndefined()

    const byKey = client({ credentials: { kind: 'key', ...KEY } })
    await byKey.verifyCredentials()
    const keySnapshot = await byKey.readAccountSnapshot()
    expect(keySnapshot.credentialEmail).toBe('owner@example.com')
    expect(keySnapshot.members).toEqual(snapshot.members)
    expect(emulator.requests.every((r) => r.status === 200)).toBe(true)
  })

  it('keeps a dashboard edit made between plan and apply, and every non-email rule byte for byte', async () => {
    const engineeringId = group('Engineering').id
    emulator.faults.inject({
      kind: 'mutate',
      match: { method: 'GET', path: new RegExp(`/access/groups/${engineeringId}$`) },
      apply: (state) => {
        const g = state.groups.find((x) => x.id === engineeringId)!
        g.include.push(
          { email: { email: 'dashboard@example.com' } },
          { ip: { ip: '198.51.100.7/32' } }
        )
      }
    })
    const api = client()
    const result = await applyPlan(
      api,
      planOf([groupOp('Engineering', ['carol@example.com'], ['ALICE@example.com'])]),
      { dryRun: false }
    )
    expect(result.operations[0]!.status).toBe('applied')
    expect(api.requestCount).toBe(2)
    expect(group('Engineering').include).toEqual([
      { ip: { ip: '10.0.0.0/8' } },
      { email: { email: 'bob@example.com' } },
      { 'github-organization': { name: 'acme', team: 'eng', identity_provider_id: 'idp-1' } },
      { email: { email: 'dashboard@example.com' } },
      { ip: { ip: '198.51.100.7/32' } },
      { email: { email: 'carol@example.com' } }
    ])
    expect(nonEmailRules('Engineering')).toBe(
      JSON.stringify({
        include: [
          { ip: { ip: '10.0.0.0/8' } },
          { 'github-organization': { name: 'acme', team: 'eng', identity_provider_id: 'idp-1' } },
          { ip: { ip: '198.51.100.7/32' } }
        ],
        exclude: [{ email_domain: { domain: 'contractors.example.com' } }],
        require: [{ auth_method: { auth_method: 'mfa' } }, { geo: { country_code: 'DE' } }]
      })
    )
    // The group was listed without is_default (as Cloudflare lists it), so the PUT does not invent one.
    const puts = emulator.requests.filter((r) => r.method === 'PUT')
    expect(puts.length).toBeGreaterThan(0)
    for (const put of puts) expect(put.body).not.toHaveProperty('is_default')
  })

  it('survives a partial failure and converges on re-run without duplicate rules', async () => {
    const before = { eng: nonEmailRules('Engineering'), con: nonEmailRules('Contractors') }
    const contractorsId = group('Contractors').id
    emulator.faults.inject({
      kind: 'status',
      status: 500,
      match: { method: 'PUT', path: new RegExp(`/access/groups/${contractorsId}$`) },
      times: 2
    })
    const plan = planOf([
      groupOp('Engineering', ['carol@example.com'], []),
      groupOp('Contractors', ['y@example.org'], ['x@example.org']),
      memberOp('alice@example.com', [ADMIN, BILLING])
    ])
    const first = await applyPlan(client({ maxRetries: 1 }), plan, { dryRun: false })
    expect(first.operations.map((o) => o.status)).toEqual(['applied', 'failed', 'applied'])
    expect(first.operations[1]!.reason).toContain('HTTP 500 on each of 2 attempts.')
    expect({ applied: first.applied, failed: first.failed, skipped: first.skipped }).toEqual({
      applied: 2,
      failed: 1,
      skipped: 0
    })
    expect(emailsOf('Contractors')).toEqual(['x@example.org'])

    const second = await applyPlan(client(), plan, { dryRun: false })
    // Already-done writes are found by re-reading: the group and the member are skipped, nothing is duplicated.
    expect(second.operations.map((o) => o.status)).toEqual(['skipped', 'applied', 'skipped'])
    expect(emailsOf('Engineering')).toEqual([
      'Alice@Example.com',
      'bob@example.com',
      'carol@example.com'
    ])
    expect(emailsOf('Contractors')).toEqual(['y@example.org'])
    // Role sets are sets: Cloudflare does not promise an order.
    expect([...findMemberByEmail(emulator.state, 'alice@example.com')!.roles].sort()).toEqual(
      [ADMIN, BILLING].sort()
    )
    expect({ eng: nonEmailRules('Engineering'), con: nonEmailRules('Contractors') }).toEqual(before)
  })

  it('keeps a role given in the dashboard between the plan and the member write', async () => {
    const aliceId = memberId('alice@example.com')
    const plan = planOf([memberOp('alice@example.com', [ADMIN, BILLING])])
    emulator.faults.inject({
      kind: 'mutate',
      match: { method: 'GET', path: new RegExp(`/members/${aliceId}$`) },
      apply: (state) => {
        findMemberById(state, aliceId)!.roles.push(DNS)
      }
    })

    const result = await applyPlan(client(), plan, { dryRun: false })

    expect(result.operations[0]!.status).toBe('applied')
    expect([...findMemberById(emulator.state, aliceId)!.roles].sort()).toEqual(
      [ADMIN, BILLING, DNS].sort()
    )
    const put = emulator.requests.find((r) => r.method === 'PUT')!
    expect(put.body).toEqual({ roles: [ADMIN, BILLING, DNS].sort().map((id) => ({ id })) })
  })

  it('after a read of the account, re-reads two changed groups with one list request, keeping a dashboard edit made after the plan', async () => {
    const api = client()
    await api.readAccountSnapshot()
    const engineeringId = group('Engineering').id
    // The dashboard edit lands after the plan's read, just before apply's re-read by list.
    emulator.faults.inject({
      kind: 'mutate',
      match: { method: 'GET', path: /\/access\/groups$/ },
      apply: (state) => {
        state.groups
          .find((x) => x.id === engineeringId)!
          .include.push({ email: { email: 'dashboard@example.com' } })
      }
    })
    const before = emulator.requests.length
    const result = await applyPlan(
      api,
      planOf([
        groupOp('Engineering', ['carol@example.com'], []),
        groupOp('Contractors', ['z@example.org'], [])
      ]),
      { dryRun: false }
    )
    expect(result.operations.map((r) => r.status)).toEqual(['applied', 'applied'])
    expect(
      emulator.requests
        .slice(before)
        .map((r) => `${r.method} ${r.path.replace(/^.*\/accounts\/[^/]+/, '')}`)
    ).toEqual([
      'GET /access/groups',
      `PUT /access/groups/${engineeringId}`,
      `PUT /access/groups/${group('Contractors').id}`
    ])
    expect(emailsOf('Engineering')).toEqual([
      'Alice@Example.com',
      'bob@example.com',
      'dashboard@example.com',
      'carol@example.com'
    ])
    expect(emailsOf('Contractors')).toEqual(['x@example.org', 'z@example.org'])
  })

  it('invites a new member, and skips the same invitation once they are a member', async () => {
    const api = client()
    const plan = planOf([
      {
        type: 'invite-member',
        key: 'invite:new@example.com',
        email: 'new@example.com',
        roleIds: [DNS]
      }
    ])
    const first = await applyPlan(api, plan, { dryRun: false })
    expect(first.operations[0]!.status).toBe('applied')
    const invited = findMemberByEmail(emulator.state, 'new@example.com')!
    expect(invited.status).toBe('pending')
    expect(invited.roles).toEqual([DNS])
    const post = emulator.requests.find((r) => r.method === 'POST')!
    expect(post.body).toEqual({ email: 'new@example.com', roles: [DNS] })

    const second = await applyPlan(api, plan, { dryRun: false })
    expect(second.operations[0]!.status).toBe('skipped')
    expect(second.operations[0]!.reason).toContain('new@example.com became a member of the account')
    expect(emulator.state.members.filter((m) => m.user.email === 'new@example.com')).toHaveLength(1)
  })

  it('removes a member whose last role is revoked and leaves policy members untouched', async () => {
    const grace = structuredClone(findMemberByEmail(emulator.state, 'grace@example.com'))
    const bobId = memberId('bob@example.com')
    const result = await applyPlan(client(), planOf([memberOp('bob@example.com', [])]), {
      dryRun: false
    })
    expect(result.operations[0]!.status).toBe('applied')
    expect(findMemberByEmail(emulator.state, 'bob@example.com')).toBeUndefined()
    expect(findMemberByEmail(emulator.state, 'grace@example.com')).toEqual(grace)
    expect(emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /client/v4/accounts/${ACCOUNT}/members/${bobId}`,
      `DELETE /client/v4/accounts/${ACCOUNT}/members/${bobId}`
    ])
  })

  it('retries a dropped connection and a rate limit during apply', async () => {
    const waits: number[] = []
    emulator.faults.inject({ kind: 'drop-connection', match: { method: 'PUT' } })
    emulator.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 3, match: { method: 'GET' } })
    const api = client({ sleep: async (ms) => void waits.push(ms) })
    const result = await applyPlan(api, planOf([groupOp('Contractors', ['z@example.org'], [])]), {
      dryRun: false
    })
    expect(result.operations[0]!.status).toBe('applied')
    expect(api.requestCount).toBe(4)
    expect(waits).toEqual([3000, 0])
    expect(emailsOf('Contractors')).toEqual(['x@example.org', 'z@example.org'])
  })

  it('makes no request in a dry run', async () => {
    const api = client()
    const result = await applyPlan(api, planOf([groupOp('Contractors', ['z@example.org'], [])]), {
      dryRun: true
    })
    expect(result.skipped).toBe(1)
    expect(api.requestCount).toBe(0)
    expect(emulator.requests).toEqual([])
  })

  it('names the missing permission when a read-only token tries to write', async () => {
    emulator.state.credentials.tokens[0]!.scopes = [
      'access:read',
      'access-users:read',
      'members:read'
    ]
    const result = await applyPlan(
      client(),
      planOf([groupOp('Contractors', ['z@example.org'], [])]),
      {
        dryRun: false
      }
    )
    expect(result.operations[0]!.status).toBe('failed')
    expect(result.operations[0]!.reason).toContain(
      'The API token lacks the "Access: Organizations, Identity Providers, and Groups Edit" permission'
    )
    expect(result.operations[0]!.reason).not.toContain(TOKEN)
  })
})

/** Plan options for the plans made here against the emulator. */
const options = {
  now: new Date('2026-03-01T00:00:00Z'),
  expiryWarningDays: 14,
  allowMassRemoval: true,
  allowLockout: false
}

describe('plan, apply, re-plan against the emulator', () => {
  const at = (line: number) => ({ file: 'access.yaml', line, column: 1 })
  const grant = (email: string, line: number) => ({
    email,
    key: email.toLowerCase(),
    source: at(line)
  })
  const desired: DesiredState = {
    accountId: ACCOUNT,
    settings: {},
    groups: [
      {
        name: 'Engineering',
        mode: 'authoritative',
        owners: [],
        members: [grant('alice@example.com', 3), grant('Carol@example.com', 4)],
        source: at(1)
      }
    ],
    roles: [
      {
        name: 'Billing',
        owners: [],
        members: [grant('alice@example.com', 8), grant('new@example.com', 9)],
        source: at(7)
      },
      { name: 'DNS', owners: [], members: [], source: at(11) }
    ],
    files: ['access.yaml']
  }

  it('applies the engine plan exactly and converges to an empty plan', async () => {
    const api = client()
    const plan = planChanges(desired, await api.readAccountSnapshot(), options)
    expect(plan.operations.map((o) => o.type).sort()).toEqual([
      'invite-member',
      'remove-member',
      'update-group',
      'update-member'
    ])
    const result = await applyPlan(api, plan, { dryRun: false })
    expect(result.failed).toBe(0)
    expect(result.skipped).toBe(0)
    expect(result.applied).toBe(plan.changes.length)

    expect(emailsOf('Engineering')).toEqual(['Alice@Example.com', 'Carol@example.com'])
    expect(findMemberByEmail(emulator.state, 'bob@example.com')).toBeUndefined()
    expect(findMemberByEmail(emulator.state, 'alice@example.com')!.roles.sort()).toEqual(
      [ADMIN, BILLING].sort()
    )
    expect(findMemberByEmail(emulator.state, 'new@example.com')!.roles).toEqual([BILLING])

    const again = planChanges(desired, await api.readAccountSnapshot(), options)
    expect(again.changes).toEqual([])
    expect(again.operations).toEqual([])
  })
})

describe('objects deleted after the plan was made', () => {
  it('fails the group and member operations with a reason, and skips a removal already done', async () => {
    const contractors = group('Contractors')
    // The writes as planned before the deletions.
    const contractorsWrite = groupOp('Contractors', ['z@example.org'], [])
    const alice = memberOp('alice@example.com', [DNS])
    const bob = memberOp('bob@example.com', [])
    const aliceId = memberId('alice@example.com')
    const bobId = memberId('bob@example.com')
    emulator.state.groups = emulator.state.groups.filter((g) => g.id !== contractors.id)
    emulator.state.members = emulator.state.members.filter(
      (m) => m.id !== aliceId && m.id !== bobId
    )
    const result = await applyPlan(client(), planOf([contractorsWrite, alice, bob]), {
      dryRun: false
    })
    expect(result.operations.map((o) => [o.status, o.reason])).toEqual([
      [
        'failed',
        `the Access group "Contractors" (${contractors.id}) no longer exists in Cloudflare; it was deleted after the plan was made. Re-run the plan.`
      ],
      [
        'failed',
        'alice@example.com is no longer a member of the account (removed since the plan was made), so their roles were not changed. Re-run the plan.'
      ],
      [
        'skipped',
        'bob@example.com is no longer a member of the account (removed since the plan was made).'
      ]
    ])
  })
})

describe('a larger account', () => {
  const bigSeed: AccountSeed = {
    ...seed,
    members: [
      { email: 'owner@example.com', roles: [SUPER_ADMIN_ROLE.id] },
      ...Array.from({ length: 119 }, (_, i) => ({
        email: `person${i + 1}@example.com`,
        roles: ['DNS']
      }))
    ],
    roles: Array.from({ length: 55 }, (_, i) => ({
      id: (i + 1).toString(16).padStart(32, '0'),
      name: `Role ${i + 1}`
    })).concat([{ id: DNS, name: 'DNS' }])
  }

  it('reads every page once and stays inside a request budget below the server limit', async () => {
    const big = await startEmulator({ seed: bigSeed, rateLimit: { limit: 4, windowMs: 300 } })
    try {
      const api = createCloudflareClient({
        apiUrl: big.url,
        accountId: ACCOUNT,
        credentials: { kind: 'token', token: TOKEN },
        // Real sleeps; the client's window is longer than the server's so clock skew cannot cause a 429.
        budget: { requests: 4, windowMs: 400 },
        concurrency: 3
      })
      const snapshot = await api.readAccountSnapshot()
      expect(snapshot.members).toHaveLength(120)
      expect(snapshot.roles).toHaveLength(57)
      // members: 3 pages of 50; roles: 2 pages of 50; groups and users: 1 page each.
      expect(api.requestCount).toBe(7)
      expect(big.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200, 200])
      const memberPages = big.requests
        .filter((r) => r.path.endsWith('/members'))
        .map((r) => r.query.page)
        .sort()
      expect(memberPages).toEqual(['1', '2', '3'])
      assertContract(big.requests, { requests: 'all' })
    } finally {
      await big.close()
    }
  })
})

describe('Super Administrator, listed by GET /roles or not', () => {
  const desired: DesiredState = {
    accountId: ACCOUNT,
    settings: {},
    groups: [],
    // Nobody left holding it: the owner's Super Administrator would be revoked.
    roles: [
      {
        name: SUPER_ADMIN_ROLE.name,
        owners: [],
        members: [],
        source: { file: 'access.yaml', line: 1, column: 1 }
      }
    ],
    files: ['access.yaml']
  }

  it.each([true, false])(
    'list_super_administrator: %s: the snapshot has it exactly once, and the last-super-admin guard holds',
    async (listed) => {
      emulator.reset({ ...seed, list_super_administrator: listed })
      const snapshot = await client().readAccountSnapshot()
      expect(snapshot.roles.filter((r) => r.id === SUPER_ADMIN_ROLE.id)).toEqual([
        {
          id: SUPER_ADMIN_ROLE.id,
          name: SUPER_ADMIN_ROLE.name,
          ...(listed ? { description: expect.any(String) } : {})
        }
      ])
      expect(snapshot.roles).toHaveLength(4)
      const plan = planChanges(desired, snapshot, options)
      expect(plan.changes.map((c) => [c.action, c.email])).toEqual([
        ['remove-member', 'owner@example.com']
      ])
      expect(plan.guards.map((g) => [g.guard, g.overridden])).toEqual([['last-super-admin', false]])
      emulator.reset(seed)
    }
  )
})

describe('verifying an account-owned token against the emulator', () => {
  const legacy = 'account-token-0123456789abcdef0123456789'
  const prefixed = 'cfat_0123456789abcdef0123456789abcdef01234567'
  const withAccountTokens: AccountSeed = {
    ...seed,
    credentials: {
      tokens: [
        { value: TOKEN },
        { value: legacy, owner: 'account' },
        { value: prefixed, owner: 'account' }
      ],
      keys: [KEY]
    }
  }

  it.each([
    // No prefix: the user endpoint answers 401, then the account endpoint verifies it.
    [legacy, ['/client/v4/user/tokens/verify', `/client/v4/accounts/${ACCOUNT}/tokens/verify`]],
    // cfat_ says account-owned: one request.
    [prefixed, [`/client/v4/accounts/${ACCOUNT}/tokens/verify`]],
    [TOKEN, ['/client/v4/user/tokens/verify']]
  ])('%s', async (token, paths) => {
    emulator.reset(withAccountTokens)
    const api = client({ credentials: { kind: 'token', token } })
    await api.verifyCredentials()
    expect(emulator.requests.map((entry) => [entry.path, entry.status])).toEqual(
      paths.map((path, i) => [path, i === paths.length - 1 ? 200 : 401])
    )
    expect(api.requestCount).toBe(paths.length)
    emulator.reset(seed)
  })
})
