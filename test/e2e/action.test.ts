/**
 * End to end: the committed bundle (dist/index.js) run as a runner runs it, against the Cloudflare emulator and a
 * loopback fake of the GitHub API. These tests prove what users rely on: one sticky comment, approved-only applies
 * that converge, no writes without approval, one review issue per period, and forks that degrade without secrets.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { PLAN_COMMENT_MARKER } from '../../src/report/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import {
  cloudflareWrites as cloudflareWritesTo,
  groupIdIn,
  memberIdIn,
  pullRequestEvent,
  pushEvent,
  runOnStage,
  type RunOptions
} from './harness.js'
import {
  BASE_SHA,
  DEMO_TOKEN,
  HEAD_SHA,
  MERGE_SHA,
  REPO,
  ROOT,
  SEED,
  applyMainBacklog
} from './fixtures.js'

let emulator: Emulator
let github: FakeGitHub
let workspace: string
let headFile: string
/** The same file before the pull request: Engineering without ivan and judy. Only Engineering is touched. */
let baseFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  headFile = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  baseFile = headFile.replace(
    "      - ivan@example.com\n      - email: judy@example.org\n        expires: 2027-01-31\n        reason: 'INC-1234 on-call cover'\n",
    ''
  )
  expect(baseFile).not.toBe(headFile)
  workspace = await mkdtemp(join(tmpdir(), 'e2e-workspace-'))
  await writeFile(join(workspace, 'cloudflare-access.yaml'), headFile)
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  github = await startFakeGitHub()
  github.state.addFile(BASE_SHA, 'cloudflare-access.yaml', baseFile)
})
afterEach(async () => {
  await github.close()
  // Every request the bundle sent to the emulator is one the OpenAPI subset describes.
  assertContract(emulator.requests)
})

const run = (options: RunOptions) => runOnStage({ emulator, github, workspace }, options)
const groupId = (name: string) => groupIdIn(emulator, name)
const memberId = (email: string) => memberIdIn(emulator, email)
const cloudflareWrites = () => cloudflareWritesTo(emulator)

describe('plan on a pull request', () => {
  test('posts exactly one sticky comment across two runs and writes nothing to Cloudflare', async () => {
    github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
    const event = pullRequestEvent()

    const first = await run(event)
    const second = await run(event)

    expect(first.exitCode, first.stdout).toBe(0)
    expect(second.exitCode, second.stdout).toBe(0)
    const comments = github.state.commentsOn(7)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain(PLAN_COMMENT_MARKER)
    expect(comments[0]!.body).toContain('Asked for by this pull request')
    expect(first.outputs).toMatchObject({
      'has-changes': 'true',
      additions: '5',
      removals: '2',
      'comment-id': String(comments[0]!.id)
    })
    expect(second.outputs['comment-id']).toBe(first.outputs['comment-id'])
    expect(JSON.parse(await readFile(first.outputs['plan-file']!, 'utf8')).stats.additions).toBe(5)
    expect(cloudflareWrites()).toEqual([])
    expect(first.summary).toContain('ivan@example.com')
    // The sample account's applications: what each changed group opens (one more read, at per_page 1000).
    expect(comments[0]!.body).toContain('#### What these group changes open')
    expect(comments[0]!.body).toContain(
      'adds ivan@example.com to SRE On-Call: opens ssh.example.com'
    )
    // The runner consumes ::add-mask:: lines; every other line must be free of the credential.
    const printed = first.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'))
    expect(first.stdout).toContain(`::add-mask::${DEMO_TOKEN}`)
    expect(printed.join('\n')).not.toContain(DEMO_TOKEN)
  })

  test('a fork pull request is validated offline: no Cloudflare request, no comment, a clear summary', async () => {
    const result = await run({
      ...pullRequestEvent({ headRepo: 'mallory/access' }),
      // GitHub withholds secrets from forks: the token input arrives empty.
      inputs: { 'cloudflare-api-token': '' }
    })

    expect(result.exitCode, result.stdout).toBe(0)
    expect(emulator.requests).toEqual([])
    expect(github.state.comments).toEqual([])
    expect(result.summary).toContain('comes from a fork')
    expect(result.outputs['has-changes']).toBe('false')
  })
})

test('a pull request that does not change the access file passes with no Cloudflare request and no comment', async () => {
  // The README's plan workflow has no paths filter, so it reports on every pull request and can be required.
  github.state.addFile(BASE_SHA, 'cloudflare-access.yaml', headFile)
  github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
  github.requests.length = 0

  const result = await run(pullRequestEvent())

  expect(result.exitCode, result.stdout).toBe(0)
  expect(emulator.requests).toEqual([])
  expect(github.state.comments).toEqual([])
  expect(result.outputs['has-changes']).toBe('false')
  expect(result.summary).toContain('does not change the access file')
  // The base file, and the lookup of our own comment to correct: nothing else.
  expect(
    github.requestLines().filter((line) => !line.includes('/user') && !line.includes('graphql'))
  ).toEqual([
    'GET /repos/acme/access/contents/cloudflare-access.yaml',
    'GET /repos/acme/access/issues/7/comments'
  ])
})

describe('a merge queue (merge_group)', () => {
  const QUEUE_SHA = '4444444444444444444444444444444444444444'
  const mergeGroupPayload = {
    action: 'checks_requested',
    merge_group: {
      head_sha: QUEUE_SHA,
      head_ref: `refs/heads/gh-readonly-queue/main/pr-7-${BASE_SHA}`,
      base_sha: BASE_SHA,
      base_ref: 'refs/heads/main'
    },
    repository: REPO
  }
  const queued = {
    eventName: 'merge_group',
    payload: mergeGroupPayload,
    sha: QUEUE_SHA,
    ref: `refs/heads/gh-readonly-queue/main/pr-7-${BASE_SHA}`
  }

  test('auto mode plans the queued merge against the queue base: reads only, no comment', async () => {
    const result = await run({ ...queued, inputs: { mode: 'auto' } })

    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toContain('Mode: plan (event merge_group).')
    expect(result.outputs).toMatchObject({ 'has-changes': 'true', additions: '5', removals: '2' })
    expect(result.summary).toContain("Planned the merge queue's result for main, commit 4444444")
    const account = `/client/v4/accounts/${SEED.account_id}`
    // One page of each list, and the applications because groups change: reads only.
    expect(emulator.requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'GET /client/v4/user/tokens/verify',
      `GET ${account}/access/groups`,
      `GET ${account}/members`,
      `GET ${account}/roles`,
      `GET ${account}/access/users`,
      `GET ${account}/access/apps`
    ])
    expect(github.state.comments).toEqual([])
  })

  test('apply refuses to run from the queue and sends no request', async () => {
    const result = await run({ ...queued, inputs: { mode: 'apply' } })

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('apply never runs for merge_group events')
    expect(emulator.requests).toEqual([])
    expect(github.state.comments).toEqual([])
  })
})

describe('apply on push to the default branch', () => {
  test('an approved merge applies; a second apply changes nothing', async () => {
    github.state.addPullRequest({
      number: 7,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      mergeCommitSha: MERGE_SHA
    })
    github.state.addReview(7, { user: 'octocat', state: 'APPROVED', commitId: HEAD_SHA })
    github.state.grantPermission('octocat', 'write')
    // The merge commit carries the workspace file, which is the approved head's, and is still the tip of main (apply
    // checks all three).
    github.state.addFile(MERGE_SHA, 'cloudflare-access.yaml', headFile)
    github.state.addFile(HEAD_SHA, 'cloudflare-access.yaml', headFile)
    github.state.setBranch('main', MERGE_SHA)

    applyMainBacklog(emulator)

    const first = await run(pushEvent())
    expect(first.exitCode, first.stdout).toBe(0)
    expect(first.outputs).toMatchObject({ applied: '5', failed: '0', 'has-changes': 'true' })
    const writesAfterFirst = cloudflareWrites().map((entry) => `${entry.method} ${entry.path}`)
    // One PUT for the changed group (Engineering), one for the member whose roles change (dave's grant) and one
    // invitation: nothing else.
    const account = `/client/v4/accounts/${SEED.account_id}`
    expect(writesAfterFirst.sort()).toEqual(
      [
        `POST ${account}/members`,
        `PUT ${account}/members/${memberId('dave@example.com')}`,
        `PUT ${account}/access/groups/${groupId('Engineering')}`
      ].sort()
    )
    const resultComments = github.state.commentsOn(7)
    expect(resultComments).toHaveLength(1)
    expect(resultComments[0]!.body).toContain('applied')

    const second = await run(pushEvent())
    expect(second.exitCode, second.stdout).toBe(0)
    expect(second.outputs).toMatchObject({ applied: '0', failed: '0', 'has-changes': 'false' })
    expect(cloudflareWrites()).toHaveLength(writesAfterFirst.length)
    expect(github.state.commentsOn(7)).toHaveLength(1)
  })

  test('an unapproved merge changes nothing in Cloudflare and fails', async () => {
    github.state.addPullRequest({
      number: 7,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      mergeCommitSha: MERGE_SHA
    })
    // Approved, but on an earlier commit: the final head was never approved.
    github.state.addReview(7, { user: 'octocat', state: 'APPROVED', commitId: BASE_SHA })
    github.state.addFile(MERGE_SHA, 'cloudflare-access.yaml', headFile)
    github.state.addFile(HEAD_SHA, 'cloudflare-access.yaml', headFile)
    github.state.setBranch('main', MERGE_SHA)

    const result = await run(pushEvent())

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('was not approved as required')
    expect(cloudflareWrites()).toEqual([])
    expect(result.outputs).toMatchObject({ applied: '0', failed: '0' })
  })

  test('an approval by someone with read access only (a drive-by review) changes nothing and says why', async () => {
    github.state.addPullRequest({
      number: 7,
      baseSha: BASE_SHA,
      headSha: HEAD_SHA,
      mergeCommitSha: MERGE_SHA
    })
    github.state.addReview(7, { user: 'stranger', state: 'APPROVED', commitId: HEAD_SHA })
    github.state.addFile(MERGE_SHA, 'cloudflare-access.yaml', headFile)
    github.state.addFile(HEAD_SHA, 'cloudflare-access.yaml', headFile)
    github.state.setBranch('main', MERGE_SHA)

    const result = await run(pushEvent())

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('Not counted: @stranger (approved, but has read access only)')
    expect(cloudflareWrites()).toEqual([])
    expect(github.requestLines().filter((line) => line.includes('/collaborators/'))).toEqual([
      'GET /repos/acme/access/collaborators/stranger/permission'
    ])
  })

  test('a direct push changes nothing in Cloudflare and fails', async () => {
    const result = await run(pushEvent())

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('was pushed directly')
    expect(emulator.requests).toEqual([])
  })
})

describe('review on a schedule', () => {
  test('creates one issue for the period and updates it on the next run', async () => {
    const schedule = { eventName: 'schedule', payload: { schedule: '0 6 * * 1', repository: REPO } }

    const first = await run(schedule)
    expect(first.exitCode, first.stdout).toBe(0)
    expect(github.state.issues).toHaveLength(1)
    const issue = github.state.issues[0]!
    expect(issue.labels).toEqual(['access-review'])
    expect(issue.body).toContain('cloudflare-access-as-code:review:')
    expect(first.outputs['issue-number']).toBe(String(issue.number))

    // A box ticked with no issues: edited run to attribute it is no decision: the next run undoes it and says so.
    const box = '[ ] keep <!-- keep cert:group:Engineering:alice@example.com -->'
    expect(issue.body).toContain(box)
    issue.body = issue.body.replace(box, box.replace('[ ]', '[x]'))
    const second = await run(schedule)
    expect(second.exitCode, second.stdout).toBe(0)
    expect(github.state.issues).toHaveLength(1)
    expect(second.outputs['issue-number']).toBe(first.outputs['issue-number'])
    expect(github.state.issues[0]!.body).toContain(box)
    expect(github.state.issues[0]!.body).toContain(
      'A tick on **keep** for `alice@example.com` in Access group Engineering: no run attributed this tick to anyone'
    )
    expect(cloudflareWrites()).toEqual([])
  })
})
