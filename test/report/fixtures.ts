/** Hand-built plans for the renderer tests (the plan engine is not used here). */
import type { Change, Operation, Plan, Target } from '../../src/model/index.js'

export const ENGINEERING: Target = { kind: 'group', name: 'Engineering', id: 'grp-eng' }
export const CONTRACTORS: Target = { kind: 'group', name: 'Contractors | EU', id: 'grp-con' }
export const ADMIN: Target = { kind: 'role', name: 'Administrator', id: 'role-admin' }

export function emptyPlan(): Plan {
  return {
    accountId: 'acc-123',
    generatedAt: '2026-11-14T09:30:00.000Z',
    changes: [],
    operations: [],
    findings: [],
    guards: [],
    expiring: [],
    managed: { groups: [ENGINEERING, CONTRACTORS], roles: [ADMIN] },
    unmanaged: { groups: [], roles: [] },
    stats: { additions: 0, removals: 0, grantsUnderManagement: 12, removalLimit: 5 }
  }
}

export function fullPlan(): Plan {
  const operations: Operation[] = [
    {
      type: 'update-group',
      key: 'group:grp-eng',
      groupId: 'grp-eng',
      groupName: 'Engineering',
      add: ['Dana@Example.com'],
      remove: ['mallory@example.com']
    },
    {
      type: 'update-group',
      key: 'group:grp-con',
      groupId: 'grp-con',
      groupName: 'Contractors | EU',
      add: [],
      remove: ['old_contractor@example.com']
    },
    {
      type: 'invite-member',
      key: 'invite:erin@example.com',
      email: 'erin@example.com',
      roleIds: ['role-admin']
    },
    {
      type: 'remove-member',
      key: 'member:mem-7',
      memberId: 'mem-7',
      email: 'frank@example.com',
      revoke: ['role-admin']
    }
  ]
  const changes: Change[] = [
    {
      key: 'group:grp-eng:mallory@example.com',
      action: 'remove',
      target: ENGINEERING,
      email: 'mallory@example.com',
      cause: 'drift',
      operation: 'group:grp-eng'
    },
    {
      key: 'group:grp-eng:dana@example.com',
      action: 'add',
      target: ENGINEERING,
      email: 'Dana@Example.com',
      cause: 'requested',
      expires: '2026-12-31T00:00:00.000Z',
      reason: 'On-call rotation | Q4\nsee @octocat #12 <b>now</b>',
      source: { file: 'access/engineering.yaml', line: 14, column: 7 },
      operation: 'group:grp-eng'
    },
    {
      key: 'group:grp-con:old_contractor@example.com',
      action: 'remove',
      target: CONTRACTORS,
      email: 'old_contractor@example.com',
      cause: 'expired',
      expires: '2026-11-01T00:00:00.000Z',
      source: { file: 'access/contractors.yaml', line: 4, column: 7 },
      operation: 'group:grp-con'
    },
    {
      key: 'role:role-admin:frank@example.com',
      action: 'remove-member',
      target: ADMIN,
      email: 'frank@example.com',
      cause: 'drift',
      operation: 'member:mem-7'
    },
    {
      key: 'role:role-admin:erin@example.com',
      action: 'invite',
      target: ADMIN,
      email: 'erin@example.com',
      cause: 'requested',
      reason: 'New platform lead',
      source: { file: 'access/roles.yaml', line: 3, column: 7 },
      operation: 'invite:erin@example.com'
    }
  ]
  return {
    ...emptyPlan(),
    changes,
    operations,
    findings: [
      {
        kind: 'no-zero-trust-user',
        severity: 'warning',
        message: 'Dana@Example.com has never signed in through Cloudflare Access.',
        target: { kind: 'group', name: 'Engineering' },
        email: 'Dana@Example.com'
      },
      {
        kind: 'policy-member',
        severity: 'warning',
        message:
          'grace@example.com is managed by permission policies; the Administrator role is left alone.',
        target: { kind: 'role', name: 'Administrator' },
        email: 'grace@example.com'
      },
      {
        kind: 'unknown-group',
        severity: 'warning',
        message: 'Group "Enginering" does not exist in Cloudflare. Did you mean "Engineering"?',
        target: { kind: 'group', name: 'Enginering' },
        suggestions: ['Engineering'],
        source: { file: 'access/engineering.yaml', line: 2, column: 9 }
      }
    ],
    guards: [
      {
        guard: 'max-removals',
        message: 'The plan removes 3 grants; the limit is 2.',
        overrideInput: 'allow-mass-removal',
        overridden: false
      },
      {
        guard: 'self-removal',
        message: 'The plan removes frank@example.com, whose credentials run this action.',
        overrideInput: 'allow-lockout',
        overridden: true
      }
    ],
    expiring: [
      {
        target: ENGINEERING,
        email: 'bob@example.com',
        expires: '2026-11-20T00:00:00.000Z',
        daysLeft: 6
      }
    ],
    unmanaged: {
      groups: [{ id: 'grp-legacy', name: 'Legacy *VPN*' }],
      roles: [{ id: 'role-billing', name: 'Billing' }]
    },
    stats: { additions: 2, removals: 3, grantsUnderManagement: 12, removalLimit: 2 }
  }
}
