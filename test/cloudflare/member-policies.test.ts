import { readFileSync } from 'node:fs'
import nock from 'nock'
import { afterEach, describe, expect, it } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { policyManagedReason } from '../../src/cloudflare/member-policies.js'
import { API, ACCOUNT, clientOptions, envelope } from './helpers.js'

const recorded = JSON.parse(
  readFileSync(
    new URL('../fixtures/recorded/cloudflare_account_member.json', import.meta.url),
    'utf8'
  )
) as { response: { result: Record<string, unknown>[] } }
const RECORDED_ACCOUNT = 'f037e56e89293a057740de681ac9abbe'

function wholeAccount(account = ACCOUNT) {
  return {
    id: 'rg1',
    name: `com.cloudflare.api.account.${account}`,
    meta: { editable: 'false' },
    scope: { key: `com.cloudflare.api.account.${account}`, objects: [{ key: '*' }] }
  }
}

function derived(names: string[], extra: Record<string, unknown> = {}) {
  return {
    id: '00000000000000000000000000000000',
    access: 'allow',
    permission_groups: names.map((name, i) => ({
      id: `pg${i}`,
      name,
      meta: { editable: 'false' }
    })),
    resource_groups: [wholeAccount()],
    ...extra
  }
}

describe('policyManagedReason', () => {
  it('counts the policy Cloudflare derives from the roles as roles', () => {
    expect(
      policyManagedReason([derived(['Administrator', 'DNS'])], ['Administrator', 'DNS'], ACCOUNT)
    ).toBe(undefined)
    // One derived policy per role, names compared without case.
    expect(
      policyManagedReason(
        [derived(['administrator']), derived(['DNS'])],
        ['Administrator', 'DNS'],
        ACCOUNT
      )
    ).toBe(undefined)
    expect(policyManagedReason([], ['Administrator'], ACCOUNT)).toBe(undefined)
  })

  it('a deny policy makes the member policy-managed', () => {
    expect(
      policyManagedReason(
        [derived(['Administrator']), derived(['DNS'], { access: 'deny' })],
        ['Administrator'],
        ACCOUNT
      )
    ).toBe('a permission policy says "deny"')
  })

  it('a zone-scoped policy makes the member policy-managed', () => {
    const zone = {
      id: 'rg2',
      name: 'example.com',
      scope: {
        key: `com.cloudflare.api.account.${ACCOUNT}`,
        objects: [{ key: 'com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353' }]
      }
    }
    expect(
      policyManagedReason([derived(['DNS'], { resource_groups: [zone] })], ['DNS'], ACCOUNT)
    ).toBe(
      'a permission policy is scoped to zones (com.cloudflare.api.account.zone.023e105f4ecef8ad9ca31a8372d0c353), not the whole account'
    )
  })

  it('a policy scoped to another account, or granting more than the roles, is not derived', () => {
    expect(
      policyManagedReason(
        [derived(['DNS'], { resource_groups: [wholeAccount('f'.repeat(32))] })],
        ['DNS'],
        ACCOUNT
      )
    ).toMatch(
      /^a permission policy is scoped to com\.cloudflare\.api\.account\.f{32}, not the whole account$/
    )
    expect(policyManagedReason([derived(['DNS', 'Billing'])], ['DNS'], ACCOUNT)).toBe(
      'a permission policy grants "Billing", which is not one of their roles'
    )
    // Policies without roles: nothing role management could express.
    expect(policyManagedReason([derived(['DNS'])], [], ACCOUNT)).toBe(
      'a permission policy grants "DNS", which is not one of their roles'
    )
  })

  it('an unreadable policy is left alone', () => {
    expect(policyManagedReason([{ access: 'allow' }], ['DNS'], ACCOUNT)).toBe(
      'a permission policy has a shape this tool cannot read'
    )
  })
})

describe('the recorded member', () => {
  afterEach(() => {
    nock.cleanAll()
  })

  it('parses and is role-representable', async () => {
    const member = recorded.response.result[0]!
    nock(API)
      .get(`/client/v4/accounts/${RECORDED_ACCOUNT}/members/${String(member['id'])}`)
      .reply(200, envelope(member))
    const client = createCloudflareClient(clientOptions({ accountId: RECORDED_ACCOUNT }))
    expect(await client.getMember(String(member['id']))).toEqual({
      id: '9ad9fa82d0ca4f4da16d8869b062892b',
      email: 'jdoe@cloudflare.com',
      status: 'accepted',
      roles: [
        { id: '33666b9c79b9a5273fc7344ff42f953d', name: 'Super Administrator - All Privileges' }
      ],
      usesPolicies: false
    })
  })
})
