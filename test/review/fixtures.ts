/** A small account and access file for the access-review tests, with a hand-built plan. */
import type { AccountSnapshot, DesiredState, Plan } from '../../src/model/index.js'
import { ADMIN, CONTRACTORS, ENGINEERING, fullPlan } from '../report/fixtures.js'

export const NOW = new Date('2026-11-14T09:30:00.000Z')

const at = (file: string, line: number) => ({ file, line, column: 7 })

export function desiredState(): DesiredState {
  return {
    settings: { staleAfterDays: 90 },
    groups: [
      {
        name: 'Contractors | EU',
        mode: 'authoritative',
        owners: ['@acme/vendors'],
        members: [
          {
            email: 'old_contractor@example.com',
            key: 'old_contractor@example.com',
            expires: '2026-11-01T00:00:00.000Z',
            source: at('access/contractors.yaml', 4)
          }
        ],
        source: at('access/contractors.yaml', 1)
      },
      {
        name: 'Engineering',
        mode: 'authoritative',
        owners: ['octocat', '@acme/security'],
        members: [
          {
            email: 'alice@example.com',
            key: 'alice@example.com',
            source: at('access/engineering.yaml', 5)
          },
          {
            email: 'Bob@Example.com',
            key: 'bob@example.com',
            expires: '2026-11-20T00:00:00.000Z',
            reason: 'Migration project',
            source: at('access/engineering.yaml', 6)
          },
          {
            email: 'Dana@Example.com',
            key: 'dana@example.com',
            source: at('access/engineering.yaml', 14)
          }
        ],
        source: at('access/engineering.yaml', 1)
      }
    ],
    roles: [
      {
        name: 'Administrator',
        owners: ['octocat'],
        members: [
          {
            email: 'carol@example.com',
            key: 'carol@example.com',
            source: at('access/roles.yaml', 2)
          },
          { email: 'erin@example.com', key: 'erin@example.com', source: at('access/roles.yaml', 3) }
        ],
        source: at('access/roles.yaml', 1)
      }
    ],
    files: ['access/engineering.yaml', 'access/contractors.yaml', 'access/roles.yaml']
  }
}

export function liveSnapshot(): AccountSnapshot {
  const email = (address: string) => ({ email: { email: address } })
  return {
    accountId: 'acc-123',
    groups: [
      {
        id: ENGINEERING.id,
        name: ENGINEERING.name,
        include: [
          email('ALICE@example.com'),
          email('bob@example.com'),
          email('mallory@example.com'),
          { email_domain: { domain: 'example.com' } }
        ],
        exclude: [],
        require: []
      },
      {
        id: CONTRACTORS.id,
        name: CONTRACTORS.name,
        include: [email('old_contractor@example.com')],
        exclude: [],
        require: []
      },
      {
        id: 'grp-legacy',
        name: 'Legacy *VPN*',
        include: [email('zed@example.com')],
        exclude: [],
        require: []
      }
    ],
    members: [
      {
        id: 'mem-1',
        email: 'carol@example.com',
        status: 'accepted',
        roles: [{ id: ADMIN.id, name: ADMIN.name }],
        usesPolicies: false
      },
      {
        id: 'mem-7',
        email: 'frank@example.com',
        status: 'accepted',
        roles: [{ id: ADMIN.id, name: ADMIN.name }],
        usesPolicies: false
      },
      {
        id: 'mem-8',
        email: 'grace@example.com',
        status: 'accepted',
        roles: [],
        usesPolicies: true
      },
      {
        id: 'mem-9',
        email: 'heidi@example.com',
        status: 'pending',
        roles: [{ id: 'role-billing', name: 'Billing' }],
        usesPolicies: false
      }
    ],
    roles: [ADMIN, { id: 'role-billing', name: 'Billing' }],
    users: [
      user('alice@example.com', '2026-11-02T08:00:00Z'),
      user('Bob@example.com', '2026-06-01T08:00:00Z'),
      user('carol@example.com', '2026-11-14T07:00:00Z'),
      user('frank@example.com', null),
      user('old_contractor@example.com', '2026-10-30T12:00:00Z')
    ]
  }
}

function user(email: string, lastSuccessfulLogin: string | null) {
  return { id: `u-${email}`, email, lastSuccessfulLogin, accessSeat: true, gatewaySeat: false }
}

export function reviewPlan(): Plan {
  const plan = fullPlan()
  plan.guards = []
  plan.findings = []
  plan.expiring = [
    {
      target: ENGINEERING,
      email: 'Bob@Example.com',
      expires: '2026-11-20T00:00:00.000Z',
      daysLeft: 6
    },
    {
      target: ENGINEERING,
      email: 'later@example.com',
      expires: '2027-02-01T00:00:00.000Z',
      daysLeft: 79
    }
  ]
  return plan
}
