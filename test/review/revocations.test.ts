import { describe, expect, it } from 'vitest'
import { parseAccessFiles } from '../../src/config/index.js'
import type { DesiredState } from '../../src/model/index.js'
import { removeGrants, type Revocation } from '../../src/review/revocations.js'

const FILE = `version: 1
groups:
  Engineering:
    owners: [octocat]
    members:
      - alice@example.com
      - Bob@Example.com # the on-call lead
      - email: judy@example.org
        expires: 2027-01-31
        reason: 'INC-1234'
      - dave@example.com
  "123":
    members: [x@example.com, y@example.com]
roles:
  Administrator:
    members:
      - carol@example.com
`

function desiredOf(text: string): DesiredState {
  const result = parseAccessFiles([{ path: 'access.yml', text }])
  if (!result.ok) throw new Error(JSON.stringify(result.errors))
  return result.desired
}

const revoke = (kind: 'group' | 'role', name: string, email: string): Revocation => ({
  key: `${kind}:${name}:${email}`,
  email,
  target: { kind, id: `${kind}-${name}`, name }
})

describe('removeGrants', () => {
  it('cuts exactly the revoked items, keeping comments and layout', () => {
    const result = removeGrants([{ path: 'access.yml', text: FILE }], desiredOf(FILE), [
      revoke('group', 'Engineering', 'bob@example.com'),
      revoke('group', 'Engineering', 'judy@example.org')
    ])
    expect(result).toEqual({
      ok: true,
      files: [
        {
          path: 'access.yml',
          text: FILE.replace('      - Bob@Example.com # the on-call lead\n', '').replace(
            "      - email: judy@example.org\n        expires: 2027-01-31\n        reason: 'INC-1234'\n",
            ''
          )
        }
      ]
    })
  })

  it('returns only the files that change, across several files', () => {
    const roles =
      'version: 1\nroles:\n  Administrator:\n    members:\n      - carol@example.com\n      - erin@example.com\n'
    const groups = 'version: 1\ngroups:\n  Ops:\n    members:\n      - olga@example.com\n'
    const files = [
      { path: 'a.yml', text: groups },
      { path: 'b.yml', text: roles }
    ]
    const parsed = parseAccessFiles(files)
    if (!parsed.ok) throw new Error('invalid')
    const result = removeGrants(files, parsed.desired, [
      revoke('role', 'Administrator', 'erin@example.com')
    ])
    expect(result).toEqual({
      ok: true,
      files: [{ path: 'b.yml', text: roles.replace('      - erin@example.com\n', '') }]
    })
  })

  it('revoking the last member leaves members: [] (the file still says nobody)', () => {
    const result = removeGrants([{ path: 'access.yml', text: FILE }], desiredOf(FILE), [
      revoke('role', 'Administrator', 'carol@example.com')
    ])
    expect(result).toEqual({
      ok: true,
      files: [
        {
          path: 'access.yml',
          text: FILE.replace('    members:\n      - carol@example.com\n', '    members: []\n')
        }
      ]
    })
  })

  it('refuses what it cannot cut safely: flow lists, a grant the file lacks', () => {
    const desired = desiredOf(FILE)
    const files = [{ path: 'access.yml', text: FILE }]
    expect(removeGrants(files, desired, [revoke('group', '123', 'x@example.com')])).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not a block list')
    })
    expect(
      removeGrants(files, desired, [revoke('group', 'Engineering', 'zed@example.com')])
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('is not in the access file')
    })
  })
})
