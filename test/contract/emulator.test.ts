import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  ADMIN_ROLE_ID,
  ACCOUNT_TOKEN,
  CONTRACTORS_ID,
  DISABLED_TOKEN,
  DNS_ROLE_ID,
  ENGINEERING_ID,
  GLOBAL_KEY,
  KEY_EMAIL,
  READ_ONLY_TOKEN,
  SUPER_ADMIN_ID,
  account,
  call,
  testSeed
} from '../emulator/support.js'

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

const statuses = (): number[] => emulator.requests.map((r) => r.status)

describe('the emulator honours the OpenAPI contract', () => {
  it('on every read endpoint, including pagination past the end', async () => {
    await call(emulator, 'GET', '/user/tokens/verify')
    await call(emulator, 'GET', account('/tokens/verify'), {
      headers: { authorization: `Bearer ${ACCOUNT_TOKEN}` }
    })
    await call(emulator, 'GET', account('/access/groups?page=1&per_page=2'))
    await call(emulator, 'GET', account('/access/groups?page=9&per_page=2'))
    await call(emulator, 'GET', account('/access/groups?name=Legacy%20VPN'))
    await call(emulator, 'GET', account(`/access/groups/${ENGINEERING_ID}`))
    await call(emulator, 'GET', account('/access/users?page=1&per_page=2'))
    await call(emulator, 'GET', account('/access/users?email=bob@example.com'))
    await call(emulator, 'GET', account('/members?page=1&per_page=5&status=accepted'))
    await call(emulator, 'GET', account('/members?order=user.email&direction=desc'))
    const members = await call(emulator, 'GET', account('/members'))
    await call(emulator, 'GET', account(`/members/${members.json.result[0].id}`))
    await call(emulator, 'GET', account('/roles?page=1&per_page=2'))
    await call(emulator, 'GET', account(`/roles/${ADMIN_ROLE_ID}`))
    await call(emulator, 'GET', account(`/roles/${SUPER_ADMIN_ID}`))
    expect(statuses()).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200
    ])
    assertContract(emulator.requests, { requests: 'all' })
  })

  it('on every write endpoint', async () => {
    const created = await call(emulator, 'POST', account('/access/groups'), {
      body: {
        name: 'SRE On-Call',
        include: [{ email: { email: 'erin@example.com' } }],
        exclude: [{ email_domain: { domain: 'example.net' } }],
        is_default: false
      }
    })
    await call(emulator, 'PUT', account(`/access/groups/${created.json.result.id}`), {
      body: {
        name: 'SRE On-Call',
        include: [
          { email: { email: 'erin@example.com' } },
          { email: { email: 'ivan@example.com' } }
        ]
      }
    })
    await call(emulator, 'DELETE', account(`/access/groups/${CONTRACTORS_ID}`))
    const invited = await call(emulator, 'POST', account('/members'), {
      body: { email: 'carol@example.com', roles: [DNS_ROLE_ID, ADMIN_ROLE_ID] }
    })
    await call(emulator, 'POST', account('/members'), {
      body: {
        email: 'heidi@example.org',
        policies: [
          {
            id: '78787878787878787878787878787878',
            access: 'allow',
            permission_groups: [{ id: '34343434343434343434343434343434' }],
            resource_groups: [{ id: '56565656565656565656565656565656' }]
          }
        ]
      }
    })
    await call(emulator, 'PUT', account(`/members/${invited.json.result.id}`), {
      body: { roles: [{ id: DNS_ROLE_ID }] }
    })
    await call(emulator, 'DELETE', account(`/members/${invited.json.result.id}`))
    await call(emulator, 'POST', account('/access/organizations/revoke_user'), {
      body: { email: 'bob@example.com' }
    })
    expect(statuses()).toEqual([201, 200, 202, 200, 200, 200, 200, 200])
    assertContract(emulator.requests, { requests: 'all' })
  })

  it('on failures: auth, validation, not found, unknown routes, rate limit and injected faults', async () => {
    await call(emulator, 'GET', account('/access/groups'), { headers: {} })
    await call(emulator, 'GET', account('/access/groups'), {
      headers: { authorization: 'Token abc' }
    })
    await call(emulator, 'GET', account('/access/groups'), {
      headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': 'not-a-key_value' }
    })
    await call(emulator, 'GET', account('/access/groups'), {
      headers: { authorization: `Bearer ${DISABLED_TOKEN}` }
    })
    await call(emulator, 'POST', account('/access/groups'), {
      headers: { authorization: `Bearer ${READ_ONLY_TOKEN}` },
      body: { name: 'X', include: [{ everyone: {} }] }
    })
    await call(emulator, 'GET', '/accounts/fedcba9876543210fedcba9876543210/members')
    await call(emulator, 'GET', '/user/tokens/verify', {
      headers: { authorization: 'Bearer nope' }
    })
    await call(emulator, 'GET', '/user/tokens/verify', {
      headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': GLOBAL_KEY }
    })
    await call(emulator, 'PUT', account(`/access/groups/${ENGINEERING_ID}`), {
      body: { name: 'Engineering' }
    })
    await call(emulator, 'POST', account('/access/groups'), { rawBody: '{"name": ' })
    await call(emulator, 'GET', account('/access/groups/00000000-0000-4000-8000-000000000000'))
    await call(emulator, 'GET', account('/members/00000000000000000000000000000000'))
    await call(emulator, 'DELETE', account('/members/00000000000000000000000000000000'))
    await call(emulator, 'GET', account('/roles/00000000000000000000000000000000'))
    await call(emulator, 'GET', account('/members?per_page=51'))
    await call(emulator, 'POST', account('/members'), {
      body: { email: 'new@example.com', roles: [DNS_ROLE_ID], status: 'accepted' }
    })
    await call(emulator, 'GET', account('/zones'))
    await call(emulator, 'POST', account('/access/organizations/revoke_user'), { body: {} })
    await call(emulator, 'POST', account('/access/organizations/revoke_user'), {
      headers: { authorization: `Bearer ${READ_ONLY_TOKEN}` },
      body: { email: 'bob@example.com' }
    })
    emulator.faults.inject({ kind: 'status', status: 503 })
    await call(emulator, 'GET', account('/roles'))
    emulator.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 7 })
    await call(emulator, 'GET', account('/roles'))
    expect(statuses()).toEqual([
      400, 400, 400, 403, 403, 403, 401, 400, 400, 400, 404, 404, 404, 404, 400, 400, 400, 400, 403,
      503, 429
    ])
    assertContract(emulator.requests)
  })

  it('flags an answer that breaks the schema', async () => {
    emulator.faults.inject({
      kind: 'mutate',
      apply: (state) => {
        // Listed second: Super Administrator comes first.
        const role = state.roles[0]
        if (role) (role as unknown as Record<string, unknown>)['name'] = 42
      }
    })
    await call(emulator, 'GET', account('/roles'))
    expect(() => assertContract(emulator.requests)).toThrow(
      /GET \/client\/v4\/accounts\/0123456789abcdef0123456789abcdef\/roles -> 200: response at \/result\/1\/name: must be string/
    )
  })
})
