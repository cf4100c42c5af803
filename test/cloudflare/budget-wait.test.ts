/**
 * A plan that needs more requests than the budget allows waits, and says so: the 1,013-request plan (an
 * account of 50,450 members, 1,009 pages of 50) against the emulator, with the clock and the sleep injected.
 */
import { afterEach, expect, test } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'

const ACCOUNT = '0123456789abcdef0123456789abcdef'
const TOKEN = 'budget-test-token-0123456789abcdef0123'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

test('a 1,013-request plan logs its budget wait, with its length and reason, and reads everything', async () => {
  emulator = await startEmulator({
    seed: {
      account_id: ACCOUNT,
      credentials: { tokens: [{ value: TOKEN, id: 'b0d9e7'.padEnd(32, '0') }] },
      members: Array.from({ length: 50_450 }, (_, m) => ({
        id: `c${String(m).padStart(31, '0')}`,
        email: `member${m}@corp.example`,
        roles: []
      }))
    }
  })
  let clock = 1_000_000
  const sleeps: number[] = []
  const waits: string[] = []
  const client = createCloudflareClient({
    apiUrl: emulator.url,
    accountId: ACCOUNT,
    credentials: { kind: 'token', token: TOKEN },
    budget: { requests: 1000, windowMs: 300_000, source: 'input cloudflare-request-budget' },
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms)
      clock += ms
    },
    onWait: (message) => waits.push(message)
  })

  await client.verifyCredentials()
  const snapshot = await client.readAccountSnapshot()

  expect(snapshot.members).toHaveLength(50_450)
  // The token check, 1,009 member pages, one page each of groups, roles and users.
  expect(client.requestCount).toBe(1013)
  expect(emulator.requests.every((request) => request.status === 200)).toBe(true)
  // Four silent paces of one second at 200 requests per second, then the one wait the budget makes, in the log.
  expect(sleeps).toEqual([1000, 1000, 1000, 1000, 296_000])
  expect(waits).toEqual([
    "Cloudflare request budget: waiting 4 min 56 s, because 1,000 requests per 5 min are this run's budget (input cloudflare-request-budget)."
  ])
})
