/** What reading the applications costs, at HTTP level: ceil(apps / 1000) + ceil(reusable policies / 1000), exactly. */
import nock from 'nock'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { API, ACCOUNT, clientOptions, envelope } from './helpers.js'

const P = `/client/v4/accounts/${ACCOUNT}`
const uuid = (kind: number, i: number) =>
  `${String(kind).padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`

/** Replies to every page of a list of `total` items, `make(i)` each, at per_page 1000. */
function pages(path: string, total: number, make: (i: number) => unknown): nock.Scope {
  const scope = nock(API)
  const count = Math.ceil(total / 1000)
  for (let page = 1; page <= count; page++) {
    const items = Array.from({ length: Math.min(1000, total - (page - 1) * 1000) }, (_, j) =>
      make((page - 1) * 1000 + j)
    )
    scope
      .get(path)
      .query({ page: String(page), per_page: '1000' })
      .reply(
        200,
        envelope(items, {
          page,
          per_page: 1000,
          count: items.length,
          total_count: total,
          total_pages: count
        })
      )
  }
  return scope
}

const app = (i: number, policies: unknown[]) => ({
  id: uuid(1, i),
  name: `app-${i}`,
  domain: `app-${i}.example.com`,
  type: 'self_hosted',
  policies
})
const rules = { include: [{ group: { id: uuid(9, 1) } }], exclude: [], require: [] }

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
afterEach(() => nock.cleanAll())

describe('reading Access applications', () => {
  it('2,345 apps whose policies carry their rules: 3 requests, no policies list', async () => {
    const apps = pages(`${P}/access/apps`, 2345, (i) =>
      app(i, [{ id: uuid(2, i), decision: 'allow', precedence: 1, ...rules }])
    )
    const client = createCloudflareClient(clientOptions())
    const read = await client.readAccessApplications()
    expect(apps.isDone()).toBe(true)
    expect(client.requestCount).toBe(3)
    expect(read.status === 'read' && read.applications).toHaveLength(2345)
  })

  it('an app listing a reusable policy without its rules adds the policies list: 3 + 2 requests', async () => {
    const apps = pages(`${P}/access/apps`, 2345, (i) =>
      app(i, i === 7 ? [{ id: uuid(3, 0) }] : [{ id: uuid(2, i), decision: 'allow', ...rules }])
    )
    const policies = pages(`${P}/access/policies`, 1001, (i) => ({
      id: uuid(3, i),
      name: `policy-${i}`,
      decision: 'allow',
      reusable: true,
      app_count: i === 0 ? 1 : 0,
      ...rules
    }))
    const client = createCloudflareClient(clientOptions())
    const read = await client.readAccessApplications()
    expect(apps.isDone() && policies.isDone()).toBe(true)
    expect(client.requestCount).toBe(Math.ceil(2345 / 1000) + Math.ceil(1001 / 1000))
    if (read.status !== 'read') throw new Error(read.status)
    expect(read.applications[7]!.policies).toEqual([
      { id: uuid(3, 0), name: 'policy-0', decision: 'allow', ...rules }
    ])
  })
})
