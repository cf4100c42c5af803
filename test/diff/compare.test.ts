import { describe, expect, it } from 'vitest'
import {
  changeKey,
  hasChanges,
  isPlanBlocked,
  planChanges,
  splitByPullRequest
} from '../../src/diff/index.js'
import type { Plan } from '../../src/model/index.js'
import {
  DNS,
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

const live = snapshot({
  groups: [liveGroup('g-ops', 'Ops', [emailRule('drift@x.io'), emailRule('keep@x.io')])],
  members: [member('m-1', 'dns@x.io', [DNS])],
  users: ['keep@x.io', 'Carol@x.io', 'dave@x.io'].map(user)
})

describe('splitByPullRequest', () => {
  it('returns the changes the pull request adds, not the drift both plans correct', () => {
    const base = planChanges(
      desired({
        groups: [groupSpec('Ops', [grant('keep@x.io'), grant('carol@x.io')])],
        roles: [roleSpec('DNS', [grant('dns@x.io')])]
      }),
      live,
      options()
    )
    const head = planChanges(
      desired({
        groups: [groupSpec('Ops', [grant('keep@x.io'), grant('Carol@x.io'), grant('dave@x.io')])],
        roles: [roleSpec('DNS', [])]
      }),
      live,
      options()
    )
    expect(head.changes.map((c) => [c.action, c.target.name, c.email])).toEqual([
      ['remove', 'Ops', 'drift@x.io'],
      ['add', 'Ops', 'Carol@x.io'],
      ['add', 'Ops', 'dave@x.io'],
      ['remove-member', 'DNS', 'dns@x.io']
    ])
    expect(splitByPullRequest(head, base)).toEqual([head.changes[2]!.key, head.changes[3]!.key])
  })

  it('returns nothing when the plans are the same and everything when the base plan is empty', () => {
    const file = desired({ groups: [groupSpec('Ops', [grant('new@x.io')])] })
    const plan = planChanges(file, live, options())
    expect(splitByPullRequest(plan, plan)).toEqual([])
    const empty = { ...plan, changes: [] }
    expect(splitByPullRequest(plan, empty)).toEqual(plan.changes.map((change) => change.key))
    expect(plan.changes).toHaveLength(3)
  })
})

describe('changeKey', () => {
  it('ignores e-mail case and everything but action, target kind, target name and e-mail', () => {
    const target = { kind: 'group' as const, name: 'Ops', id: 'g-1' }
    expect(changeKey({ action: 'add', target, email: 'A@x.io' })).toBe(
      '["add","group","Ops","a@x.io"]'
    )
    expect(changeKey({ action: 'add', target: { ...target, id: 'g-2' }, email: 'a@X.io ' })).toBe(
      '["add","group","Ops","a@x.io"]'
    )
  })
})

describe('isPlanBlocked and hasChanges', () => {
  const plan = planChanges(desired(), snapshot(), options())

  it('is neither blocked nor changing for an empty plan', () => {
    expect(isPlanBlocked(plan)).toBe(false)
    expect(hasChanges(plan)).toBe(false)
  })

  it('is blocked by an error finding but not by a warning', () => {
    const warning: Plan['findings'][number] = {
      kind: 'no-zero-trust-user',
      severity: 'warning',
      message: 'w'
    }
    expect(isPlanBlocked({ ...plan, findings: [warning] })).toBe(false)
    expect(isPlanBlocked({ ...plan, findings: [warning, { ...warning, severity: 'error' }] })).toBe(
      true
    )
  })

  it('is blocked by a guard unless it was overridden', () => {
    const guard: Plan['guards'][number] = {
      guard: 'max-removals',
      message: 'm',
      overrideInput: 'allow-mass-removal',
      overridden: true
    }
    expect(isPlanBlocked({ ...plan, guards: [guard] })).toBe(false)
    expect(isPlanBlocked({ ...plan, guards: [guard, { ...guard, overridden: false }] })).toBe(true)
  })

  it('has changes when a change is planned', () => {
    const changing = planChanges(
      desired({ groups: [groupSpec('Ops', [grant('keep@x.io')])] }),
      live,
      options()
    )
    expect(hasChanges(changing)).toBe(true)
  })
})
