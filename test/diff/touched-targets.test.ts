import { describe, expect, test } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import { findTouchedTargets } from '../../src/diff/touched-targets.js'
import type { DesiredState } from '../../src/model/index.js'

function desired(text: string, path = 'access.yaml'): DesiredState {
  const parsed = parseAccessFiles([{ path, text }])
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  return parsed.desired
}

const BASE = `version: 1
groups:
  Engineering:
    owners: [octocat, '@acme/security']
    members:
      - alice@example.com
      - email: bob@example.com
        expires: 2026-12-31
        reason: INC-1
  Ops:
    owners: [olga]
    members: [olga@example.com]
roles:
  Administrator Read Only:
    owners: [rita]
    members: [carol@example.com]
`

describe('findTouchedTargets', () => {
  test('an identical file touches nothing', () => {
    expect(findTouchedTargets(desired(BASE), desired(BASE))).toEqual([])
  })

  test('reordering members and owners, changing case of owners, moving lines or files: untouched', () => {
    const head = `version: 1
# a comment moves every line down
roles:
  Administrator Read Only:
    owners: [Rita]
    members: [carol@example.com]
groups:
  Ops:
    members: [olga@example.com]
    owners: [OLGA]
  Engineering:
    owners: ['@acme/security', octocat]
    members:
      - email: bob@example.com
        reason: INC-1
        expires: 2026-12-31
      - alice@example.com
`
    expect(findTouchedTargets(desired(BASE), desired(head, 'other.yaml'))).toEqual([])
  })

  test('an added member touches only that group, with the base owners', () => {
    const head = BASE.replace(
      'members: [olga@example.com]',
      'members: [olga@example.com, pat@example.com]'
    )
    expect(findTouchedTargets(desired(BASE), desired(head))).toEqual([
      { kind: 'group', name: 'Ops', owners: ['olga'] }
    ])
  })

  test.each([
    ['an expiry', 'expires: 2026-12-31', 'expires: 2027-12-31'],
    ['a reason', 'reason: INC-1', 'reason: INC-2'],
    ['the mode', '  Engineering:\n', '  Engineering:\n    mode: additive\n'],
    [
      'the pinned id',
      '  Engineering:\n',
      '  Engineering:\n    id: 2f6c1b4e-1111-4222-8333-444455556666\n'
    ],
    ['the owners', "owners: [octocat, '@acme/security']", 'owners: [octocat]']
  ])('changing %s touches the group', (_what, from, to) => {
    const head = BASE.replace(from, to)
    expect(head).not.toBe(BASE)
    expect(findTouchedTargets(desired(BASE), desired(head))).toEqual([
      { kind: 'group', name: 'Engineering', owners: ['octocat', '@acme/security'] }
    ])
  })

  test('owners come from the base: a pull request replacing them still needs the old ones', () => {
    const head = BASE.replace('owners: [rita]', 'owners: [mallory]')
    expect(findTouchedTargets(desired(BASE), desired(head))).toEqual([
      { kind: 'role', name: 'Administrator Read Only', owners: ['rita'] }
    ])
  })

  test('a new target has no owners; a removed target keeps its base owners', () => {
    const head = BASE.replace(
      '  Ops:\n    owners: [olga]\n    members: [olga@example.com]\n',
      '  Support:\n    owners: [sue]\n    members: [sue@example.com]\n'
    )
    expect(findTouchedTargets(desired(BASE), desired(head))).toEqual([
      { kind: 'group', name: 'Ops', owners: ['olga'] },
      { kind: 'group', name: 'Support', owners: [] }
    ])
  })

  test('a group and a role of the same name are told apart; groups come first, each sorted by name', () => {
    const base = `version: 1
groups:
  b:
    members: []
  Admins:
    owners: [g]
    members: []
roles:
  Admins:
    owners: [r]
    members: []
`
    const head = base.replaceAll('members: []', 'members: [x@example.com]')
    expect(findTouchedTargets(desired(base), desired(head))).toEqual([
      { kind: 'group', name: 'Admins', owners: ['g'] },
      { kind: 'group', name: 'b', owners: [] },
      { kind: 'role', name: 'Admins', owners: ['r'] }
    ])
  })

  test('without a base every target is touched and none has owners', () => {
    expect(findTouchedTargets(undefined, desired(BASE))).toEqual([
      { kind: 'group', name: 'Engineering', owners: [] },
      { kind: 'group', name: 'Ops', owners: [] },
      { kind: 'role', name: 'Administrator Read Only', owners: [] }
    ])
  })

  test('the returned owners are copies', () => {
    const base = desired(BASE)
    const head = desired(BASE.replace('[olga@example.com]', '[]'))
    const [touched] = findTouchedTargets(base, head)
    touched!.owners.push('mallory')
    expect(base.groups.find((g) => g.name === 'Ops')!.owners).toEqual(['olga'])
  })
})
