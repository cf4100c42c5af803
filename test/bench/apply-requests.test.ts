/**
 * The apply benchmark's merged pull request (bench/e2e/apply-account.ts: 3,000 changes, 900 writes) applied in
 * process against the emulator at 0 ms: every request Cloudflare receives is counted, and the count is exact.
 */
import { afterEach, expect, test } from 'vitest'
import { createCloudflareClient } from '../../src/cloudflare/index.js'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { runApply } from '../../src/modes/apply.js'
import { BENCH_ACCOUNT_ID, BENCH_TOKEN } from '../../bench/e2e/account.js'
import {
  APPLY_CHANGES,
  APPLY_SIZE,
  applyAccessFile,
  applyRequests,
  applySeed
} from '../../bench/e2e/apply-account.js'
import {
  CONFIG,
  PUSH_EVENT,
  approval,
  fakeGitHub,
  harness,
  inputs,
  pullRequest
} from '../modes/fakes.js'

let emulator: Emulator | undefined
afterEach(async () => {
  await emulator?.close()
  emulator = undefined
})

/** Requests by method and path below /client/v4, object ids collapsed to `:id`, in the shape of applyRequests. */
function countByRoute(requests: readonly { method: string; path: string }[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const request of requests) {
    const path = request.path
      .replace(/^\/client\/v4/, '')
      .replace(/\/(access\/groups|members)\/[^/]+$/, '/$1/:id')
    const key = `${request.method} ${path}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

test('a 3,000-change apply sends 949 requests: the reads, 13 list pages to re-read, 900 writes; no 429', async () => {
  expect(APPLY_CHANGES).toBe(3_000)
  expect([...applyRequests().values()].reduce((a, b) => a + b, 0)).toBe(949)
  emulator = await startEmulator({ seed: applySeed() })
  const merged = applyAccessFile('merged')
  const github = fakeGitHub({
    filesAtRef: {
      'before-sha': { [CONFIG]: applyAccessFile('base') },
      'merge-sha': { [CONFIG]: merged },
      main: { [CONFIG]: merged },
      'head-sha': { [CONFIG]: merged }
    },
    pullRequests: [pullRequest()],
    reviews: { 42: [approval('octocat')] }
  })
  const h = harness({
    file: merged,
    github,
    event: PUSH_EVENT,
    inputs: inputs({
      'cloudflare-account-id': BENCH_ACCOUNT_ID,
      'cloudflare-api-token': BENCH_TOKEN
    })
  })
  const url = emulator.url
  const waits: string[] = []
  h.deps.cloudflare = (accountId) =>
    createCloudflareClient({
      apiUrl: url,
      accountId,
      credentials: { kind: 'token', token: BENCH_TOKEN },
      onWait: (message) => waits.push(message)
    })

  const result = await runApply(h.deps)

  expect(result.failure).toBeUndefined()
  expect(result.outputs).toMatchObject({ applied: String(APPLY_CHANGES), failed: '0' })
  expect(countByRoute(emulator.requests)).toEqual(applyRequests())
  expect(emulator.requests.every((request) => request.status === 200)).toBe(true)
  expect(waits).toEqual([])
  // The re-read is said, and so is each tenth of the 900 writes.
  const log = h.io.infos.join('\n')
  expect(log).toContain(
    `Re-read the ${APPLY_SIZE.groups} changed Access groups by listing them (1 request instead of ${APPLY_SIZE.groups} GETs) right before writing.`
  )
  expect(log).toContain(
    `Re-read the ${APPLY_SIZE.members} changed account members by listing them (12 requests instead of ${APPLY_SIZE.members} GETs) right before writing.`
  )
  expect(log).toMatch(
    /Apply progress: 900 of 900 writes done \(100%; 900 applied, 0 skipped, 0 failed\)/
  )
}, 120_000)
