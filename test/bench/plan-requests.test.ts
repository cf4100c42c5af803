/**
 * The benchmark's scenarios (bench/e2e/account.ts) planned in process against the emulator at 0 ms: every request
 * Cloudflare receives is counted, and the count is exactly the fewest that read the account. Times are the
 * benchmark's business; request counts are exact and belong here.
 */
import { afterEach, describe, expect, test } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { runPlan } from '../../src/modes/plan.js'
import {
  BENCH_ACCOUNT_ID,
  BENCH_TOKEN,
  SIZES,
  benchAccessFiles,
  benchSeed,
  planRequests
} from '../../bench/e2e/account.js'
import { PR_EVENT, fakeGitHub, harness, inputs, pullRequest } from '../modes/fakes.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

/** Requests by method and path below /client/v4, in the shape of planRequests. */
function countByRoute(requests: readonly { method: string; path: string }[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const request of requests) {
    const key = `${request.method} ${request.path.replace(/^\/client\/v4/, '')}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

describe('the benchmark scenarios read the account in the fewest requests', () => {
  test('the expected counts are the per-list page minimum (S 8, M 37, L 157)', () => {
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0)
    expect(SIZES.map((size) => [size.name, total(planRequests(size))])).toEqual([
      ['S', 8],
      ['M', 37],
      ['L', 157]
    ])
  })

  test.each(SIZES.map((size) => [size.name, size] as const))(
    '%s: a pull request plan sends exactly planRequests',
    async (_name, size) => {
      emulator = await startEmulator({ seed: benchSeed(size) })
      const base = Object.fromEntries(benchAccessFiles(size, 'base'))
      const github = fakeGitHub({
        filesAtRef: { 'base-sha': base },
        pullRequests: [pullRequest({ merged: false, mergeCommitSha: null })]
      })
      const h = harness({
        files: [...benchAccessFiles(size, 'head')].map(([path, text]) => ({ path, text })),
        github,
        event: PR_EVENT,
        inputs: inputs({
          config: 'access/*.yaml',
          'cloudflare-account-id': BENCH_ACCOUNT_ID,
          'cloudflare-api-token': BENCH_TOKEN
        })
      })
      const url = emulator.url
      h.deps.cloudflare = (accountId) =>
        createCloudflareClient({
          apiUrl: url,
          accountId,
          credentials: { kind: 'token', token: BENCH_TOKEN }
        })

      const result = await runPlan(h.deps)

      expect(result.failure).toBeUndefined()
      expect(result.outputs.additions).toBe(String(size.changes))
      expect(countByRoute(emulator.requests)).toEqual(planRequests(size))
      expect(emulator.requests.every((request) => request.status === 200)).toBe(true)
    },
    120_000
  )
})
