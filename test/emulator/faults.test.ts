import { afterEach, describe, expect, it } from 'vitest'
import { findGroupById, startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { ENGINEERING_ID, GLOBAL_KEY, KEY_EMAIL, account, call, testSeed } from './support.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

async function start(
  options: Partial<Parameters<typeof startEmulator>[0]> = {}
): Promise<Emulator> {
  emulator = await startEmulator({ seed: testSeed(), ...options })
  return emulator
}

describe('faults', () => {
  it('status: answers the matching request with that status and a failure envelope, then heals', async () => {
    const em = await start()
    em.faults.inject({ kind: 'status', status: 502, match: { method: 'GET', path: /\/members$/ } })
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
    const failed = await call(em, 'GET', account('/members'))
    expect(failed.status).toBe(502)
    expect(failed.json).toEqual({
      success: false,
      errors: [{ code: 10001, message: 'Bad gateway' }],
      messages: [],
      result: null
    })
    expect((await call(em, 'GET', account('/members'))).status).toBe(200)
    assertContract(em.requests)
  })

  it('times: fails that many matching requests', async () => {
    const em = await start()
    em.faults.inject({ kind: 'status', status: 500, times: 2 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call(em, 'GET', account('/roles'))).status)
    expect(statuses).toEqual([500, 500, 200])
  })

  it('a failed write changes nothing', async () => {
    const em = await start()
    em.faults.inject({ kind: 'status', status: 500, match: { method: 'PUT' } })
    const answer = await call(em, 'PUT', account(`/access/groups/${ENGINEERING_ID}`), {
      body: { name: 'Engineering', include: [{ everyone: {} }] }
    })
    expect(answer.status).toBe(500)
    expect(findGroupById(em.state, ENGINEERING_ID)?.include).toHaveLength(3)
  })

  it('rate-limit: 429 with the given retry-after', async () => {
    const em = await start()
    em.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 42 })
    const answer = await call(em, 'GET', account('/access/groups'))
    expect(answer.status).toBe(429)
    expect(answer.headers.get('retry-after')).toBe('42')
    expect(answer.json.success).toBe(false)
    expect((await call(em, 'GET', account('/access/groups'))).status).toBe(200)
  })

  it('drop-connection: the socket closes without an answer and the log says status 0', async () => {
    const em = await start()
    em.faults.inject({ kind: 'drop-connection', match: { path: /\/access\/groups$/ } })
    await expect(call(em, 'GET', account('/access/groups'))).rejects.toThrow(TypeError)
    expect(em.requests).toHaveLength(1)
    expect(em.requests[0]).toMatchObject({ status: 0, response: undefined })
    expect((await call(em, 'GET', account('/access/groups'))).status).toBe(200)
  })

  it('mutate: edits state just before the request is served, like a concurrent dashboard edit', async () => {
    const em = await start()
    em.faults.inject({
      kind: 'mutate',
      match: { method: 'GET', path: new RegExp(`/access/groups/${ENGINEERING_ID}$`) },
      apply: (state) => {
        findGroupById(state, ENGINEERING_ID)?.include.push({
          email: { email: 'dashboard@example.com' }
        })
      }
    })
    const answer = await call(em, 'GET', account(`/access/groups/${ENGINEERING_ID}`))
    expect(answer.status).toBe(200)
    expect(answer.json.result.include).toHaveLength(4)
    expect(answer.json.result.include[3]).toEqual({ email: { email: 'dashboard@example.com' } })
    await call(em, 'GET', account(`/access/groups/${ENGINEERING_ID}`))
    expect(findGroupById(em.state, ENGINEERING_ID)?.include).toHaveLength(4)
  })

  it('uses up one answering fault per request, in injection order', async () => {
    const em = await start()
    em.faults.inject({ kind: 'status', status: 500 })
    em.faults.inject({ kind: 'rate-limit', retryAfterSeconds: 3 })
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await call(em, 'GET', account('/roles'))).status)
    expect(statuses).toEqual([500, 429, 200])
  })

  it('answers 500 naming the problem when a mutate fault throws', async () => {
    const em = await start()
    em.faults.inject({
      kind: 'mutate',
      apply: () => {
        throw new Error('no such group in this test')
      }
    })
    const answer = await call(em, 'GET', account('/roles'))
    expect(answer.status).toBe(500)
    expect(answer.json.errors).toEqual([
      { code: 10001, message: 'Mutate fault threw: Error: no such group in this test' }
    ])
    expect(em.requests[0]?.status).toBe(500)
  })

  it('clear() disarms every fault', async () => {
    const em = await start()
    em.faults.inject({ kind: 'status', status: 503, times: 5 })
    em.faults.clear()
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
  })
})

describe('rate limit', () => {
  it('answers 429 with retry-after once a credential used its window, per credential', async () => {
    const em = await start({ rateLimit: { limit: 3, windowMs: 60_000 } })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await call(em, 'GET', account('/roles'))).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const limited = await call(em, 'GET', account('/roles'))
    expect(limited.status).toBe(429)
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(Number.isInteger(retryAfter)).toBe(true)
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    const otherCredential = await call(em, 'GET', account('/roles'), {
      headers: { 'x-auth-email': KEY_EMAIL, 'x-auth-key': GLOBAL_KEY }
    })
    expect(otherCredential.status).toBe(200)
    assertContract(em.requests)
  })

  it('says the configured retry-after and sends Ratelimit headers on normal answers', async () => {
    const em = await start({ rateLimit: { limit: 2, windowMs: 300_000 }, retryAfterSeconds: 300 })
    const first = await call(em, 'GET', account('/roles'))
    expect(first.headers.get('ratelimit')).toBe('"default";r=1;t=300')
    expect(first.headers.get('ratelimit-policy')).toBe('"default";q=2;w=300')
    expect(first.headers.get('retry-after')).toBeNull()
    await call(em, 'GET', account('/roles'))
    const limited = await call(em, 'GET', account('/roles'))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('300')
  })

  it('blocks for a whole window once over the limit, not a sliding window, with Ratelimit headers on the 429', async () => {
    const em = await start({ rateLimit: { limit: 2, windowMs: 1000 } })
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
    await pause(600)
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
    const limited = await call(em, 'GET', account('/roles'))
    expect(limited.status).toBe(429)
    expect(limited.headers.get('ratelimit')).toMatch(/^"default";r=0;t=1$/)
    expect(limited.headers.get('ratelimit-policy')).toBe('"default";q=2;w=1')
    expect(limited.headers.get('retry-after')).toBe('1')
    // A sliding window would have freed the first request's slot by now; the block still holds.
    await pause(550)
    expect((await call(em, 'GET', account('/roles'))).status).toBe(429)
    await pause(600)
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
  })

  it('counts token verification against the same token', async () => {
    const em = await start({ rateLimit: { limit: 2, windowMs: 300_000 } })
    expect((await call(em, 'GET', '/user/tokens/verify')).status).toBe(200)
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
    expect((await call(em, 'GET', '/user/tokens/verify')).status).toBe(429)
  })

  it('adds latency without changing answers', async () => {
    const em = await start({ latencyMs: 20 })
    const answer = await call(em, 'GET', account('/roles'))
    expect(answer.status).toBe(200)
    expect(answer.json.result).toHaveLength(4)
  })

  it('starts counting again after reset()', async () => {
    const em = await start({ rateLimit: { limit: 1, windowMs: 300_000 } })
    await call(em, 'GET', account('/roles'))
    expect((await call(em, 'GET', account('/roles'))).status).toBe(429)
    em.reset()
    expect((await call(em, 'GET', account('/roles'))).status).toBe(200)
  })
})

describe('request log', () => {
  it('records method, path without query, query, body, status, response and auth in order', async () => {
    const em = await start()
    await call(em, 'GET', account('/members?page=2&per_page=5'))
    await call(em, 'POST', account('/access/groups'), {
      body: { name: 'New', include: [{ everyone: {} }] }
    })
    await call(em, 'GET', account('/roles'), { headers: {} })
    expect(em.requests.map((r) => [r.method, r.path, r.query, r.status, r.auth])).toEqual([
      ['GET', `/client/v4${account('/members')}`, { page: '2', per_page: '5' }, 200, 'token'],
      ['POST', `/client/v4${account('/access/groups')}`, {}, 201, 'token'],
      ['GET', `/client/v4${account('/roles')}`, {}, 400, 'none']
    ])
    expect(em.requests[0]?.body).toBeUndefined()
    expect(em.requests[1]?.body).toEqual({ name: 'New', include: [{ everyone: {} }] })
    expect(em.requests[1]?.response).toMatchObject({ success: true, result: { name: 'New' } })
    expect(em.requests[2]?.response).toMatchObject({ success: false, errors: [{ code: 9106 }] })
  })
})
