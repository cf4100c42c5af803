import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import { desiredForExpiredOnly } from '../../src/diff/expired-only.js'
import type { DesiredState } from '../../src/model/index.js'
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

function changesOf(text: string) {
  const state = desired(text)
  const live = baseSnapshot()
  const full = planChanges(state, live, OPTIONS)
  const expiredOnly = planChanges(desiredForExpiredOnly(state, live, full), live, OPTIONS)
  const summary = (plan: typeof full) =>
    plan.changes.map((c) => `${c.action} ${c.target.name} ${c.email} (${c.cause})`)
  return { full: summary(full), expiredOnly: summary(expiredOnly), plan: expiredOnly }
}

describe('desiredForExpiredOnly', () => {
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

    const expiredOnly = planChanges(desiredForExpiredOnly(state, live, full), live, OPTIONS)

    expect(full.changes).toEqual([])
    expect(expiredOnly.changes).toEqual([])
  })

  test('the rewritten state leaves groups and roles the file does not name alone', () => {
    const state = desired(`version: 1
roles:
  Administrator Read Only:
    members: [carol@example.com, dave@example.com]
`)
    const live = baseSnapshot()
    const rewritten = desiredForExpiredOnly(state, live, planChanges(state, live, OPTIONS))

    expect(rewritten.groups).toEqual([])
    expect(rewritten.roles.map((r) => [r.name, r.members.map((m) => m.email)])).toEqual([
      ['Administrator Read Only', ['carol@example.com', 'dave@example.com']]
    ])
  })
})
