/** Review finding: a list whose result_info gives no total could be cut at its first page without anyone noticing. */
import nock from 'nock'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { CloudflareApiError, createCloudflareClient } from '../../src/cloudflare/index.js'
import { ACCOUNT, API, clientOptions, envelope, group, member, role, user } from './helpers.js'

const P = `/client/v4/accounts/${ACCOUNT}`

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
afterEach(() => nock.cleanAll())

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1)
}

function mockOthers(scope: nock.Scope): void {
  scope
    .get(`${P}/access/groups`)
    .query({ page: '1', per_page: '1000' })
    .reply(200, envelope([group(1)], { page: 1, per_page: 1000, count: 1, total_count: 1 }))
  scope
    .get(`${P}/roles`)
    .query({ page: '1', per_page: '50' })
    .reply(200, envelope([role(1)], { page: 1, per_page: 50, count: 1, total_count: 1 }))
  scope
    .get(`${P}/access/users`)
    .query({ page: '1', per_page: '1000' })
    .reply(200, envelope([user(1)], { page: 1, per_page: 1000, count: 1, total_count: 1 }))
}

describe('a list without a total', () => {
  // 50 members on a full first page and no total: there may be a second page the planner would
  // never see, and every member on it would look absent.
  test('a full first page without total_count or total_pages is refused', async () => {
    const scope = nock(API)
    mockOthers(scope)
    scope
      .get(`${P}/members`)
      .query({ page: '1', per_page: '50' })
      .reply(
        200,
        envelope(
          range(50).map((i) => member(i)),
          { page: 1, per_page: 50, count: 50 }
        )
      )

    const client = createCloudflareClient(clientOptions())
    const error = await client.readAccountSnapshot().catch((e: unknown) => e)

    expect(error).toBeInstanceOf(CloudflareApiError)
    expect((error as Error).message).toContain(
      'Cloudflare returned a full first page of 50 account members without a total, so it cannot be told whether more pages follow; refusing to plan from a possibly partial list.'
    )
  })

  test('a part-filled page without a total is the whole list', async () => {
    const scope = nock(API)
    mockOthers(scope)
    scope
      .get(`${P}/members`)
      .query({ page: '1', per_page: '50' })
      .reply(
        200,
        envelope(
          range(3).map((i) => member(i)),
          { page: 1, per_page: 50, count: 3 }
        )
      )

    const client = createCloudflareClient(clientOptions())
    const snapshot = await client.readAccountSnapshot()

    expect(snapshot.members.map((m) => m.email)).toEqual([
      'person1@example.com',
      'person2@example.com',
      'person3@example.com'
    ])
    expect(scope.isDone()).toBe(true)
  })
})
