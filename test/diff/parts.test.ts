import { describe, expect, it } from 'vitest'
import { planChanges } from '../../src/diff/index.js'
import { checkGuards } from '../../src/diff/guards.js'
import { planGroup, resolveGroups } from '../../src/diff/groups.js'
import { joinParts } from '../../src/diff/parts.js'
import { planRoles, resolveRoles } from '../../src/diff/roles.js'
import type { AccountSnapshot } from '../../src/model/index.js'
import {
  ADMIN,
  NOW,
  SUPER,
  desired,
  emailRule,
  grant,
  groupSpec,
  liveGroup,
  member,
  options,
  roleSpec,
  snapshot,
  user
} from '../fixtures/diff/builders.js'

const file = desired({
  groups: [
    groupSpec('Engineering', [grant('alice@x.io'), grant('bob@x.io')]),
    groupSpec('Enginering', [grant('carol@x.io')])
  ],
  roles: [roleSpec('Administrator', [grant('alice@x.io')]), roleSpec(SUPER.name, [])]
})

const live: AccountSnapshot = snapshot({
  groups: [liveGroup('g-eng', 'Engineering', [emailRule('alice@x.io'), emailRule('old@x.io')])],
  members: [member('m-alice', 'alice@x.io', [SUPER]), member('m-old', 'old@x.io', [ADMIN, SUPER])],
  users: ['alice@x.io', 'bob@x.io'].map(user)
})

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}

describe('planners return their parts', () => {
  it('each planner returns its own changes, writes, findings and holdings', () => {
    const groups = resolveGroups(file.groups, live)
    expect(groups.resolved.map((r) => r.group.id)).toEqual(['g-eng'])
    expect(groups.findings.map((f) => `${f.kind} ${f.target?.name}`)).toEqual([
      'unknown-group Enginering'
    ])
    const group = planGroup(groups.resolved[0], NOW.getTime(), 14)
    expect(group.changes.map((c) => `${c.action} ${c.email} ${c.operation}`)).toEqual([
      'remove old@x.io group:g-eng',
      'add bob@x.io group:g-eng'
    ])
    expect(group.operations).toEqual([
      {
        type: 'update-group',
        key: 'group:g-eng',
        groupId: 'g-eng',
        groupName: 'Engineering',
        add: ['bob@x.io'],
        remove: ['old@x.io']
      }
    ])
    expect(group.holdings).toBe(2)

    const roles = resolveRoles(file.roles, live)
    expect(roles.findings).toEqual([])
    const role = planRoles(roles.resolved, live, NOW.getTime(), 14)
    expect(role.operations.map((op) => op.key).sort()).toEqual(['member:m-alice', 'member:m-old'])
    expect(role.holdings).toBe(3)
  })

  it('planChanges is the joined parts, ordered, with the guards run on the assembled plan', () => {
    const plan = planChanges(file, live, options())
    const groups = resolveGroups(file.groups, live)
    const roles = resolveRoles(file.roles, live)
    const joined = joinParts([
      ...groups.resolved.map((r) => planGroup(r, NOW.getTime(), 14)),
      planRoles(roles.resolved, live, NOW.getTime(), 14)
    ])
    expect(plan.stats.grantsUnderManagement).toBe(joined.holdings)
    expect(plan.changes.map((c) => c.key).sort()).toEqual(joined.changes.map((c) => c.key).sort())
    expect(plan.operations).toHaveLength(joined.operations.length)
    expect(plan.guards.map((g) => g.guard)).toEqual(['last-super-admin'])
    expect(checkGuards(plan, live, options())).toEqual(plan.guards)
  })

  it('no planner writes to what it is given: frozen inputs plan the same', () => {
    const reference = JSON.stringify(planChanges(file, live, options()))
    const frozen = JSON.stringify(
      planChanges(deepFreeze(structuredClone(file)), deepFreeze(structuredClone(live)), options())
    )
    expect(frozen).toBe(reference)
  })
})
