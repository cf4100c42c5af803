/**
 * End to end at issue 12's size: the committed bundle reviews an account of 2,000 Access groups of 25 members (50,000
 * grants, 200 owners) held by the Cloudflare emulator, writing to the loopback GitHub fake. Too large for one issue,
 * the review is a tracking issue and child issues. Asserted from the bodies GitHub holds afterwards: every body within
 * GitHub's limit, every grant's keep and revoke boxes present exactly once across all of them, and the requests sent
 * to Cloudflare and GitHub counted exactly.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PAGE_SIZES } from '../../src/cloudflare/client.js'
import { APPLICATION_PAGE_SIZES } from '../../src/cloudflare/applications.js'
import { startEmulator, type AccountSeed, type Emulator } from '../../src/emulator/index.js'
import { MAX_BODY_LENGTH } from '../../src/github/index.js'
import { REVIEW_SPLIT_MARKER, parseReviewPartMarker } from '../../src/report/index.js'
import { certificationKey } from '../../src/review/index.js'
import {
  LARGE_GROUPS,
  LARGE_MEMBERS,
  largeEmail,
  largeGroupName,
  largeReviewAccount
} from '../fixtures/review/large-account.js'
import { assertContract } from '../support/openapi-contract.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleRun } from './run-bundle.js'
import { DEMO_TOKEN, REPO } from './fixtures.js'

const ACCOUNT_ID = 'a1b2c3d4a1b2c3d4a1b2c3d4a1b2c3d4'
const SHA = '5555555555555555555555555555555555555555'
const GRANTS = LARGE_GROUPS * LARGE_MEMBERS
const { snapshot, files } = largeReviewAccount(ACCOUNT_ID)

/** The account of the fixture as an emulator seed: the same groups, ids and Zero Trust users. */
function largeSeed(): AccountSeed {
  return {
    account_id: ACCOUNT_ID,
    credentials: { tokens: [{ value: DEMO_TOKEN }] },
    groups: snapshot.groups.map((group) => ({
      id: group.id,
      name: group.name,
      include: group.include as Record<string, unknown>[]
    })),
    users: snapshot.users.map((user) => ({
      email: user.email,
      last_successful_login: user.lastSuccessfulLogin ?? undefined,
      access_seat: user.accessSeat,
      gateway_seat: user.gatewaySeat
    }))
  }
}

/** Every decision box in a body, counted per `${decision} ${key}` (a Map would hide a box written twice). */
function boxesIn(body: string): string[] {
  return [...body.matchAll(/<!-- (keep|revoke) (cert:[A-Za-z0-9@._%:-]+) -->/g)].map(
    (match) => `${match[1]} ${match[2]}`
  )
}

let emulator: Emulator
let github: FakeGitHub
let result: BundleRun

beforeAll(async () => {
  emulator = await startEmulator({ seed: largeSeed() })
  github = await startFakeGitHub()
  const workspace = await mkdtemp(join(tmpdir(), 'e2e-review-large-'))
  for (const file of files) {
    await mkdir(dirname(join(workspace, file.path)), { recursive: true })
    await writeFile(join(workspace, file.path), file.text)
  }
  result = await runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: SHA,
    ref: 'refs/heads/main',
    eventName: 'schedule',
    payload: { schedule: '0 6 * * *', repository: REPO },
    now: '2026-12-01T06:00:00Z',
    // The client paces issue writes as GitHub asks (one content-creating request every few seconds): a first run of
    // this review takes that many seconds per issue on a runner. Waits shrink here; what is sent does not change.
    fastWaits: true,
    inputs: {
      mode: 'review',
      config: 'access/*.yaml',
      'cloudflare-account-id': ACCOUNT_ID,
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN
    }
  })
}, 300_000)

afterAll(async () => {
  await github?.close()
  await emulator?.close()
  if (emulator) assertContract(emulator.requests)
})

describe('the bundle reviews a 50,000-grant account', () => {
  test('the review is split into a tracking issue and parts, every body within the limit', () => {
    expect(result.exitCode, result.stdout + result.stderr).toBe(0)
    const [tracking, ...parts] = github.state.issues
    expect(tracking!.body).toContain(REVIEW_SPLIT_MARKER)
    expect(result.outputs['issue-number']).toBe(String(tracking!.number))
    expect(parts.length).toBeGreaterThan(100)
    for (const issue of github.state.issues) {
      expect(issue.body.length).toBeLessThanOrEqual(MAX_BODY_LENGTH)
      // The size cap keeps detail: no body says it was cut.
      expect(issue.body).not.toContain('cut to stay within')
    }
    for (const [offset, part] of parts.entries()) {
      expect(parseReviewPartMarker(part.body)).toEqual({
        key: '2026-12',
        index: offset + 1,
        tracking: tracking!.number
      })
      expect(part.body).toContain(`Part of #${tracking!.number}:`)
      expect(tracking!.body).toContain(`| #${part.number} | `)
    }
    expect(tracking!.body).toContain(`Decided 0 of ${GRANTS} grants in ${LARGE_GROUPS} managed`)
  })

  test('every grant has its keep and revoke boxes exactly once across the tracking issue and its parts', () => {
    const seen = new Map<string, number>()
    for (const issue of github.state.issues) {
      for (const box of boxesIn(issue.body)) seen.set(box, (seen.get(box) ?? 0) + 1)
    }
    const expected = new Set<string>()
    for (let g = 0; g < LARGE_GROUPS; g++) {
      for (let m = 0; m < LARGE_MEMBERS; m++) {
        const key = certificationKey('group', largeGroupName(g), largeEmail(g, m))
        expected.add(`keep ${key}`)
        expected.add(`revoke ${key}`)
      }
    }
    expect(expected.size).toBe(2 * GRANTS)
    expect(new Set(seen.keys())).toEqual(expected)
    expect([...seen].filter(([, times]) => times !== 1)).toEqual([])
  })

  test('the requests are counted: the fewest pages of every Cloudflare list, one GitHub write per issue', () => {
    // Cloudflare: the token check and one GET per page at the largest page size of each list.
    const account = `/accounts/${ACCOUNT_ID}`
    const pages = (count: number, perPage: number) => Math.max(1, Math.ceil(count / perPage))
    const cloudflare = new Map<string, number>()
    for (const request of emulator.requests) {
      const key = `${request.method} ${request.path.replace(/^\/client\/v4/, '')}`
      cloudflare.set(key, (cloudflare.get(key) ?? 0) + 1)
    }
    expect(cloudflare).toEqual(
      new Map([
        ['GET /user/tokens/verify', 1],
        [`GET ${account}/access/groups`, pages(LARGE_GROUPS, PAGE_SIZES.groups)],
        [`GET ${account}/access/users`, pages(GRANTS, PAGE_SIZES.users)],
        [`GET ${account}/members`, 1],
        [`GET ${account}/roles`, 1],
        [`GET ${account}/access/apps`, pages(0, APPLICATION_PAGE_SIZES.apps)]
      ])
    )
    // GitHub: who the token is, the three issue lists (this period's review, the previous one, the parts: one page
    // each), the label made sure of once, then one POST per issue and one PATCH that gives the review issue the
    // parts' numbers. No issue is written twice.
    const parts = github.state.issues.length - 1
    const routes = new Map<string, number>()
    for (const request of github.requests) {
      const key = request.route ?? `${request.method} ${request.path}`
      routes.set(key, (routes.get(key) ?? 0) + 1)
    }
    expect(routes).toEqual(
      new Map([
        ['GET /user', 1],
        ['POST /graphql', 1],
        ['GET /repos/:owner/:repo/issues', 3],
        ['GET /repos/:owner/:repo/labels/:name', 1],
        ['POST /repos/:owner/:repo/labels', 1],
        ['POST /repos/:owner/:repo/issues', parts + 1],
        ['PATCH /repos/:owner/:repo/issues/:number', 1]
      ])
    )
    expect(github.requests).toHaveLength(parts + 9)
  })
})
