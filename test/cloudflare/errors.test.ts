import nock from 'nock'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { checkEveryRequestAgainstContract } from '../support/fetch-recorder.js'
import { CloudflareApiError, createCloudflareClient } from '../../src/cloudflare/index.js'
import {
  ACCOUNT,
  API,
  KEY,
  TOKEN,
  clientOptions,
  envelope,
  failure,
  group,
  recordingSleep
} from './helpers.js'

const P = `/client/v4/accounts/${ACCOUNT}`
const GROUP_ID = group(1).id

beforeAll(() => nock.disableNetConnect())
afterAll(() => nock.enableNetConnect())
afterEach(() => nock.cleanAll())

// Every request these tests make must also be one the OpenAPI subset describes.
checkEveryRequestAgainstContract()

async function errorOf(promise: Promise<unknown>): Promise<CloudflareApiError> {
  const error = await promise.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(CloudflareApiError)
  return error as CloudflareApiError
}

describe('authentication and permission errors', () => {
  it('explains 6003/6111: a Global API key sent as a token', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(
        400,
        failure(6003, 'Invalid request headers', [
          { code: 6111, message: 'Invalid format for Authorization header' }
        ])
      )
    const client = createCloudflareClient(clientOptions())
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(error.status).toBe(400)
    expect(error.codes).toEqual([6003, 6111])
    expect(error.attempts).toBe(1)
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: HTTP 400. Cloudflare said: 6003 Invalid request headers (6111 Invalid format for Authorization header). The Authorization header was rejected as malformed: this usually means a Global API key was passed as the API token. Pass an API token as the token, or pass the key together with its account e-mail as API-key credentials.`
    )
    expect(client.requestCount).toBe(1)
  })

  it('explains 6003/6103: a token sent as a Global API key', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(
        400,
        failure(6003, 'Invalid request headers', [
          { code: 6103, message: 'Invalid format for X-Auth-Key header' }
        ])
      )
    const client = createCloudflareClient(
      clientOptions({ credentials: { kind: 'key', email: 'owner@example.com', key: TOKEN } })
    )
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(error.message).toContain(
      'this usually means an API token was passed as a Global API key'
    )
  })

  it('names the missing permission on 9109 for group reads and writes', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(403, failure(9109, 'Unauthorized to access requested resource'))
      .put(`${P}/access/groups/${GROUP_ID}`)
      .reply(403, failure(9109, 'Unauthorized to access requested resource'))
    const client = createCloudflareClient(clientOptions())
    const read = await errorOf(client.getGroup(GROUP_ID))
    expect(read.message).toContain(
      'The API token lacks the "Access: Organizations, Identity Providers, and Groups Read" permission for this account'
    )
    const write = await errorOf(
      client.putGroup(GROUP_ID, {
        name: 'G',
        include: [{ everyone: {} }],
        exclude: [],
        require: []
      })
    )
    expect(write.message).toContain('"Access: Organizations, Identity Providers, and Groups Edit"')
  })

  it('names Account Settings on 10000 for member writes', async () => {
    nock(API).put(`${P}/members/m1`).reply(403, failure(10000, 'Authentication error'))
    const error = await errorOf(
      createCloudflareClient(clientOptions()).setMemberRoles('m1', ['r1'])
    )
    expect(error.status).toBe(403)
    expect(error.codes).toEqual([10000])
    expect(error.message).toContain('Cloudflare said: 10000 Authentication error.')
    expect(error.message).toContain('lacks the "Account Settings Edit" permission')
  })

  it('names the Zero Trust users permission on 9109', async () => {
    nock(API)
      .get(`${P}/access/users`)
      .query(true)
      .reply(403, failure(9109, 'Unauthorized to access requested resource'))
    nock(API)
      .get(`${P}/members`)
      .query(true)
      .reply(200, envelope([], { page: 1, per_page: 50, count: 0, total_count: 0 }))
    nock(API)
      .get(`${P}/roles`)
      .query(true)
      .reply(200, envelope([], { page: 1, per_page: 50, count: 0, total_count: 0 }))
    nock(API)
      .get(`${P}/access/groups`)
      .query(true)
      .reply(200, envelope([], { page: 1, per_page: 1000, count: 0, total_count: 0 }))
    const error = await errorOf(createCloudflareClient(clientOptions()).readAccountSnapshot())
    expect(error.message).toContain(`GET /accounts/${ACCOUNT}/access/users`)
    expect(error.message).toContain(
      'lacks the "Access: Audit Logs Read" permission for this account'
    )
  })

  it('treats a 200 with success:false as a failure', async () => {
    nock(API).get(`${P}/access/groups/${GROUP_ID}`).reply(200, failure(7003, 'Could not route'))
    const error = await errorOf(createCloudflareClient(clientOptions()).getGroup(GROUP_ID))
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: HTTP 200 but success is false. Cloudflare said: 7003 Could not route.`
    )
  })

  it('never puts the token or key in an error message, even when Cloudflare echoes it', async () => {
    const messages: string[] = []
    nock(API)
      .get(`${P}/access/groups/g1`)
      .reply(403, failure(10000, `Authentication error for ${TOKEN}`))
    nock(API)
      .get(`${P}/access/groups/g2`)
      .reply(400, failure(6003, `bad header Bearer ${TOKEN}`, [{ code: 6111, message: TOKEN }]))
    nock(API)
      .get(`${P}/access/groups/g3`)
      .times(2)
      .reply(503, failure(1, `upstream ${TOKEN}`))
    nock(API)
      .get(`${P}/access/groups/g4`)
      .times(2)
      .replyWithError({ code: 'ECONNRESET', message: `reset ${TOKEN}` })
    const tokenClient = createCloudflareClient(
      clientOptions({ maxRetries: 1, onRetry: (m) => messages.push(m) })
    )
    for (const id of ['g1', 'g2', 'g3', 'g4']) {
      messages.push((await errorOf(tokenClient.getGroup(id))).message)
    }
    nock(API)
      .get(`${P}/access/groups/g5`)
      .reply(403, failure(10000, `bad key ${KEY}`))
    const keyClient = createCloudflareClient(
      clientOptions({ credentials: { kind: 'key', email: 'owner@example.com', key: KEY } })
    )
    messages.push((await errorOf(keyClient.getGroup('g5'))).message)

    expect(messages).toHaveLength(7)
    for (const message of messages) {
      expect(message).not.toContain(TOKEN)
      expect(message).not.toContain(KEY)
    }
    expect(messages[0]).toContain('Authentication error for ***')
  })

  it('shortens what Cloudflare says and strips credentials that are not ours, before any report sees it', async () => {
    const other = 'cfut_SomeoneElsesToken0123456789abcdefXYZ'
    nock(API)
      .get(`${P}/access/groups/g1`)
      .reply(
        400,
        failure(
          10001,
          `rejected Authorization: Bearer ${other} and api_key=hunter2hunter2\nsecond line ${'x'.repeat(5_000)}`,
          [{ code: 10002, message: `X-Auth-Key: 144c9defac04969c7bfad8efaa8ea194a1b2c` }]
        )
      )
    const error = await errorOf(createCloudflareClient(clientOptions()).getGroup('g1'))
    expect(error.message).not.toContain(other)
    expect(error.message).not.toContain('hunter2')
    expect(error.message).not.toContain('144c9defac')
    expect(error.message).not.toContain('\n')
    expect(error.message).toContain(
      '10001 rejected Authorization: [redacted] and api_key=[redacted] second line x'
    )
    expect(error.message).toContain('(10002 X-Auth-Key: [redacted])')
    expect(error.message.length).toBeLessThan(600)
  })
})

describe('verifyCredentials', () => {
  it('verifies a user-owned token with one request', async () => {
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/client/v4/user/tokens/verify')
      .reply(200, {
        ...envelope({ id: 't1', status: 'active' }),
        messages: [{ code: 10000, message: 'This API Token is valid and active' }]
      })
    const client = createCloudflareClient(clientOptions())
    await client.verifyCredentials()
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(1)
  })

  // An account-owned token without a prefix is reported to get either answer on the user endpoint.
  it.each([
    [401, failure(1000, 'Invalid API Token')],
    [403, failure(9109, 'Unauthorized to access requested resource')]
  ])(
    'falls back to the account endpoint when the user endpoint answers %i',
    async (status, body) => {
      const scope = nock(API)
        .get('/client/v4/user/tokens/verify')
        .reply(status, body)
        .get(`${P}/tokens/verify`)
        .reply(200, envelope({ id: 't1', status: 'active' }))
      const client = createCloudflareClient(clientOptions())
      await client.verifyCredentials()
      expect(scope.isDone()).toBe(true)
      expect(client.requestCount).toBe(2)
    }
  )

  it('sends a cfat_ (account-owned) token straight to the account endpoint: one request', async () => {
    const token = 'cfat_0123456789abcdef0123456789abcdef01234567'
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${token}` } })
      .get(`${P}/tokens/verify`)
      .reply(200, envelope({ id: 't1', status: 'active' }))
    const client = createCloudflareClient(clientOptions({ credentials: { kind: 'token', token } }))
    await client.verifyCredentials()
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(1)
  })

  it('sends a cfut_ (user-owned) token to the user endpoint: one request', async () => {
    const token = 'cfut_0123456789abcdef0123456789abcdef01234567'
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${token}` } })
      .get('/client/v4/user/tokens/verify')
      .reply(200, envelope({ id: 't1', status: 'active' }))
    const client = createCloudflareClient(clientOptions({ credentials: { kind: 'token', token } }))
    await client.verifyCredentials()
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(1)
  })

  it('a cfat_ token the account endpoint refuses is not tried anywhere else', async () => {
    const token = 'cfat_0123456789abcdef0123456789abcdef01234567'
    const scope = nock(API).get(`${P}/tokens/verify`).reply(401, failure(1000, 'Invalid API Token'))
    const client = createCloudflareClient(clientOptions({ credentials: { kind: 'token', token } }))
    const error = await errorOf(client.verifyCredentials())
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(1)
    expect(error.message).toContain('The API token is not valid')
  })

  it('fails for a disabled token', async () => {
    nock(API)
      .get('/client/v4/user/tokens/verify')
      .reply(200, envelope({ id: 't1', status: 'disabled' }))
    const error = await errorOf(createCloudflareClient(clientOptions()).verifyCredentials())
    expect(error.message).toBe(
      'Cloudflare API GET /user/tokens/verify: the API token is disabled, not active. Create a new token (or re-enable this one) and update the secret.'
    )
  })

  it('explains an invalid token, after asking both endpoints', async () => {
    const scope = nock(API)
      .get('/client/v4/user/tokens/verify')
      .reply(401, failure(1000, 'Invalid API Token'))
      .get(`${P}/tokens/verify`)
      .reply(401, failure(1000, 'Invalid API Token'))
    const client = createCloudflareClient(clientOptions())
    const error = await errorOf(client.verifyCredentials())
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(2)
    expect(error.message).toContain(
      'The API token is not valid: it may be mistyped, expired or revoked.'
    )
  })

  it('checks a Global API key with one cheap member read', async () => {
    const scope = nock(API, {
      reqheaders: { 'x-auth-email': 'owner@example.com', 'x-auth-key': KEY }
    })
      .get(`${P}/members`)
      .query({ page: '1', per_page: '5' })
      .reply(200, envelope([], { page: 1, per_page: 5, count: 0, total_count: 0 }))
    const client = createCloudflareClient(
      clientOptions({ credentials: { kind: 'key', email: 'owner@example.com', key: KEY } })
    )
    await client.verifyCredentials()
    expect(scope.isDone()).toBe(true)
  })
})

describe('retries', () => {
  it('waits for retry-after on 429, then succeeds', async () => {
    const { calls, sleep } = recordingSleep()
    const retries: string[] = []
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(429, failure(971, 'Please wait and consider throttling your request speed'), {
        'retry-after': '7'
      })
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(1)))
    const client = createCloudflareClient(clientOptions({ sleep, onRetry: (m) => retries.push(m) }))
    const result = await client.getGroup(GROUP_ID)
    expect(result.name).toBe('Group 1')
    expect(calls).toEqual([7000])
    expect(client.requestCount).toBe(2)
    expect(retries).toEqual([
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: rate limited (HTTP 429); retry 1 of 4 in 7 s.`
    ])
  })

  it('fails clearly when retry-after exceeds the cap, without waiting', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(429, failure(971, 'rate limited'), { 'retry-after': '301' })
    const client = createCloudflareClient(clientOptions({ sleep }))
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(calls).toEqual([])
    expect(error.status).toBe(429)
    expect(error.message).toContain(
      'rate limited (HTTP 429); Cloudflare asks to wait 301 s, longer than the allowed 300 s.'
    )
  })

  it('gives up after the allowed number of 429 retries', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .times(3)
      .reply(429, failure(971, 'rate limited'), { 'retry-after': '2' })
    const client = createCloudflareClient(clientOptions({ sleep, maxRetries: 2 }))
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(calls).toEqual([2000, 2000])
    expect(client.requestCount).toBe(3)
    expect(error.message).toContain('still rate limited (HTTP 429) after 3 attempts.')
  })

  it('retries a 5xx with full-jitter exponential backoff, then succeeds', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(502, 'bad gateway')
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(503, failure(1, 'unavailable'))
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(1)))
    const client = createCloudflareClient(clientOptions({ sleep, random: () => 0.5 }))
    await client.getGroup(GROUP_ID)
    // random 0.5 x 1 s, then 0.5 x 2 s
    expect(calls).toEqual([500, 1000])
    expect(client.requestCount).toBe(3)
  })

  it('says how many attempts were made when 5xx persists', async () => {
    const { calls, sleep } = recordingSleep()
    const scope = nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .times(5)
      .reply(500, failure(1, 'internal error'))
    const client = createCloudflareClient(clientOptions({ sleep, random: () => 1 }))
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(5)
    expect(calls).toEqual([1000, 2000, 4000, 8000])
    expect(error.attempts).toBe(5)
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: HTTP 500 on each of 5 attempts. Cloudflare said: 1 internal error. Cloudflare may be having an outage (see its status page); re-run later.`
    )
  })

  it('retries a connection reset', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(1)))
    const retries: string[] = []
    const client = createCloudflareClient(clientOptions({ onRetry: (m) => retries.push(m) }))
    const result = await client.getGroup(GROUP_ID)
    expect(result.id).toBe(GROUP_ID)
    expect(client.requestCount).toBe(2)
    expect(retries).toHaveLength(1)
    expect(retries[0]).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: connection failed (ECONNRESET: socket hang up); retry 1 of 4 in 500 ms.`
    )
  })

  it('reports the attempts when the connection keeps failing', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .times(3)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
    const client = createCloudflareClient(clientOptions({ maxRetries: 2 }))
    const error = await errorOf(client.getGroup(GROUP_ID))
    expect(error.attempts).toBe(3)
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/access/groups/${GROUP_ID}: no answer after 3 attempts; last: connection failed (ECONNRESET: socket hang up). Check that the API URL is reachable from the runner, then re-run.`
    )
  })

  it('does not retry an invitation on 5xx', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .post(`${P}/members`, { email: 'new@example.com', roles: ['r1'] })
      .reply(500, failure(1, 'internal error'))
    const client = createCloudflareClient(clientOptions({ sleep }))
    const error = await errorOf(client.inviteMember('new@example.com', ['r1']))
    expect(client.requestCount).toBe(1)
    expect(calls).toEqual([])
    expect(error.message).toContain(
      'HTTP 500; not retried because the write may have taken effect.'
    )
  })

  it('counts "already a member" on a retried invitation as success', async () => {
    const scope = nock(API)
      .post(`${P}/members`, { email: 'new@example.com', roles: ['r1'] })
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .post(`${P}/members`, { email: 'new@example.com', roles: ['r1'] })
      .reply(400, failure(1005, 'new@example.com is already a member of this account'))
    const client = createCloudflareClient(clientOptions())
    await client.inviteMember('new@example.com', ['r1'])
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(2)
  })

  it('reports "already a member" on a first invitation attempt as an error', async () => {
    nock(API)
      .post(`${P}/members`)
      .reply(400, failure(1005, 'new@example.com is already a member of this account'))
    const error = await errorOf(
      createCloudflareClient(clientOptions()).inviteMember('new@example.com', ['r1'])
    )
    expect(error.status).toBe(400)
  })

  it('times out a request that hangs and retries it', async () => {
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .delay(500)
      .reply(200, envelope(group(1)))
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(2)))
    const retries: string[] = []
    const client = createCloudflareClient(
      clientOptions({ requestTimeoutMs: 50, onRetry: (m) => retries.push(m) })
    )
    const result = await client.getGroup(GROUP_ID)
    expect(result.name).toBe('Group 2')
    expect(retries[0]).toContain('timed out after 50 ms')
  })
})

describe('request budget', () => {
  it('sleeps for the window instead of exceeding the budget', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .times(3)
      .reply(200, envelope(group(1)))
    let clock = 10_000
    const client = createCloudflareClient(
      clientOptions({ sleep, now: () => clock, budget: { requests: 2, windowMs: 1_000 } })
    )
    await client.getGroup(GROUP_ID)
    clock += 300
    await client.getGroup(GROUP_ID)
    clock += 100
    await client.getGroup(GROUP_ID)
    // The first request left the window at 11_000; the third came at 10_400.
    expect(calls).toEqual([600])
    expect(client.requestCount).toBe(3)
  })
})

describe('writes', () => {
  it('sends role objects on PUT, role ids on POST, and nothing on DELETE', async () => {
    const scope = nock(API)
      .put(`${P}/members/m1`, { roles: [{ id: 'r1' }, { id: 'r2' }] })
      .reply(200, envelope({ id: 'm1' }))
      .post(`${P}/members`, { email: 'new@example.com', roles: ['r1'] })
      .reply(200, envelope({ id: 'm2' }))
      .delete(`${P}/members/m3`, (body) => body === '' || body === undefined)
      .reply(200, envelope({ id: 'm3' }))
    const client = createCloudflareClient(clientOptions())
    await client.setMemberRoles('m1', ['r1', 'r2'])
    await client.inviteMember('new@example.com', ['r1'])
    await client.removeMember('m3')
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(3)
  })

  it('ends Access sessions with one POST of the e-mail to revoke_user and reads the boolean result', async () => {
    const scope = nock(API)
      .post(`${P}/access/organizations/revoke_user`, { email: 'carol@example.com' })
      .reply(200, envelope(true))
      .post(`${P}/access/organizations/revoke_user`, { email: 'dave@example.com' })
      .reply(200, envelope(false))
    const client = createCloudflareClient(clientOptions())
    expect(await client.endAccessSessions('carol@example.com')).toBe(true)
    expect(await client.endAccessSessions('dave@example.com')).toBe(false)
    expect(scope.isDone()).toBe(true)
    expect(client.requestCount).toBe(2)
  })

  it('names the permission revoke_user needs when the token lacks it', async () => {
    nock(API)
      .post(`${P}/access/organizations/revoke_user`)
      .reply(403, failure(9109, 'Unauthorized to access requested resource'))
    const client = createCloudflareClient(clientOptions())
    const error = await errorOf(client.endAccessSessions('carol@example.com'))
    expect(error.message).toContain('"Access: Organizations, Identity Providers, and Groups Edit"')
  })
})

describe('retry-after forms', () => {
  it('reads an HTTP-date retry-after against the clock', async () => {
    const { calls, sleep } = recordingSleep()
    const now = Date.parse('2026-03-01T10:00:00Z')
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(429, failure(971, 'rate limited'), { 'retry-after': 'Sun, 01 Mar 2026 10:00:42 GMT' })
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(1)))
    await createCloudflareClient(clientOptions({ sleep, now: () => now })).getGroup(GROUP_ID)
    expect(calls).toEqual([42_000])
  })

  it('backs off with jitter when a 429 has no retry-after', async () => {
    const { calls, sleep } = recordingSleep()
    nock(API)
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(429, failure(971, 'rate limited'))
      .get(`${P}/access/groups/${GROUP_ID}`)
      .reply(200, envelope(group(1)))
    await createCloudflareClient(clientOptions({ sleep, random: () => 0.25 })).getGroup(GROUP_ID)
    expect(calls).toEqual([250])
  })
})

describe('Global API key permission errors', () => {
  it('speaks of the user behind the key, not of token permissions', async () => {
    nock(API)
      .get(`${P}/members`)
      .query(true)
      .reply(403, failure(9109, 'Unauthorized to access requested resource'))
    const client = createCloudflareClient(
      clientOptions({ credentials: { kind: 'key', email: 'owner@example.com', key: KEY } })
    )
    const error = await errorOf(client.verifyCredentials())
    expect(error.message).toBe(
      `Cloudflare API GET /accounts/${ACCOUNT}/members: HTTP 403. Cloudflare said: 9109 Unauthorized to access requested resource. The user behind the Global API key may not read this in the account (a token would need "Account Settings Read"); use a user with that access or an API token that has it.`
    )
  })
})
