import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { isPlanBlocked, planChanges, selectChanges } from '../../src/diff/index.js'
import type { AccountSnapshot, DesiredState, Plan } from '../../src/model/index.js'
import { SUPER_ADMIN_ROLE } from '../../src/model/index.js'
import { NOW, baseSnapshot } from '../modes/fakes.js'

const OPTIONS = {
  now: NOW,
  expiryWarningDays: 14,
  allowMassRemoval: false,
  allowLockout: false
}

function desired(text: string): DesiredState {
  const parsed = parseAccessFiles([{ path: 'access.yaml', text }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

function expiredOf(plan: Plan, live: AccountSnapshot): Plan {
  return selectChanges(plan, (change) => change.cause === 'expired', { live, options: OPTIONS })
}

function changesOf(text: string) {
  const state = desired(text)
  const live = baseSnapshot()
  const full = planChanges(state, live, OPTIONS)
  const expiredOnly = expiredOf(full, live)
  const summary = (plan: typeof full) =>
    plan.changes.map((c) => `${c.action} ${c.target.name} ${c.email} (${c.cause})`)
  return { full: summary(full), expiredOnly: summary(expiredOnly), plan: expiredOnly }
}

describe('selectChanges: expired grants only', () => {
  test('keeps only the expired removals of the full plan', () => {
    const { full, expiredOnly, plan } = changesOf(`version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-03-01
      - erin@example.com
  Ops:
    members: []
roles:
  Administrator Read Only:
    members:
      - email: carol@example.com
        expires: 2026-03-15T12:00:00Z
`)

    expect(full).toEqual([
      'remove Engineering alice@example.com (expired)',
      'remove Engineering bob@example.com (drift)',
      'add Engineering erin@example.com (requested)',
      'remove Ops olga@example.com (drift)',
      'remove-member Administrator Read Only carol@example.com (expired)',
      'remove-member Administrator Read Only dave@example.com (drift)'
    ])
    expect(expiredOnly).toEqual([
      'remove Engineering alice@example.com (expired)',
      'remove-member Administrator Read Only carol@example.com (expired)'
    ])
    expect(plan.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:aaaaaaaa-1111-4222-8333-444455556666',
        groupId: 'aaaaaaaa-1111-4222-8333-444455556666',
        groupName: 'Engineering',
        add: [],
        remove: ['alice@example.com']
      },
      {
        type: 'remove-member',
        key: 'member:m-carol',
        memberId: 'm-carol',
        email: 'carol@example.com',
        revoke: ['role-read-only']
      }
    ])
  })

  test('an additive group keeps its live members and loses only the expired one', () => {
    const { expiredOnly } = changesOf(`version: 1
groups:
  Engineering:
    mode: additive
    members:
      - email: bob@example.com
        expires: 2026-01-01
`)

    expect(expiredOnly).toEqual(['remove Engineering bob@example.com (expired)'])
  })

  test('grants that end in the future and expired grants nobody holds change nothing', () => {
    const { expiredOnly } = changesOf(`version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-03-16
      - email: erin@example.com
        expires: 2026-01-01
`)

    expect(expiredOnly).toEqual([])
  })

  test('a person with an expired and a current grant for the same group keeps it', () => {
    // The parser refuses duplicates, but the engine accepts them (the current grant wins), and so must this.
    const state = desired(`version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-01-01
      - bob@example.com
`)
    const engineering = state.groups[0]!
    engineering.members.push({
      ...engineering.members[0]!,
      email: 'Alice@example.com',
      expires: undefined
    })
    const live = baseSnapshot()
    const full = planChanges(state, live, OPTIONS)

    const expiredOnly = expiredOf(full, live)

    expect(full.changes).toEqual([])
    expect(expiredOnly.changes).toEqual([])
  })

  test('re-runs the guards: a selection that would leave no Super Administrator is refused', () => {
    const state = desired(`version: 1
roles:
  ${SUPER_ADMIN_ROLE.name}:
    members:
      - email: carol@example.com
        expires: 2026-01-01
      - dave@example.com
`)
    const live = baseSnapshot()
    // carol is the only Super Administrator.
    live.members = live.members
      .filter((m) => m.email !== 'admin@example.com')
      .map((m) =>
        m.email === 'carol@example.com' ? { ...m, roles: [...m.roles, SUPER_ADMIN_ROLE] } : m
      )
    const full = planChanges(state, live, OPTIONS)
    // Together the changes hand the role on from carol to dave: nothing stops the full plan.
    expect(full.changes.map((c) => `${c.action} ${c.email} (${c.cause})`)).toEqual([
      'revoke carol@example.com (expired)',
      'grant dave@example.com (requested)'
    ])
    expect(full.guards).toEqual([])

    const expiredOnly = expiredOf(full, live)

    expect(expiredOnly.changes.map((c) => `${c.action} ${c.email}`)).toEqual([
      'revoke carol@example.com'
    ])
    expect(expiredOnly.guards.map((g) => g.guard)).toEqual(['last-super-admin'])
    expect(isPlanBlocked(expiredOnly)).toBe(true)
  })

  test('a selection of nothing drops every write and keeps the removal limit', () => {
    const state = desired(`version: 1
roles:
  Administrator Read Only:
    members:
      - email: carol@example.com
        expires: 2026-01-01
`)
    const live = baseSnapshot()
    const full = planChanges(state, live, OPTIONS)
    const none = selectChanges(full, () => false, { live, options: OPTIONS })
    expect(none.changes).toEqual([])
    expect(none.operations).toEqual([])
    expect(none.stats).toEqual({ ...full.stats, additions: 0, removals: 0 })
  })
})
