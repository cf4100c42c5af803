import nock from 'nock'
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest'
import { checkEveryRequestAgainstContract } from '../support/fetch-recorder.js'
import { createCloudflareClient, CloudflareApiError } from '../../src/cloudflare/index.js'
import { SUPER_ADMIN_ROLE } from '../../src/model/index.js'
import {
  ACCOUNT,
  API,
  KEY,
  TOKEN,
  clientOptions,
  envelope,
  group,
  member,
  pageOf,
  role,
  user
} from './helpers.js'

const P = `/client/v4/accounts/${ACCOUNT}`

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
afterEach(() => nock.cleanAll())

// Every request these tests make must also be one the OpenAPI subset describes.
checkEveryRequestAgainstContract()

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1)
}

/** Mocks every page of a list; returns the scope so the test can check all pages were read. */
function mockList(
  scope: nock.Scope,
  path: string,
  items: unknown[],
  perPage: number,
  totalPages = true
) {
  const pages = Math.max(1, Math.ceil(items.length / perPage))
  for (let page = 1; page <= pages; page++) {
    scope
      .get(path)
      .query({ page: String(page), per_page: String(perPage) })
      .reply(200, pageOf(items, page, perPage, totalPages))
  }
  return scope
}

describe('readAccountSnapshot', () => {
  it('reads every page of each list, exactly once, and normalises the account', async () => {
    const members = range(120).map((i) => member(i))
    const groups = range(1001).map((i) => group(i))
    const roles = range(60).map(role)
    const users = range(2500).map(user)
    const scope = nock(API)
    mockList(scope, `${P}/members`, members, 50)
    mockList(scope, `${P}/access/groups`, groups, 1000)
    mockList(scope, `${P}/roles`, roles, 50)
    mockList(scope, `${P}/access/users`, users, 1000)

    const client = createCloudflareClient(clientOptions())
    const snapshot = await client.readAccountSnapshot()

    expect(scope.isDone()).toBe(true)
    // 3 member pages + 2 group pages + 2 role pages + 3 user pages, no page past the end.
    expect(client.requestCount).toBe(10)
    expect(snapshot.accountId).toBe(ACCOUNT)
    expect(snapshot.members).toHaveLength(120)
    expect(snapshot.members[119]).toEqual({
      id: member(120).id,
      email: 'person120@example.com',
      status: 'accepted',
      roles: [{ id: 'r1', name: 'Administrator' }],
      usesPolicies: false
    })
    expect(snapshot.groups).toHaveLength(1001)
    expect(snapshot.groups[1000]).toEqual({
      id: group(1001).id,
      name: 'Group 1001',
      include: [{ email: { email: 'g1001@example.com' } }],
      exclude: [],
      require: []
    })
    expect(snapshot.roles).toHaveLength(61)
    expect(snapshot.roles[60]).toEqual(SUPER_ADMIN_ROLE)
    expect(snapshot.roles[0]).toEqual({ id: 'r1', name: 'Role 1', description: 'Role number 1' })
    expect(snapshot.users).toHaveLength(2500)
    expect(snapshot.users[1]).toEqual({
      id: user(2).id,
      email: 'user2@example.com',
      name: 'User 2',
      lastSuccessfulLogin: '2026-01-01T00:00:00Z',
      accessSeat: true,
      gatewaySeat: false
    })
    expect(snapshot.credentialEmail).toBeUndefined()
  })

  it('pages by total_count when total_pages is absent', async () => {
    const scope = nock(API)
    mockList(
      scope,
      `${P}/members`,
      range(101).map((i) => member(i)),
      50,
      false
    )
    mockList(scope, `${P}/access/groups`, [group(1)], 1000, false)
    mockList(scope, `${P}/roles`, [role(1)], 50, false)
    mockList(scope, `${P}/access/users`, [], 1000, false)
    const client = createCloudflareClient(clientOptions())
    const snapshot = await client.readAccountSnapshot()
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(6)
    expect(snapshot.members).toHaveLength(101)
    expect(snapshot.users).toEqual([])
  })

  it('does not add Super Administrator twice, reads policies and top-level email', async () => {
    const scope = nock(API)
    const policyMember = {
      id: 'mp',
      status: 'pending',
      email: 'policy@example.com',
      roles: [],
      policies: [{ id: 'p1', access: 'allow', permission_groups: [], resource_groups: [] }]
    }
    mockList(scope, `${P}/members`, [policyMember], 50)
    mockList(
      scope,
      `${P}/access/groups`,
      [group(1, { is_default: [], exclude: undefined, require: null })],
      1000
    )
    mockList(scope, `${P}/roles`, [SUPER_ADMIN_ROLE], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const snapshot = await createCloudflareClient(clientOptions()).readAccountSnapshot()
    expect(snapshot.roles).toEqual([SUPER_ADMIN_ROLE])
    expect(snapshot.members).toEqual([
      {
        id: 'mp',
        email: 'policy@example.com',
        status: 'pending',
        roles: [],
        usesPolicies: true,
        policyReason: 'a permission policy names no resources'
      }
    ])
    expect(snapshot.groups[0]!.exclude).toEqual([])
    expect(snapshot.groups[0]!.require).toEqual([])
  })

  it('refuses a list shorter than Cloudflare says it is', async () => {
    const scope = nock(API)
    const fifty = range(50).map((i) => member(i))
    scope
      .get(`${P}/members`)
      .query({ page: '1', per_page: '50' })
      .reply(
        200,
        envelope(fifty.slice(0, 48), {
          page: 1,
          per_page: 50,
          count: 48,
          total_count: 50,
          total_pages: 1
        })
      )
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const error = await createCloudflareClient(clientOptions())
      .readAccountSnapshot()
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CloudflareApiError)
    expect((error as Error).message).toContain(
      'Cloudflare returned 48 of 50 account members; refusing to plan from a partial list.'
    )
    expect((error as Error).message).toContain('Re-run; if it persists')
  })

  it('refuses a list where a page repeats items (the list moved while being read)', async () => {
    const scope = nock(API)
    const items = range(60).map((i) => member(i))
    scope
      .get(`${P}/members`)
      .query({ page: '1', per_page: '50' })
      .reply(200, pageOf(items, 1, 50))
    // Page 2 repeats item 50 instead of item 51: same count, one person missing.
    scope
      .get(`${P}/members`)
      .query({ page: '2', per_page: '50' })
      .reply(
        200,
        envelope([...items.slice(49, 50), ...items.slice(51)], {
          page: 2,
          per_page: 50,
          count: 10,
          total_count: 60,
          total_pages: 2
        })
      )
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    await expect(createCloudflareClient(clientOptions()).readAccountSnapshot()).rejects.toThrow(
      'Cloudflare returned 59 of 60 account members; refusing to plan from a partial list.'
    )
  })

  it('names the endpoint and field when an answer has an unexpected shape', async () => {
    const scope = nock(API)
    const broken = { id: 'm1', status: 'accepted', user: { id: 'u1' }, roles: [] }
    mockList(scope, `${P}/members`, [member(1), broken], 50)
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    await expect(createCloudflareClient(clientOptions()).readAccountSnapshot()).rejects.toThrow(
      `Cloudflare API GET /accounts/${ACCOUNT}/members: unexpected answer: result[1] (page 1).user.email: a member needs user.email or email.`
    )
  })

  it('names the field when a group include is not a list', async () => {
    const scope = nock(API)
    mockList(scope, `${P}/members`, [member(1)], 50)
    mockList(scope, `${P}/access/groups`, [group(1, { include: 'everyone' })], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const error = (await createCloudflareClient(clientOptions())
      .readAccountSnapshot()
      .catch((e: unknown) => e)) as Error
    expect(error.message).toContain(
      `GET /accounts/${ACCOUNT}/access/groups: unexpected answer: result[0] (page 1).include:`
    )
  })

  it('sends X-Auth-Email and X-Auth-Key for a Global API key and records the e-mail', async () => {
    const scope = nock(API, {
      reqheaders: { 'x-auth-email': 'owner@example.com', 'x-auth-key': KEY },
      badheaders: ['authorization']
    })
    mockList(scope, `${P}/members`, [member(1)], 50)
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const client = createCloudflareClient(
      clientOptions({ credentials: { kind: 'key', email: 'owner@example.com', key: KEY } })
    )
    const snapshot = await client.readAccountSnapshot()
    expect(scope.isDone()).toBe(true)
    expect(snapshot.credentialEmail).toBe('owner@example.com')
  })

  it('sends a Bearer token and no key headers', async () => {
    const scope = nock(API, {
      reqheaders: { authorization: `Bearer ${TOKEN}` },
      badheaders: ['x-auth-key', 'x-auth-email']
    })
    mockList(scope, `${P}/members`, [member(1)], 50)
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const client = createCloudflareClient(clientOptions({ apiUrl: `${API}/client/v4/` }))
    await client.readAccountSnapshot()
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(4)
  })

  it('never exceeds the concurrency bound', async () => {
    let inFlight = 0
    let peak = 0
    const items = range(500).map((i) => member(i))
    const scope = nock(API)
    for (let page = 1; page <= 10; page++) {
      scope
        .get(`${P}/members`)
        .query({ page: String(page), per_page: '50' })
        .reply(200, async () => {
          inFlight++
          peak = Math.max(peak, inFlight)
          await new Promise((resolve) => setImmediate(resolve))
          inFlight--
          return pageOf(items, page, 50)
        })
    }
    mockList(scope, `${P}/access/groups`, [group(1)], 1000)
    mockList(scope, `${P}/roles`, [role(1)], 50)
    mockList(scope, `${P}/access/users`, [], 1000)
    const client = createCloudflareClient(clientOptions({ concurrency: 2 }))
    const snapshot = await client.readAccountSnapshot()
    expect(snapshot.members).toHaveLength(500)
    expect(client.requestCount).toBe(13)
    // How many overlap depends on scheduling; that the bound is reached is proven in limits.test.ts.
    expect(peak).toBeGreaterThanOrEqual(1)
    expect(peak).toBeLessThanOrEqual(2)
  })
})
