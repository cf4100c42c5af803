/**
 * End to end: the committed bundle when GitHub fails after Cloudflare was written. The outputs and the job summary say
 * what was applied, and a result comment GitHub refuses is a warning, not a failed step.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import {
  SECONDARY_RATE_LIMIT_MESSAGE,
  startFakeGitHub,
  type FakeGitHub
} from '../support/fake-github.js'
import {
  cloudflareWrites as cloudflareWritesTo,
  pullRequestEvent,
  pushEvent,
  runOnStage,
  type RunOptions
} from './harness.js'
import { BASE_SHA, HEAD_SHA, MERGE_SHA, ROOT, SEED, applyMainBacklog } from './fixtures.js'

let emulator: Emulator
let github: FakeGitHub
let workspace: string
let headFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  headFile = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  workspace = await mkdtemp(join(tmpdir(), 'e2e-github-failures-'))
  await writeFile(join(workspace, 'cloudflare-access.yaml'), headFile)
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  applyMainBacklog(emulator)
  github = await startFakeGitHub()
  seed(github)
})
afterEach(async () => {
  await github.close()
  assertContract(emulator.requests)
})

/** An approved merge of pull request #7 (adds ivan and judy to Engineering), still the tip of main. */
function seed(github: FakeGitHub): void {
  // The file before the merge: Engineering without ivan and judy (the pull request adds them).
  github.state.addFile(
    BASE_SHA,
    'cloudflare-access.yaml',
    headFile.replace(
      "      - ivan@example.com\n      - email: judy@example.org\n        expires: 2027-01-31\n        reason: 'INC-1234 on-call cover'\n",
      ''
    )
  )
  github.state.addPullRequest({
    number: 7,
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    mergeCommitSha: MERGE_SHA
  })
  github.state.addReview(7, { user: 'octocat', state: 'APPROVED', commitId: HEAD_SHA })
  github.state.grantPermission('octocat', 'write')
  github.state.addFile(MERGE_SHA, 'cloudflare-access.yaml', headFile)
  github.state.addFile(HEAD_SHA, 'cloudflare-access.yaml', headFile)
  github.state.setBranch('main', MERGE_SHA)
}

const apply = (options: Partial<RunOptions> = {}) =>
  runOnStage({ emulator, github, workspace }, { ...pushEvent(), fastWaits: true, ...options })

const cloudflareWrites = () => cloudflareWritesTo(emulator)
const RESULT_COMMENT = '/repos/acme/access/issues/7/comments'

describe('apply succeeds in Cloudflare, then the result comment fails', () => {
  test.each([
    { status: 403, message: 'Resource not accessible by integration', attempts: 1 },
    // A 500 is retried (three times) before it counts as failed.
    { status: 500, message: 'Server Error', attempts: 4 }
  ])(
    'GitHub answers $status: the step succeeds with a warning, outputs and summary are right',
    async ({ status, message, attempts }) => {
      github.fail({ method: 'POST', path: RESULT_COMMENT, status, message })

      const result = await apply()

      expect(result.exitCode, result.stdout).toBe(0)
      expect(cloudflareWrites()).toHaveLength(3)
      expect(result.outputs).toMatchObject({
        applied: '5',
        failed: '0',
        'has-changes': 'true',
        additions: '4',
        removals: '1',
        'comment-id': ''
      })
      expect(JSON.parse(await readFile(result.outputs['plan-file']!, 'utf8')).stats).toMatchObject({
        additions: 4,
        removals: 1
      })
      expect(result.summary).toContain('Applied 5 changes')
      expect(result.summary).toContain('ivan@example.com')
      const warnings = result.stdout.split('\n').filter((line) => line.startsWith('::warning'))
      expect(warnings).toEqual([
        `::warning::The result comment on pull request #7 was not written; the job summary and the outputs say what was applied. Could not comment on #7: GitHub answered ${status} (${message}).` +
          (status === 403
            ? ' Check that the token has pull-requests: write (or issues: write) (for the workflow GITHUB_TOKEN, set it under `permissions:` in the job; pull requests from forks get a read-only token).'
            : '')
      ])
      expect(result.stdout).not.toContain('::error::')
      expect(
        github.requestLines().filter((line) => line === `POST ${RESULT_COMMENT}`)
      ).toHaveLength(attempts)
      expect(github.state.commentsOn(7)).toEqual([])
    }
  )
})

describe('secondary rate limits on every GitHub route the run uses', () => {
  /** Each route's first request answers the limit; every one is retried once, as GitHub asks, and then answers. */
  function expectEveryRouteRetriedOnce(status: number): string[] {
    const byRoute = new Map<string, ('limited' | number)[]>()
    for (const request of github.requests) {
      const limited =
        (request.response as { message?: string }).message === SECONDARY_RATE_LIMIT_MESSAGE
      if (limited) expect(request.status).toBe(status)
      byRoute.set(request.route!, [
        ...(byRoute.get(request.route!) ?? []),
        limited ? 'limited' : request.status
      ])
    }
    for (const [route, answers] of byRoute) {
      expect(answers[0], route).toBe('limited')
      expect(answers.length, route).toBeGreaterThan(1)
      expect(answers.slice(1), route).not.toContain('limited')
    }
    return [...byRoute.keys()]
  }

  test.each([403, 429] as const)(
    'apply (answered %i, retry-after 60): every route retried, the run succeeds',
    async (status) => {
      await github.close()
      github = await startFakeGitHub({ secondaryRateLimitFirstCalls: { status, retryAfter: 60 } })
      seed(github)

      const result = await apply()

      expect(result.exitCode, result.stdout).toBe(0)
      expect(result.outputs).toMatchObject({ applied: '5', failed: '0', 'has-changes': 'true' })
      expect(cloudflareWrites()).toHaveLength(3)
      expect(github.state.commentsOn(7)).toHaveLength(1)
      const routes = expectEveryRouteRetriedOnce(status)
      expect(routes.sort()).toEqual([
        'GET /repos/:owner/:repo/collaborators/:username/permission',
        'GET /repos/:owner/:repo/commits/:sha/pulls',
        'GET /repos/:owner/:repo/contents/:path*',
        'GET /repos/:owner/:repo/pulls/:number/commits',
        'GET /repos/:owner/:repo/pulls/:number/reviews',
        'GET /users/:username',
        'POST /repos/:owner/:repo/issues/:number/comments'
      ])
      const warnings = result.stdout.split('\n').filter((line) => line.startsWith('::warning'))
      expect(warnings).toHaveLength(routes.length)
      expect(warnings.every((line) => line.includes('retrying in 60 s, as GitHub asks'))).toBe(true)
      expect(result.stdout).not.toContain(SECONDARY_RATE_LIMIT_MESSAGE)
    }
  )

  test('plan on a pull request: every route retried, one sticky comment', async () => {
    await github.close()
    github = await startFakeGitHub({ secondaryRateLimitFirstCalls: { status: 403, retryAfter: 1 } })
    seed(github)
    github.state.addPullRequest({ number: 8, baseSha: BASE_SHA, headSha: HEAD_SHA })

    const result = await apply(pullRequestEvent({ number: 8 }))

    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.outputs).toMatchObject({ 'has-changes': 'true', additions: '4' })
    expect(cloudflareWrites()).toEqual([])
    expect(github.state.commentsOn(8)).toHaveLength(1)
    expect(expectEveryRouteRetriedOnce(403).sort()).toEqual([
      'GET /repos/:owner/:repo/contents/:path*',
      'GET /repos/:owner/:repo/issues/:number/comments',
      'GET /repos/:owner/:repo/pulls/:number',
      'GET /repos/:owner/:repo/pulls/:number/reviews',
      'GET /user',
      'POST /graphql',
      'POST /repos/:owner/:repo/issues/:number/comments'
    ])
  })
})
