import { describe, expect, it } from 'vitest'
import {
  applyMembershipChange,
  isPlanBlocked,
  planBlockers,
  planChanges
} from '../../src/diff/index.js'
import type { Plan } from '../../src/model/index.js'
import {
  ACCOUNT_ID,
  DAY,
  at,
  desired,
  emailRule,
  fromNow,
  grant,
  groupSpec,
  liveGroup,
  options,
  snapshot,
  user
} from '../fixtures/diff/builders.js'

const IP = { ip: { ip: '10.0.0.0/8' } }
const NESTED = { group: { id: 'a0b1c2d3-0000-4000-8000-000000000001' } }
const DOMAIN = { email_domain: { domain: 'example.com' } }
const MFA = { auth_method: { auth_method: 'mfa' } }

describe('planChanges: group membership', () => {
  it('changes only email include rules and leaves every other rule where it is', () => {
    const group = liveGroup(
      'g-eng',
      'Engineering',
      [IP, emailRule('alice@example.com'), NESTED, emailRule('bob@example.com'), DOMAIN],
      { exclude: [emailRule('eve@example.com')], require: [MFA] }
    )
    const plan = planChanges(
      desired({
        groups: [
          groupSpec('Engineering', [
            grant('alice@example.com', { line: 4 }),
            grant('Carol@Example.com', { line: 5, reason: 'on-call' })
          ])
        ]
      }),
      snapshot({
        groups: [group],
        users: [user('alice@example.com'), user('carol@example.com')]
      }),
      options()
    )
    const target = { kind: 'group', name: 'Engineering', id: 'g-eng' }
    expect(plan).toEqual<Plan>({
      accountId: ACCOUNT_ID,
      generatedAt: '2025-06-01T12:00:00.000Z',
      changes: [
        {
          key: 'group:g-eng:bob@example.com',
          action: 'remove',
          target,
          email: 'bob@example.com',
          cause: 'drift',
          operation: 'group:g-eng'
        },
        {
          key: 'group:g-eng:carol@example.com',
          action: 'add',
          target,
          email: 'Carol@Example.com',
          cause: 'requested',
          reason: 'on-call',
          source: at(5),
          operation: 'group:g-eng'
        }
      ] as Plan['changes'],
      operations: [
        {
          type: 'update-group',
          key: 'group:g-eng',
          groupId: 'g-eng',
          groupName: 'Engineering',
          add: ['Carol@Example.com'],
          remove: ['bob@example.com']
        }
      ],
      findings: [],
      guards: [],
      expiring: [],
      managed: { groups: [{ kind: 'group', name: 'Engineering', id: 'g-eng' }], roles: [] },
      unmanaged: {
        groups: [],
        roles: [
          { id: 'a1'.repeat(16), name: 'Administrator' },
          { id: 'd1'.repeat(16), name: 'Analytics' },
          { id: 'b1'.repeat(16), name: 'Billing' },
          { id: 'c1'.repeat(16), name: 'DNS' },
          { id: '33666b9c79b9a5273fc7344ff42f953d', name: 'Super Administrator - All Privileges' }
        ]
      },
      stats: { additions: 1, removals: 1, grantsUnderManagement: 2, removalLimit: 10 }
    })
    const op = plan.operations[0]
    if (op.type !== 'update-group') throw new Error('expected an update-group operation')
    expect(applyMembershipChange(group.include, op.add, op.remove)).toEqual([
      IP,
      emailRule('alice@example.com'),
      NESTED,
      DOMAIN,
      emailRule('Carol@Example.com')
    ])
  })

  it('treats a different spelling of the same address as no change', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('alice@example.com')])] }),
      snapshot({
        groups: [liveGroup('g-ops', 'Ops', [emailRule(' Alice@Example.COM')])],
        users: [user('ALICE@example.com')]
      }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.operations).toEqual([])
    expect(plan.findings).toEqual([])
  })

  it('removes an address stored twice in different case with one change, leaving no stale rule', () => {
    const include = [emailRule('BOB@example.com'), IP, emailRule('bob@example.com')]
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [])] }),
      snapshot({ groups: [liveGroup('g-ops', 'Ops', include)] }),
      options()
    )
    expect(plan.changes).toEqual([
      {
        key: 'group:g-ops:bob@example.com',
        action: 'remove',
        target: { kind: 'group', name: 'Ops', id: 'g-ops' },
        email: 'BOB@example.com',
        cause: 'drift',
        operation: 'group:g-ops'
      }
    ])
    expect(plan.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:g-ops',
        groupId: 'g-ops',
        groupName: 'Ops',
        add: [],
        remove: ['BOB@example.com']
      }
    ])
    expect(applyMembershipChange(include, [], ['BOB@example.com'])).toEqual([IP])
    expect(plan.stats.grantsUnderManagement).toBe(1)
  })

  it('never touches groups the file does not name', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('a@example.com')])] }),
      snapshot({
        groups: [
          liveGroup('g-z', 'Zeta', [emailRule('x@example.com')]),
          liveGroup('g-ops', 'Ops', [emailRule('a@example.com')]),
          liveGroup('g-a', 'Alpha', [emailRule('y@example.com')])
        ],
        users: [user('a@example.com')]
      }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.unmanaged.groups).toEqual([
      { id: 'g-a', name: 'Alpha' },
      { id: 'g-z', name: 'Zeta' }
    ])
    expect(plan.stats.grantsUnderManagement).toBe(1)
  })
})

describe('planChanges: operation contents', () => {
  it('lists added and removed e-mails by address, whatever the order of rules and file entries', () => {
    const plan = planChanges(
      desired({
        groups: [groupSpec('Ops', [grant('z@x.io'), grant('keep@x.io'), grant('m@x.io')])]
      }),
      snapshot({
        groups: [
          liveGroup('g-ops', 'Ops', [
            emailRule('c@x.io'),
            emailRule('keep@x.io'),
            emailRule('A@x.io')
          ])
        ],
        users: ['z@x.io', 'keep@x.io', 'm@x.io'].map(user)
      }),
      options()
    )
    expect(plan.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:g-ops',
        groupId: 'g-ops',
        groupName: 'Ops',
        add: ['m@x.io', 'z@x.io'],
        remove: ['A@x.io', 'c@x.io']
      }
    ])
    expect(plan.changes.map((c) => `${c.action} ${c.email}`)).toEqual([
      'remove A@x.io',
      'remove c@x.io',
      'add m@x.io',
      'add z@x.io'
    ])
  })

  it('keeps a member listed twice when one of the entries has expired', () => {
    const plan = planChanges(
      desired({
        groups: [groupSpec('Ops', [grant('a@x.io', { expires: '2025-01-01' }), grant('A@x.io')])]
      }),
      snapshot({
        groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io')])],
        users: [user('a@x.io')]
      }),
      options()
    )
    expect(plan.changes).toEqual([])
  })
})

describe('planChanges: expiry', () => {
  const target = { kind: 'group', name: 'Ops', id: 'g-ops' }
  const users = ['now@x.io', 'past@x.io', 'soon@x.io', 'new@x.io'].map(user)

  it('counts a grant expiring exactly now (or earlier) as absent and one 1 ms later as present', () => {
    const plan = planChanges(
      desired({
        groups: [
          groupSpec('Ops', [
            grant('now@x.io', { expires: fromNow(0), line: 3 }),
            grant('past@x.io', { expires: fromNow(-1), line: 4 }),
            grant('soon@x.io', { expires: fromNow(1), line: 5 }),
            grant('new@x.io', { expires: fromNow(0), line: 6 }),
            grant('keep@x.io')
          ])
        ]
      }),
      snapshot({
        groups: [
          liveGroup('g-ops', 'Ops', [
            emailRule('now@x.io'),
            emailRule('past@x.io'),
            emailRule('keep@x.io')
          ])
        ],
        users: [...users, user('keep@x.io')]
      }),
      options()
    )
    expect(plan.changes).toEqual([
      {
        key: 'group:g-ops:now@x.io',
        action: 'remove',
        target,
        email: 'now@x.io',
        cause: 'expired',
        expires: '2025-06-01T12:00:00.000Z',
        source: at(3),
        operation: 'group:g-ops'
      },
      {
        key: 'group:g-ops:past@x.io',
        action: 'remove',
        target,
        email: 'past@x.io',
        cause: 'expired',
        expires: '2025-06-01T11:59:59.999Z',
        source: at(4),
        operation: 'group:g-ops'
      },
      {
        key: 'group:g-ops:soon@x.io',
        action: 'add',
        target,
        email: 'soon@x.io',
        cause: 'requested',
        expires: '2025-06-01T12:00:00.001Z',
        source: at(5),
        operation: 'group:g-ops'
      }
    ])
    expect(plan.expiring).toEqual([
      { target, email: 'soon@x.io', expires: '2025-06-01T12:00:00.001Z', daysLeft: 1 }
    ])
  })

  it('reads a bare date as 00:00 UTC that day', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('a@x.io', { expires: '2025-06-01' })])] }),
      snapshot({ groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io'), IP])] }),
      options()
    )
    expect(plan.changes.map((c) => [c.action, c.cause, c.email])).toEqual([
      ['remove', 'expired', 'a@x.io']
    ])
  })

  it('flags grants ending within the warning window with days left rounded up', () => {
    const emails = ['d1@x.io', 'd2@x.io', 'd14@x.io', 'd15@x.io', 'never@x.io']
    const plan = planChanges(
      desired({
        groups: [
          groupSpec('Ops', [
            grant('d1@x.io', { expires: fromNow(DAY) }),
            grant('d2@x.io', { expires: fromNow(DAY + 1) }),
            grant('d14@x.io', { expires: fromNow(14 * DAY) }),
            grant('d15@x.io', { expires: fromNow(14 * DAY + 1) }),
            grant('never@x.io')
          ])
        ]
      }),
      snapshot({
        groups: [liveGroup('g-ops', 'Ops', emails.map(emailRule))],
        users: emails.map(user)
      }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.expiring).toEqual([
      // Code-point order: '4' sorts before '@'.
      { target, email: 'd14@x.io', expires: '2025-06-15T12:00:00.000Z', daysLeft: 14 },
      { target, email: 'd1@x.io', expires: '2025-06-02T12:00:00.000Z', daysLeft: 1 },
      { target, email: 'd2@x.io', expires: '2025-06-02T12:00:00.001Z', daysLeft: 2 }
    ])
  })

  it('uses the configured warning window', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('a@x.io', { expires: fromNow(3 * DAY) })])] }),
      snapshot({
        groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io')])],
        users: [user('a@x.io')]
      }),
      options({ expiryWarningDays: 2 })
    )
    expect(plan.expiring).toEqual([])
  })
})

describe('planChanges: additive mode', () => {
  it('adds requested members and removes expired ones but keeps drift', () => {
    const plan = planChanges(
      desired({
        groups: [
          groupSpec(
            'Contractors',
            [grant('new@x.io', { line: 2 }), grant('old@x.io', { expires: '2025-01-01', line: 3 })],
            { mode: 'additive' }
          )
        ]
      }),
      snapshot({
        groups: [liveGroup('g-c', 'Contractors', [emailRule('drift@x.io'), emailRule('Old@x.io')])],
        users: [user('new@x.io')]
      }),
      options()
    )
    const target = { kind: 'group', name: 'Contractors', id: 'g-c' }
    expect(plan.changes).toEqual([
      {
        key: 'group:g-c:old@x.io',
        action: 'remove',
        target,
        email: 'Old@x.io',
        cause: 'expired',
        expires: '2025-01-01',
        source: at(3),
        operation: 'group:g-c'
      },
      {
        key: 'group:g-c:new@x.io',
        action: 'add',
        target,
        email: 'new@x.io',
        cause: 'requested',
        source: at(2),
        operation: 'group:g-c'
      }
    ])
    expect(plan.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:g-c',
        groupId: 'g-c',
        groupName: 'Contractors',
        add: ['new@x.io'],
        remove: ['Old@x.io']
      }
    ])
  })
})

describe('planChanges: group resolution', () => {
  const groups = [
    liveGroup('g-2', 'Ops', [IP]),
    liveGroup('g-1', 'Ops', [IP]),
    liveGroup('g-eng', 'Engineering', [IP]),
    liveGroup('g-typo', 'Enginering', [IP]),
    liveGroup('g-eng-ops', 'engineering-ops', [IP])
  ]

  it('reports an unknown group with did-you-mean suggestions and never creates it', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('engineering', [grant('a@x.io')], { line: 9 })] }),
      snapshot({ groups, users: [user('a@x.io')] }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'unknown-group',
        severity: 'error',
        message:
          `Access group "engineering" (access/team.yaml:9) does not exist in Cloudflare account ${ACCOUNT_ID}. ` +
          'Did you mean "Engineering" or "Enginering"? Groups are never created by this action: create ' +
          'the group in Cloudflare Zero Trust first, or correct the name in the access file.',
        target: { kind: 'group', name: 'engineering' },
        suggestions: ['Engineering', 'Enginering'],
        source: at(9)
      }
    ])
    expect(plan.changes).toEqual([])
    expect(plan.operations).toEqual([])
    expect(plan.managed.groups).toEqual([])
    expect(plan.unmanaged.groups.map((g) => g.id)).toEqual([
      'g-eng',
      'g-typo',
      'g-1',
      'g-2',
      'g-eng-ops'
    ])
  })

  it('offers no suggestion when nothing is close', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Finance', [])] }),
      snapshot({ groups }),
      options()
    )
    expect(plan.findings[0].suggestions).toEqual([])
    expect(plan.findings[0].message).not.toContain('Did you mean')
  })

  it('asks for an id when several groups share the name', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('a@x.io')], { line: 2 })] }),
      snapshot({ groups, users: [user('a@x.io')] }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'ambiguous-group',
        severity: 'error',
        message:
          '2 Access groups are named "Ops" (ids g-1, g-2). Add `id:` with the id of the one to manage ' +
          'to the group in access/team.yaml:2.',
        target: { kind: 'group', name: 'Ops' },
        source: at(2)
      }
    ])
    expect(plan.changes).toEqual([])
  })

  it('manages the pinned group when an id disambiguates', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('a@x.io')], { id: 'g-2' })] }),
      snapshot({ groups, users: [user('a@x.io')] }),
      options()
    )
    expect(plan.findings).toEqual([])
    expect(plan.managed.groups).toEqual([{ kind: 'group', name: 'Ops', id: 'g-2' }])
    expect(plan.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:g-2',
        groupId: 'g-2',
        groupName: 'Ops',
        add: ['a@x.io'],
        remove: []
      }
    ])
  })

  it('reports an id that names another group', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [], { id: 'g-eng', line: 5 })] }),
      snapshot({ groups }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'group-id-mismatch',
        severity: 'error',
        message:
          'Access group id "g-eng" (access/team.yaml:5) is named "Engineering" in Cloudflare, not "Ops". ' +
          'Correct the name or the id in the access file so both point at the same group.',
        target: { kind: 'group', name: 'Ops' },
        source: at(5)
      }
    ])
    expect(plan.managed.groups).toEqual([])
  })

  it('reports an id no group has, pointing at groups of the same name', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Engineering', [], { id: 'g-gone', line: 5 })] }),
      snapshot({ groups }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'unknown-group',
        severity: 'error',
        message:
          'No Access group has id "g-gone" (group "Engineering" in access/team.yaml:5). Cloudflare has ' +
          'a group named "Engineering" with id "g-eng": use that id.',
        target: { kind: 'group', name: 'Engineering' },
        source: at(5)
      }
    ])
  })
})

describe('planChanges: findings about members', () => {
  it('refuses to empty a group include and says what to do', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [], { line: 8 })] }),
      snapshot({ groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io')])] }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'empty-include',
        severity: 'error',
        message:
          'Access group "Ops" (access/team.yaml:8) would be left with no include rules after removing ' +
          '1 e-mail(s), and Cloudflare rejects a group with an empty include. Keep at least one member ' +
          'in the access file, or first add a non-email include rule (an email domain or identity ' +
          'provider group, for example) to the group in Cloudflare.',
        target: { kind: 'group', name: 'Ops' },
        source: at(8)
      }
    ])
    expect(plan.changes.map((c) => c.email)).toEqual(['a@x.io'])
  })

  it('blocks a plan that would push a group past 1,000 rules, counting include, exclude and require', () => {
    const held = Array.from({ length: 996 }, (_, i) => emailRule(`held${i}@x.io`))
    const live = snapshot({
      groups: [liveGroup('g-ops', 'Ops', [...held, DOMAIN], { exclude: [IP], require: [MFA] })]
    })
    const members = (extra: number) => [
      ...held.map((_, i) => grant(`held${i}@x.io`)),
      ...Array.from({ length: extra }, (_, i) => grant(`new${i}@x.io`))
    ]
    const limits = (plan: Plan) => plan.findings.filter((f) => f.kind === 'group-limit')
    // 996 + 1 + 1 + 1 = 999 now: one more fits exactly, two more do not.
    const fits = planChanges(
      desired({ groups: [groupSpec('Ops', members(1), { line: 8 })] }),
      live,
      options()
    )
    expect(limits(fits)).toEqual([])
    const over = planChanges(
      desired({ groups: [groupSpec('Ops', members(2), { line: 8 })] }),
      live,
      options()
    )
    expect(limits(over)).toEqual([
      {
        kind: 'group-limit',
        severity: 'error',
        message:
          'Access group "Ops" (access/team.yaml:8) would hold 1001 rules across include, exclude and ' +
          'require after adding 2 e-mail(s), and Cloudflare allows at most 1000 rules per group. Put ' +
          'these people in an e-mail list (Zero Trust lists, one rule for up to 1,000 addresses) or an ' +
          'identity-provider group and include that instead.',
        target: { kind: 'group', name: 'Ops' },
        source: at(8)
      }
    ])
    expect(isPlanBlocked(over)).toBe(true)
    expect(planBlockers(over)).toContain(limits(over)[0]!.message)
  })

  it('refuses a group name longer than Cloudflare allows (350 characters)', () => {
    const long = 'G'.repeat(351)
    const plan = planChanges(
      desired({ groups: [groupSpec(long, [grant('a@x.io')], { line: 3 })] }),
      snapshot({ groups: [liveGroup('g-ops', 'Ops', [DOMAIN])] }),
      options()
    )
    expect(plan.findings.filter((f) => f.kind !== 'no-zero-trust-user')).toEqual([
      {
        kind: 'group-limit',
        severity: 'error',
        message:
          'Access group name in access/team.yaml:3 is 351 characters long; Cloudflare allows at most ' +
          "350, so no group can have it. Use the group's name as Cloudflare Zero Trust shows it.",
        target: { kind: 'group', name: long },
        source: at(3)
      }
    ])
    expect(plan.operations).toEqual([])
  })

  it('accepts removing every email rule when another include rule remains', () => {
    const plan = planChanges(
      desired({ groups: [groupSpec('Ops', [])] }),
      snapshot({ groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io'), DOMAIN])] }),
      options()
    )
    expect(plan.findings).toEqual([])
    expect(plan.stats.removals).toBe(1)
  })

  it('warns once per address with no Zero Trust user, however many groups name it', () => {
    const plan = planChanges(
      desired({
        groups: [
          groupSpec('A', [grant('ghost@x.io', { line: 3 }), grant('real@x.io')]),
          groupSpec('B', [
            grant('Ghost@X.io', { line: 7 }),
            grant('gone@x.io', { expires: '2025-01-01' })
          ])
        ]
      }),
      snapshot({
        groups: [
          liveGroup('g-a', 'A', [emailRule('ghost@x.io'), emailRule('real@x.io')]),
          liveGroup('g-b', 'B', [emailRule('ghost@x.io'), IP])
        ],
        users: [user('REAL@x.io')]
      }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'no-zero-trust-user',
        severity: 'warning',
        message:
          'ghost@x.io (access/team.yaml:3) has no Zero Trust user record: they have not logged in ' +
          'through Cloudflare Access yet, or the address is misspelled. The group grant takes effect ' +
          'once they log in with exactly this address.',
        email: 'ghost@x.io',
        source: at(3)
      }
    ])
  })
})

describe('planChanges: the same target described twice', () => {
  it('refuses two entries for one group instead of treating either one as drift', () => {
    const plan = planChanges(
      desired({
        groups: [
          groupSpec('Ops', [grant('a@x.io')], { line: 2 }),
          groupSpec('Ops', [grant('b@x.io')], { id: 'g-ops', line: 9 })
        ]
      }),
      snapshot({
        groups: [liveGroup('g-ops', 'Ops', [emailRule('a@x.io'), emailRule('b@x.io')])],
        users: [user('a@x.io'), user('b@x.io')]
      }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'ambiguous-group',
        severity: 'error',
        message:
          'Access group "Ops" (id g-ops) is described twice, at access/team.yaml:2 and ' +
          'access/team.yaml:9. Merge the two entries into one.',
        target: { kind: 'group', name: 'Ops' },
        source: at(9)
      }
    ])
    expect(plan.changes).toEqual([])
    expect(plan.managed.groups).toEqual([])
  })
})
