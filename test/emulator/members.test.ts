import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  findMemberByEmail,
  memberRoleNames,
  permissionGroupIdOf,
  startEmulator,
  type Emulator
} from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  ACCOUNT_ID,
  ADMIN_ROLE_ID,
  DNS_ROLE_ID,
  READ_ONLY_ROLE_ID,
  SUPER_ADMIN_ID,
  account,
  call,
  testSeed
} from './support.js'

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: testSeed() })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => {
  emulator.reset()
})

/** The recorded member (test/fixtures/recorded, MPL-2.0): a Super Administrator with its full role object. */
const recordedMember = (
  JSON.parse(
    readFileSync(
      new URL('../fixtures/recorded/cloudflare_account_member.json', import.meta.url),
      'utf8'
    )
  ) as { response: { result: { roles: unknown[] }[] } }
).response.result[0]!

const invalid = (message: string) => [{ code: 1001, message: `Invalid request: ${message}` }]

function memberId(email: string): string {
  const member = findMemberByEmail(emulator.state, email)
  if (!member) throw new Error(`test seed has no member ${email}`)
  return member.id
}

describe('account members', () => {
  it('returns full role objects, the user, no top-level email and the policies derived from the roles', async () => {
    const answer = await call(emulator, 'GET', account(`/members/${memberId('alice@example.com')}`))
    expect(answer.json.result).toEqual({
      id: memberId('alice@example.com'),
      status: 'accepted',
      api_access_enabled: null,
      user: {
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        email: 'alice@example.com',
        first_name: 'Alice',
        last_name: null,
        two_factor_authentication_enabled: false
      },
      roles: [
        {
          id: ADMIN_ROLE_ID,
          name: 'Administrator',
          description: 'Full access',
          permissions: { zones: { read: true, edit: true } }
        }
      ],
      // Recorded shape: allow, a permission group named like the role, the whole account as one scope object.
      policies: [
        {
          id: expect.stringMatching(/^[0-9a-f]{32}$/),
          access: 'allow',
          permission_groups: [
            {
              id: expect.stringMatching(/^[0-9a-f]{32}$/),
              name: 'Administrator',
              meta: {
                description: 'Full access',
                editable: 'false',
                label: 'administrator',
                scopes: 'com.cloudflare.api.account'
              }
            }
          ],
          resource_groups: [
            {
              id: expect.stringMatching(/^[0-9a-f]{32}$/),
              name: `com.cloudflare.api.account.${ACCOUNT_ID}`,
              meta: { editable: 'false' },
              scope: { key: `com.cloudflare.api.account.${ACCOUNT_ID}`, objects: [{ key: '*' }] }
            }
          ]
        }
      ]
    })
  })

  it('invites with role ids as strings: a pending member with those roles', async () => {
    const answer = await call(emulator, 'POST', account('/members'), {
      body: { email: 'carol@example.com', roles: [DNS_ROLE_ID, READ_ONLY_ROLE_ID] }
    })
    expect(answer.status).toBe(200)
    expect(answer.json.result.status).toBe('pending')
    // Like the live API, POST answers without roles; a GET shows them.
    expect(answer.json.result.roles).toBeUndefined()
    const read = await call(emulator, 'GET', account(`/members/${String(answer.json.result.id)}`))
    expect(read.json.result.roles.map((r: { name: string }) => r.name)).toEqual([
      'DNS',
      'Administrator Read Only'
    ])
    const stored = findMemberByEmail(emulator.state, 'carol@example.com')
    expect(stored && memberRoleNames(emulator.state, stored)).toEqual([
      'DNS',
      'Administrator Read Only'
    ])
    assertContract(emulator.requests)
  })

  it('refuses invitations that the API refuses', async () => {
    const cases: [unknown, string][] = [
      [
        { email: 'carol@example.com', roles: [DNS_ROLE_ID], status: 'accepted' },
        'automatic verification of new members is not allowed'
      ],
      [
        {
          email: 'carol@example.com',
          roles: [DNS_ROLE_ID],
          policies: [{ access: 'allow', permission_groups: [], resource_groups: [] }]
        },
        'Member must be created with roles or policies (not both)'
      ],
      [
        { email: 'carol@example.com', roles: [{ id: DNS_ROLE_ID }] },
        '"roles" must be a non-empty array of role id strings when creating a member'
      ],
      [
        { email: 'carol@example.com', roles: ['0000000000000000000000000000000a'] },
        'role 0000000000000000000000000000000a does not exist in this account; list /accounts/{id}/roles for valid ids'
      ],
      [
        { email: 'carol@example.com', roles: ['DNS'] },
        'role DNS does not exist in this account; list /accounts/{id}/roles for valid ids'
      ],
      [
        { email: 'Alice@Example.com', roles: [DNS_ROLE_ID] },
        `alice@example.com is already a member of this account (member ${memberId('alice@example.com')}); update that membership instead`
      ],
      [{ roles: [DNS_ROLE_ID] }, '"email" is required and must be an e-mail address'],
      [{ email: 'carol@example.com' }, 'a member needs "roles" (role ids) or "policies"']
    ]
    for (const [body, message] of cases) {
      const answer = await call(emulator, 'POST', account('/members'), { body })
      expect(answer.status).toBe(400)
      expect(answer.json.errors).toEqual(invalid(message))
    }
    expect(emulator.state.members).toHaveLength(5)
  })

  it('PUT with role objects replaces the whole role set', async () => {
    const id = memberId('bob@example.com')
    const answer = await call(emulator, 'PUT', account(`/members/${id}`), {
      body: { roles: [{ id: ADMIN_ROLE_ID }, { id: SUPER_ADMIN_ID }] }
    })
    expect(answer.status).toBe(200)
    expect(answer.json.result.roles.map((r: { id: string }) => r.id)).toEqual([
      ADMIN_ROLE_ID,
      SUPER_ADMIN_ID
    ])
    expect(findMemberByEmail(emulator.state, 'bob@example.com')?.roles).toEqual([
      ADMIN_ROLE_ID,
      SUPER_ADMIN_ID
    ])
    assertContract(emulator.requests)
  })

  it('refuses updates that the API refuses', async () => {
    const path = account(`/members/${memberId('bob@example.com')}`)
    const cases: [unknown, string][] = [
      [
        { roles: [DNS_ROLE_ID] },
        '"roles" must be objects like {"id": "<role id>"} when updating a member (strings are for create)'
      ],
      [
        {
          roles: [{ id: DNS_ROLE_ID }],
          policies: [{ access: 'allow', permission_groups: [], resource_groups: [] }]
        },
        'Member must be updated with roles or policies (not both)'
      ],
      [
        { roles: [] },
        'a member needs at least one role; delete the membership to remove the last role'
      ],
      [
        { roles: [{ id: '0000000000000000000000000000000a' }] },
        'role 0000000000000000000000000000000a does not exist in this account; list /accounts/{id}/roles for valid ids'
      ],
      [{}, 'send the complete "roles" ([{"id": "..."}]) or "policies" of the member']
    ]
    for (const [body, message] of cases) {
      const answer = await call(emulator, 'PUT', path, { body })
      expect(answer.status).toBe(400)
      expect(answer.json.errors).toEqual(invalid(message))
    }
    expect(findMemberByEmail(emulator.state, 'bob@example.com')?.roles).toEqual([
      READ_ONLY_ROLE_ID,
      DNS_ROLE_ID
    ])
  })

  it('silently ignores a role change sent with status pending for an accepted member', async () => {
    const answer = await call(emulator, 'PUT', account(`/members/${memberId('bob@example.com')}`), {
      body: { roles: [{ id: ADMIN_ROLE_ID }], status: 'pending' }
    })
    expect(answer.status).toBe(200)
    expect(answer.json.result.roles.map((r: { id: string }) => r.id)).toEqual([
      READ_ONLY_ROLE_ID,
      DNS_ROLE_ID
    ])
  })

  it('deletes with 200 {id}; unknown member ids are 404', async () => {
    const id = memberId('frank@example.com')
    const answer = await call(emulator, 'DELETE', account(`/members/${id}`))
    expect(answer.status).toBe(200)
    expect(answer.json.result).toEqual({ id })
    expect(findMemberByEmail(emulator.state, 'frank@example.com')).toBeUndefined()
    expect((await call(emulator, 'GET', account(`/members/${id}`))).status).toBe(404)
    expect((await call(emulator, 'DELETE', account(`/members/${id}`))).status).toBe(404)
    const malformed = await call(emulator, 'GET', account('/members/nope'))
    expect(malformed.status).toBe(400)
    expect(malformed.json.errors.map((e: { code: number }) => e.code)).toEqual([7003, 7000])
    assertContract(emulator.requests)
  })

  it("invites with policies, expanding {id} resource groups to the account's full ones", async () => {
    const policy = {
      access: 'allow',
      permission_groups: [{ id: '34343434343434343434343434343434' }],
      resource_groups: [{ id: '56565656565656565656565656565656' }]
    }
    const answer = await call(emulator, 'POST', account('/members'), {
      body: { email: 'carol@example.com', policies: [policy] }
    })
    expect(answer.status).toBe(200)
    expect(answer.json.result.roles).toBeUndefined()
    expect(answer.json.result.policies[0].resource_groups).toEqual([
      {
        id: '56565656565656565656565656565656',
        scope: [
          {
            key: 'com.cloudflare.api.account.0123456789abcdef0123456789abcdef',
            objects: [{ key: '*' }]
          }
        ]
      }
    ])
    const unknown = await call(emulator, 'POST', account('/members'), {
      body: {
        email: 'dan@example.com',
        policies: [{ ...policy, resource_groups: [{ id: '0000000000000000000000000000000b' }] }]
      }
    })
    expect(unknown.status).toBe(400)
    expect(unknown.json.errors).toEqual(
      invalid('resource group 0000000000000000000000000000000b does not exist in this account')
    )
    assertContract(emulator.requests)
  })

  it('a policies PUT regenerates the roles from the whole-account allow policies; a roles PUT the policies', async () => {
    const id = memberId('bob@example.com')
    const wholeAccount = [{ id: '56565656565656565656565656565656' }]
    const put = await call(emulator, 'PUT', account(`/members/${id}`), {
      body: {
        policies: [
          {
            access: 'allow',
            permission_groups: [{ id: permissionGroupIdOf(ADMIN_ROLE_ID) }],
            resource_groups: wholeAccount
          },
          // A deny gives no role.
          {
            access: 'deny',
            permission_groups: [{ id: permissionGroupIdOf(DNS_ROLE_ID) }],
            resource_groups: wholeAccount
          }
        ]
      }
    })
    expect(put.status).toBe(200)
    expect(put.json.result.roles.map((r: { id: string }) => r.id)).toEqual([ADMIN_ROLE_ID])
    expect(put.json.result.policies.map((p: { access: string }) => p.access)).toEqual([
      'allow',
      'deny'
    ])

    const back = await call(emulator, 'PUT', account(`/members/${id}`), {
      body: { roles: [{ id: DNS_ROLE_ID }] }
    })
    expect(back.json.result.roles.map((r: { id: string }) => r.id)).toEqual([DNS_ROLE_ID])
    // The explicit policies are gone: the one derived from DNS remains, scoped to the whole account.
    expect(back.json.result.policies).toHaveLength(1)
    expect(back.json.result.policies[0]).toMatchObject({
      access: 'allow',
      permission_groups: [{ name: 'DNS' }],
      resource_groups: [
        { scope: { key: `com.cloudflare.api.account.${ACCOUNT_ID}`, objects: [{ key: '*' }] } }
      ]
    })

    const created = await call(emulator, 'POST', account('/members'), {
      body: {
        email: 'dora@example.com',
        policies: [
          {
            access: 'allow',
            permission_groups: [{ id: permissionGroupIdOf(DNS_ROLE_ID) }],
            resource_groups: wholeAccount
          }
        ]
      }
    })
    // POST answers without roles; the member read afterwards carries the derived one.
    expect(created.json.result.roles).toBeUndefined()
    const read = await call(emulator, 'GET', account(`/members/${created.json.result.id}`))
    expect(read.json.result.roles.map((r: { id: string }) => r.id)).toEqual([DNS_ROLE_ID])
    assertContract(emulator.requests)
  })

  it('keeps policy members as they are, with no roles', async () => {
    const answer = await call(emulator, 'GET', account(`/members/${memberId('grace@example.com')}`))
    expect(answer.json.result.roles).toEqual([])
    expect(answer.json.result.policies).toHaveLength(1)
    expect(answer.json.result.policies[0].access).toBe('allow')
  })
})

describe('account roles', () => {
  it('lists Super Administrator first by default, as recorded, keyed {read, edit}', async () => {
    const list = await call(emulator, 'GET', account('/roles'))
    expect(list.json.result.map((r: { name: string }) => r.name)).toEqual([
      'Super Administrator - All Privileges',
      'Administrator',
      'Administrator Read Only',
      'DNS'
    ])
    expect(list.json.result[0]).toEqual(recordedMember.roles[0])
    assertContract(emulator.requests)
  })

  it('with list_super_administrator: false, lists roles without it, which members can still hold and GET by id', async () => {
    emulator.reset({ ...testSeed(), list_super_administrator: false })
    const list = await call(emulator, 'GET', account('/roles'))
    expect(list.json.result.map((r: { name: string }) => r.name)).toEqual([
      'Administrator',
      'Administrator Read Only',
      'DNS'
    ])
    const superAdmin = await call(emulator, 'GET', account(`/roles/${SUPER_ADMIN_ID}`))
    expect(superAdmin.status).toBe(200)
    expect(superAdmin.json.result.name).toBe('Super Administrator - All Privileges')
    const owner = await call(emulator, 'GET', account(`/members/${memberId('owner@example.com')}`))
    expect(owner.json.result.roles.map((r: { id: string }) => r.id)).toEqual([SUPER_ADMIN_ID])
    expect(
      (await call(emulator, 'GET', account('/roles/ffffffffffffffffffffffffffffffff'))).status
    ).toBe(404)
    assertContract(emulator.requests)
  })
})

describe('Zero Trust users', () => {
  it('lists users with seats and last login (null when never)', async () => {
    const answer = await call(emulator, 'GET', account('/access/users'))
    expect(
      answer.json.result.map((u: Record<string, unknown>) => [
        u['email'],
        u['name'],
        u['last_successful_login'],
        u['access_seat'],
        u['gateway_seat']
      ])
    ).toEqual([
      ['alice@example.com', 'Alice', '2026-11-01T10:00:00Z', true, false],
      ['bob@example.com', 'bob', null, true, false],
      ['judy@example.org', 'judy', null, true, true]
    ])
    const byEmail = await call(emulator, 'GET', account('/access/users?email=BOB@example.com'))
    expect(byEmail.json.result.map((u: { email: string }) => u.email)).toEqual(['bob@example.com'])
    assertContract(emulator.requests)
  })
})
