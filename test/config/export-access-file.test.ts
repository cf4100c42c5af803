import { describe, expect, it } from 'vitest'
import { parseAccessFiles, renderAccessFile } from '../../src/config/index.js'
import type { AccountSnapshot } from '../../src/model/index.js'

const snapshot: AccountSnapshot = {
  accountId: '0123456789abcdef0123456789abcdef',
  users: [],
  groups: [
    {
      id: 'b0000000-0000-4000-8000-000000000002',
      name: 'Engineering',
      include: [
        { email: { email: 'Zed@example.com' } },
        { ip: { ip: '10.0.0.0/8' } },
        { email: { email: 'alice@example.com' } },
        { email: { email: 'ALICE@example.com' } }
      ],
      exclude: [{ everyone: {} }],
      require: [{ group: { id: '1234' } }]
    },
    {
      id: 'a0000000-0000-4000-8000-000000000001',
      name: 'Engineering',
      include: [],
      exclude: [],
      require: []
    },
    {
      id: 'c0000000-0000-4000-8000-000000000003',
      name: 'true',
      include: [{ email: { email: 'x@example.org' } }],
      exclude: [],
      require: []
    },
    {
      id: 'c0000000-0000-4000-8000-000000000004',
      name: 'Ops: on-call # night',
      include: [{ 'github-organization': { name: 'acme', team: 'ops' } }],
      exclude: [],
      require: []
    }
  ],
  roles: [
    { id: 'r1', name: 'Administrator Read Only' },
    { id: '33666b9c79b9a5273fc7344ff42f953d', name: 'Super Administrator - All Privileges' }
  ],
  members: [
    {
      id: 'm1',
      email: 'carol@example.com',
      status: 'accepted',
      roles: [
        { id: 'r1', name: 'Administrator Read Only' },
        { id: '33666b9c79b9a5273fc7344ff42f953d', name: 'Super Administrator - All Privileges' }
      ],
      usesPolicies: false
    },
    {
      id: 'm2',
      email: 'dave@example.com',
      status: 'pending',
      roles: [{ id: 'r1', name: 'Administrator Read Only' }],
      usesPolicies: false
    },
    { id: 'm3', email: 'policy@example.com', status: 'accepted', roles: [], usesPolicies: true }
  ]
}

// The schema at its published URL (the release tag), so the exported file works wherever it is committed.
const expected = `# yaml-language-server: $schema=https://raw.githubusercontent.com/your-org/cloudflare-access-as-code/v1/schema/cloudflare-access.schema.json
# Exported from Cloudflare account 0123456789abcdef0123456789abcdef. Fill in owners: the GitHub users or @org/teams who approve changes.
# Members whose access comes from permission policies are not listed and never changed here: policy@example.com

version: 1
account_id: 0123456789abcdef0123456789abcdef
groups:
  # not managed here: include ip 10.0.0.0/8; include email ALICE@example.com (same person as alice@example.com); exclude everyone; require group 1234
  # another Access group is also named "Engineering" (id a0000000-0000-4000-8000-000000000001); a file manages one group per name, so it is left out
  Engineering:
    id: b0000000-0000-4000-8000-000000000002
    owners: []
    members:
      - alice@example.com
      - Zed@example.com
  # not managed here: include github-organization name=acme team=ops
  "Ops: on-call # night":
    owners: []
    members: []
  "true":
    owners: []
    members:
      - x@example.org
roles:
  Administrator Read Only:
    owners: []
    members:
      - carol@example.com
      # pending invitation
      - dave@example.com
  Super Administrator - All Privileges:
    owners: []
    members:
      - carol@example.com
`

describe('renderAccessFile', () => {
  it('writes email rules as members and everything else as comments', () => {
    expect(renderAccessFile(snapshot)).toBe(expected)
  })

  it('is deterministic whatever order Cloudflare lists things in', () => {
    const shuffled: AccountSnapshot = {
      ...snapshot,
      groups: [...snapshot.groups].reverse(),
      members: [...snapshot.members].reverse()
    }
    expect(renderAccessFile(shuffled)).toBe(expected)
  })

  it('writes a file that parses without errors and holds the same members', () => {
    const result = parseAccessFiles([{ path: 'access.yml', text: renderAccessFile(snapshot) }])
    if (!result.ok) throw new Error(JSON.stringify(result.errors))
    const members = (specs: { name: string; members: { key: string }[] }[]) =>
      Object.fromEntries(
        specs.map((spec) => [spec.name, spec.members.map((grant) => grant.key).sort()])
      )
    expect(members(result.desired.groups)).toEqual({
      Engineering: ['alice@example.com', 'zed@example.com'],
      'Ops: on-call # night': [],
      true: ['x@example.org']
    })
    expect(members(result.desired.roles)).toEqual({
      'Administrator Read Only': ['carol@example.com', 'dave@example.com'],
      'Super Administrator - All Privileges': ['carol@example.com']
    })
    expect(result.desired.groups.find((group) => group.name === 'Engineering')?.id).toBe(
      'b0000000-0000-4000-8000-000000000002'
    )
    expect(result.desired.accountId).toBe('0123456789abcdef0123456789abcdef')
  })

  it('writes the account id given in the options and leaves out empty sections', () => {
    const empty: AccountSnapshot = { ...snapshot, groups: [], members: [] }
    const text = renderAccessFile(empty, { accountId: 'ffffffffffffffffffffffffffffffff' })
    expect(text.split('\n').slice(3)).toEqual([
      'version: 1',
      'account_id: ffffffffffffffffffffffffffffffff',
      ''
    ])
    expect(parseAccessFiles([{ path: 'a.yml', text }]).ok).toBe(true)
  })
})
