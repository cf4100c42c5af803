import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { planChanges } from '../../src/diff/index.js'
import { approvalScope, describeUnaskedChanges } from '../../src/diff/required-approvals.js'
import type { DesiredState } from '../../src/model/index.js'
import { planOptions } from '../../src/modes/common.js'
import { NOW, baseSnapshot, inputs } from '../modes/fakes.js'
import { ADD_ERIN, IN_SYNC } from '../modes/files.js'

function desiredOf(text: string): DesiredState {
  const parsed = parseAccessFiles([{ path: 'cloudflare-access.yaml', text }])
  if (!parsed.ok) throw new Error('test file is invalid')
  return parsed.desired
}

const planOf = (desired: DesiredState, snapshot = baseSnapshot()) =>
  planChanges(desired, snapshot, planOptions(inputs(), NOW))

describe('approvalScope', () => {
  test('a file change that the account already matches still needs its owners (owners changed)', () => {
    const base = desiredOf(IN_SYNC)
    const head = desiredOf(IN_SYNC.replace('owners: [octocat]', 'owners: [octocat, hubot]'))
    const scope = approvalScope(planOf(head), base, head)
    expect(scope.targets).toEqual([
      { kind: 'group', name: 'Engineering', owners: ['octocat'], touchedByFile: true, planned: {} }
    ])
  })

  test('planned changes the file change does not explain are required too, owners from the base', () => {
    const snapshot = baseSnapshot()
    snapshot.groups[0]!.include.push({ email: { email: 'eve@example.com' } })
    const base = desiredOf(IN_SYNC)
    const head = desiredOf(
      IN_SYNC.replace(
        'members: [carol@example.com, dave@example.com]',
        'members: [carol@example.com]'
      )
    )
    const scope = approvalScope(planOf(head, snapshot), base, head)
    expect(scope.targets).toEqual([
      {
        kind: 'group',
        name: 'Engineering',
        owners: ['octocat'],
        touchedByFile: false,
        planned: { drift: 1 }
      },
      {
        kind: 'role',
        name: 'Administrator Read Only',
        owners: ['@acme/security'],
        touchedByFile: true,
        // A removal from the file is planned as what it is: access Cloudflare has and the file does not.
        planned: { drift: 1 }
      }
    ])
    expect(describeUnaskedChanges(scope.targets[0]!)).toBe(
      'this pull request does not change it, but the plan does: 1 removal of access that Cloudflare has and the file does not'
    )
    expect(describeUnaskedChanges(scope.targets[1]!)).toBeUndefined()
  })

  test('expired grants need no approval', () => {
    const file = IN_SYNC.replace(
      'members: [alice@example.com, bob@example.com]',
      'members: [alice@example.com, {email: bob@example.com, expires: 2026-03-01}]'
    )
    const desired = desiredOf(file)
    const plan = planOf(desired)
    expect(plan.changes.map((change) => change.cause)).toEqual(['expired'])
    expect(approvalScope(plan, desired, desired).targets).toEqual([])
  })

  test('a pull request cannot appoint the owners of a target new to the file, nor of one with backlog', () => {
    const head = desiredOf(ADD_ERIN)
    // No file before: every target is new and has no owners; the repository-wide rule alone covers it.
    const scope = approvalScope(planOf(head), undefined, head)
    expect(scope.targets.every((target) => target.owners.length === 0)).toBe(true)
  })

  test('everyone a planned addition gives access is a grantee, with people: from both files', () => {
    const base = desiredOf(
      `version: 1\npeople:\n  erin-gh: erin@example.com\n${IN_SYNC.slice('version: 1\n'.length)}`
    )
    // The head drops the people: entry; the base still maps erin-gh.
    const head = desiredOf(ADD_ERIN)
    const scope = approvalScope(planOf(head), base, head)
    expect([...scope.grantees.emails]).toEqual(['erin@example.com'])
    expect(scope.grantees.people).toEqual({ 'erin-gh': ['erin@example.com'] })
  })
})
