import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type AccountSeed, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { ACCOUNT_ID, TOKEN, account, call } from './support.js'

/** 23 members, 12 groups, 7 users, 25 roles: enough to span several pages of each list. */
function bigSeed(): AccountSeed {
  const n = (i: number) => String(i).padStart(2, '0')
  return {
    account_id: ACCOUNT_ID,
    credentials: { tokens: [{ value: TOKEN }] },
    roles: Array.from({ length: 25 }, (_, i) => ({ name: `Role ${n(i)}` })),
    members: Array.from({ length: 23 }, (_, i) => ({
      email: `member${n(i)}@example.com`,
      status: i % 4 === 3 ? ('pending' as const) : ('accepted' as const),
      roles: ['Role 00']
    })),
    groups: Array.from({ length: 12 }, (_, i) => ({
      name: `Group ${n(i)}`,
      include: [{ email: { email: `member${n(i)}@example.com` } }]
    })),
    users: Array.from({ length: 7 }, (_, i) => ({ email: `user${n(i)}@example.org` }))
  }
}

let emulator: Emulator
beforeAll(async () => {
  emulator = await startEmulator({ seed: bigSeed() })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => {
  emulator.reset()
})

describe('list pagination', () => {
  it('pages members 20 at a time by default and reports result_info', async () => {
    const first = await call(emulator, 'GET', account('/members'))
    expect(first.json.result_info).toEqual({
      page: 1,
      per_page: 20,
      count: 20,
      total_count: 23,
      total_pages: 2
    })
    const second = await call(emulator, 'GET', account('/members?page=2'))
    expect(second.json.result_info).toEqual({
      page: 2,
      per_page: 20,
      count: 3,
      total_count: 23,
      total_pages: 2
    })
    expect(second.json.result.map((m: { user: { email: string } }) => m.user.email)).toEqual([
      'member20@example.com',
      'member21@example.com',
      'member22@example.com'
    ])
    assertContract(emulator.requests)
  })

  it('answers a page past the end with 200 and an empty result', async () => {
    const past = await call(emulator, 'GET', account('/members?page=3'))
    expect(past.status).toBe(200)
    expect(past.json.success).toBe(true)
    expect(past.json.result).toEqual([])
    expect(past.json.result_info).toEqual({
      page: 3,
      per_page: 20,
      count: 0,
      total_count: 23,
      total_pages: 2
    })
    const groups = await call(emulator, 'GET', account('/access/groups?page=2'))
    expect(groups.json.result).toEqual([])
    assertContract(emulator.requests)
  })

  it('accepts member per_page from 5 to 50 and rejects anything else with 400', async () => {
    expect((await call(emulator, 'GET', account('/members?per_page=5'))).json.result).toHaveLength(
      5
    )
    expect((await call(emulator, 'GET', account('/members?per_page=50'))).json.result).toHaveLength(
      23
    )
    for (const perPage of ['4', '51', '0', 'ten']) {
      const answer = await call(emulator, 'GET', account(`/members?per_page=${perPage}`))
      expect(answer.status).toBe(400)
      expect(answer.json.success).toBe(false)
    }
    const tooBig = await call(emulator, 'GET', account('/members?per_page=51'))
    expect(tooBig.json.errors).toEqual([
      { code: 1001, message: 'Invalid request: per_page must be between 5 and 50, got 51' }
    ])
    expect((await call(emulator, 'GET', account('/members?page=0'))).status).toBe(400)
  })

  it('filters members by status before paging', async () => {
    const pending = await call(emulator, 'GET', account('/members?status=pending&per_page=5'))
    expect(pending.json.result.map((m: { user: { email: string } }) => m.user.email)).toEqual([
      'member03@example.com',
      'member07@example.com',
      'member11@example.com',
      'member15@example.com',
      'member19@example.com'
    ])
    expect(pending.json.result_info.total_count).toBe(5)
    expect(pending.json.result_info.total_pages).toBe(1)
  })

  it('orders members when asked', async () => {
    const answer = await call(
      emulator,
      'GET',
      account('/members?order=user.email&direction=desc&per_page=5')
    )
    expect(answer.json.result.map((m: { user: { email: string } }) => m.user.email)).toEqual([
      'member22@example.com',
      'member21@example.com',
      'member20@example.com',
      'member19@example.com',
      'member18@example.com'
    ])
  })

  it('pages groups and users with a default of 1000 and honours small per_page', async () => {
    const all = await call(emulator, 'GET', account('/access/groups'))
    expect(all.json.result_info).toEqual({
      page: 1,
      per_page: 1000,
      count: 12,
      total_count: 12,
      total_pages: 1
    })
    const page = await call(emulator, 'GET', account('/access/groups?page=3&per_page=5'))
    expect(page.json.result.map((g: { name: string }) => g.name)).toEqual(['Group 10', 'Group 11'])
    const users = await call(emulator, 'GET', account('/access/users?page=2&per_page=3'))
    expect(users.json.result.map((u: { email: string }) => u.email)).toEqual([
      'user03@example.org',
      'user04@example.org',
      'user05@example.org'
    ])
    expect(users.json.result_info).toEqual({
      page: 2,
      per_page: 3,
      count: 3,
      total_count: 7,
      total_pages: 3
    })
    expect((await call(emulator, 'GET', account('/access/groups?per_page=1001'))).status).toBe(400)
    expect((await call(emulator, 'GET', account('/access/users?per_page=1001'))).status).toBe(400)
    assertContract(emulator.requests)
  })

  it('pages roles (Super Administrator listed first) 20 at a time and clamps per_page above 50 to 50', async () => {
    const first = await call(emulator, 'GET', account('/roles'))
    expect(first.json.result).toHaveLength(20)
    expect(first.json.result_info).toEqual({
      page: 1,
      per_page: 20,
      count: 20,
      total_count: 26,
      total_pages: 2
    })
    const clamped = await call(emulator, 'GET', account('/roles?per_page=100'))
    expect(clamped.status).toBe(200)
    expect(clamped.json.result_info).toEqual({
      page: 1,
      per_page: 50,
      count: 26,
      total_count: 26,
      total_pages: 1
    })
  })
})
