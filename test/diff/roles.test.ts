import { describe, expect, it } from 'vitest'
import { planChanges } from '../../src/diff/index.js'
import type { Plan } from '../../src/model/index.js'
import {
  ACCOUNT_ID,
  ADMIN,
  ANALYTICS,
  BILLING,
  DNS,
  SUPER,
  at,
  desired,
  grant,
  member,
  options,
  roleSpec,
  snapshot
} from '../fixtures/diff/builders.js'

const adminTarget = { kind: 'role' as const, name: 'Administrator', id: ADMIN.id }
const dnsTarget = { kind: 'role' as const, name: 'DNS', id: DNS.id }

describe('planChanges: account roles', () => {
  it('plans one write per member, ordered, with the complete resulting role set', () => {
    const plan = planChanges(
      desired({
        roles: [
          roleSpec('Administrator', [grant('alice@x.io'), grant('new@x.io', { line: 3 })]),
          roleSpec('DNS', [grant('carol@x.io', { line: 6 }), grant('New@X.io', { line: 7 })])
        ]
      }),
      snapshot({
        members: [
          member('m-dave', 'dave@x.io', [ADMIN, ANALYTICS]),
          member('m-alice', 'Alice@x.io', [ADMIN]),
          member('m-bob', 'bob@x.io', [DNS]),
          member('m-carol', 'carol@x.io', [BILLING])
        ]
      }),
      options()
    )
    expect(plan).toEqual<Plan>({
      accountId: ACCOUNT_ID,
      generatedAt: '2025-06-01T12:00:00.000Z',
      changes: [
        {
          key: `role:${ADMIN.id}:dave@x.io`,
          action: 'revoke',
          target: adminTarget,
          email: 'dave@x.io',
          cause: 'drift',
          operation: 'member:m-dave'
        },
        {
          key: `role:${ADMIN.id}:new@x.io`,
          action: 'invite',
          target: adminTarget,
          email: 'new@x.io',
          cause: 'requested',
          source: at(3),
          operation: 'invite:new@x.io'
        },
        {
          key: `role:${DNS.id}:bob@x.io`,
          action: 'remove-member',
          target: dnsTarget,
          email: 'bob@x.io',
          cause: 'drift',
          operation: 'member:m-bob'
        },
        {
          key: `role:${DNS.id}:carol@x.io`,
          action: 'grant',
          target: dnsTarget,
          email: 'carol@x.io',
          cause: 'requested',
          source: at(6),
          operation: 'member:m-carol'
        },
        {
          key: `role:${DNS.id}:new@x.io`,
          action: 'invite',
          target: dnsTarget,
          email: 'New@X.io',
          cause: 'requested',
          source: at(7),
          operation: 'invite:new@x.io'
        }
      ],
      operations: [
        {
          type: 'update-member',
          key: 'member:m-carol',
          memberId: 'm-carol',
          email: 'carol@x.io',
          grant: [DNS.id],
          revoke: []
        },
        {
          type: 'update-member',
          key: 'member:m-dave',
          memberId: 'm-dave',
          email: 'dave@x.io',
          grant: [],
          revoke: [ADMIN.id]
        },
        {
          type: 'invite-member',
          key: 'invite:new@x.io',
          email: 'new@x.io',
          roleIds: [ADMIN.id, DNS.id]
        },
        {
          type: 'remove-member',
          key: 'member:m-bob',
          memberId: 'm-bob',
          email: 'bob@x.io',
          revoke: [DNS.id]
        }
      ],
      findings: [],
      guards: [],
      expiring: [],
      managed: { groups: [], roles: [adminTarget, dnsTarget] },
      unmanaged: {
        groups: [],
        roles: [
          { id: ANALYTICS.id, name: 'Analytics' },
          { id: BILLING.id, name: 'Billing' },
          { id: SUPER.id, name: SUPER.name }
        ]
      },
      stats: { additions: 3, removals: 2, grantsUnderManagement: 3, removalLimit: 10 }
    })
  })

  it('keeps roles the file does not name when revoking and granting', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Administrator', [grant('carol@x.io')]), roleSpec('DNS', [])] }),
      snapshot({ members: [member('m-carol', 'carol@x.io', [DNS, BILLING, ANALYTICS])] }),
      options()
    )
    expect(plan.changes.map((c) => [c.action, c.target.name, c.operation])).toEqual([
      ['grant', 'Administrator', 'member:m-carol'],
      ['revoke', 'DNS', 'member:m-carol']
    ])
    // The delta names only managed roles: Billing and Analytics, which the file does not name, stay as they are.
    expect(plan.operations).toEqual([
      {
        type: 'update-member',
        key: 'member:m-carol',
        memberId: 'm-carol',
        email: 'carol@x.io',
        grant: [ADMIN.id],
        revoke: [DNS.id]
      }
    ])
  })

  it('revokes an expired role grant with its end date and source, also removing the last role', () => {
    const plan = planChanges(
      desired({
        roles: [
          roleSpec('Administrator', [
            grant('dave@x.io', { expires: '2025-05-01', reason: 'incident', line: 4 })
          ])
        ]
      }),
      snapshot({ members: [member('m-dave', 'dave@x.io', [ADMIN])] }),
      options()
    )
    expect(plan.changes).toEqual([
      {
        key: `role:${ADMIN.id}:dave@x.io`,
        action: 'remove-member',
        target: adminTarget,
        email: 'dave@x.io',
        cause: 'expired',
        expires: '2025-05-01',
        reason: 'incident',
        source: at(4),
        operation: 'member:m-dave'
      }
    ])
    expect(plan.operations).toEqual([
      {
        type: 'remove-member',
        key: 'member:m-dave',
        memberId: 'm-dave',
        email: 'dave@x.io',
        revoke: [ADMIN.id]
      }
    ])
  })

  it('does not invite someone whose only grant has expired', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('DNS', [grant('late@x.io', { expires: '2025-05-31' })])] }),
      snapshot(),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.operations).toEqual([])
  })

  it('never changes members managed by permission policies, and warns when the file names them or they hold a managed role', () => {
    const plan = planChanges(
      desired({
        roles: [roleSpec('Administrator', [grant('pol@x.io', { line: 12 })]), roleSpec('DNS', [])]
      }),
      snapshot({
        members: [
          member('m-pol', 'Pol@x.io', [], { usesPolicies: true }),
          member('m-pol2', 'pol2@x.io', [DNS], { usesPolicies: true })
        ]
      }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.operations).toEqual([])
    expect(plan.findings).toEqual([
      {
        kind: 'policy-member',
        severity: 'warning',
        message:
          'Pol@x.io is named for role "Administrator" (access/team.yaml:12), but their account ' +
          'membership is managed by permission policies, which role management never changes. Remove ' +
          'the entry from the access file, or change their policies in Cloudflare.',
        target: { kind: 'role', name: 'Administrator' },
        email: 'Pol@x.io',
        source: at(12)
      },
      // DNS is managed and does not list pol2, whom anyone else would lose it for: it stays, and the plan says so.
      {
        kind: 'policy-member',
        severity: 'warning',
        message:
          'pol2@x.io holds role "DNS", which the access file does not give them, but their account membership ' +
          'is managed by permission policies, which role management never changes, so they keep it. Add them ' +
          'to the role in the access file, or change their policies in Cloudflare.',
        target: { kind: 'role', name: 'DNS' },
        email: 'pol2@x.io'
      }
    ])
    expect(plan.stats.grantsUnderManagement).toBe(1)
  })

  it('names why a member counts as managed by policies', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('DNS', [grant('pol@x.io', { line: 7 })])] }),
      snapshot({
        members: [
          member('m-pol', 'pol@x.io', [DNS], {
            usesPolicies: true,
            policyReason: 'a permission policy says "deny"'
          })
        ]
      }),
      options()
    )
    expect(plan.operations).toEqual([])
    expect(plan.findings.map((f) => f.message)).toEqual([
      'pol@x.io is named for role "DNS" (access/team.yaml:7), but their account membership is managed by ' +
        'permission policies (a permission policy says "deny"), which role management never changes. ' +
        'Remove the entry from the access file, or change their policies in Cloudflare.'
    ])
  })

  it('reports an unknown role with suggestions', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('Adminstrator', [grant('a@x.io')], 20)] }),
      snapshot({ members: [member('m-a', 'a@x.io', [ADMIN])] }),
      options()
    )
    expect(plan.findings).toEqual([
      {
        kind: 'unknown-role',
        severity: 'error',
        message:
          `Account role "Adminstrator" (access/team.yaml:20) does not exist in Cloudflare account ` +
          `${ACCOUNT_ID}. Did you mean "Administrator"? Use the role's name exactly as Cloudflare lists it.`,
        target: { kind: 'role', name: 'Adminstrator' },
        suggestions: ['Administrator'],
        source: at(20)
      }
    ])
    expect(plan.changes).toEqual([])
    expect(plan.managed.roles).toEqual([])
  })

  it('flags role grants that expire soon', () => {
    const plan = planChanges(
      desired({ roles: [roleSpec('DNS', [grant('a@x.io', { expires: '2025-06-04T00:00:00Z' })])] }),
      snapshot({ members: [member('m-a', 'a@x.io', [DNS])] }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.expiring).toEqual([
      { target: dnsTarget, email: 'a@x.io', expires: '2025-06-04T00:00:00Z', daysLeft: 3 }
    ])
  })
})

describe('planChanges: the same role described twice', () => {
  it('adds up the members of every entry for the role', () => {
    const plan = planChanges(
      desired({
        roles: [roleSpec('DNS', [grant('a@x.io')], 2), roleSpec('DNS', [grant('b@x.io')], 9)]
      }),
      snapshot({ members: [member('m-a', 'a@x.io', [DNS]), member('m-b', 'b@x.io', [DNS])] }),
      options()
    )
    expect(plan.changes).toEqual([])
    expect(plan.managed.roles).toEqual([dnsTarget])
  })
})
