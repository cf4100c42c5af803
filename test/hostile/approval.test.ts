/**
 * Hostile pull requests, approval side: the committed bundle, run as a runner runs it on push to main, against the
 * emulator and the GitHub fake. Content nobody approved reaches main (a direct push apply refused, a merge commit that
 * is not the approved head); each test asserts that Cloudflare received no write nobody approved and that no secret
 * (the Cloudflare token, the GitHub token, the checkout credential) appears in any comment, issue, summary, output or
 * log line.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleRun } from '../e2e/run-bundle.js'
import { DEMO_TOKEN, REPO, SEED } from '../e2e/fixtures.js'

const SECRET = 'ghp_FAKEcheckoutCredentialNeverPublished77'
const BASE = 'a'.repeat(40)
const PUSHED = 'b'.repeat(40)
const HEAD = 'c'.repeat(40)
const MERGE = 'd'.repeat(40)

/** main as the account has it: Engineering owned by octocat, SRE On-Call by sre-lead (people, so approvals can be read). */
const MAIN = `version: 1
account_id: ${SEED.account_id}
groups:
  Engineering:
    owners: [octocat]
    members: [alice@example.com, bob@example.com, dave@example.com, mallory@example.org]
  SRE On-Call:
    owners: [sre-lead]
    members: [erin@example.com, alice@example.com]
`
/** What an attacker wants: mallory on call. */
const WITH_MALLORY_ON_CALL = MAIN.replace(
  'members: [erin@example.com, alice@example.com]',
  'members: [erin@example.com, alice@example.com, mallory@example.org]'
)
/** An unrelated, innocent change: ivan into Engineering. */
const addIvan = (file: string) =>
  file.replace('mallory@example.org]\n  SRE', 'mallory@example.org, ivan@example.com]\n  SRE')

let emulator: Emulator
let github: FakeGitHub
let workspace: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  github = await startFakeGitHub()
  github.state.addFile(BASE, 'cloudflare-access.yaml', MAIN)
  github.state.grantPermission('octocat', 'write')
  github.state.grantPermission('sre-lead', 'write')
  workspace = await mkdtemp(join(tmpdir(), 'hostile-approval-'))
  await mkdir(join(workspace, '.git'))
  await writeFile(
    join(workspace, '.git', 'config'),
    `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`
  )
})
afterEach(async () => {
  await github.close()
  await rm(workspace, { recursive: true, force: true })
})

/** The runner checks out `sha` (holding `file`) and runs apply for the push of `sha` on top of `before`. */
async function applyPush(sha: string, before: string, file: string): Promise<BundleRun> {
  await writeFile(join(workspace, 'cloudflare-access.yaml'), file)
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha,
    ref: 'refs/heads/main',
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before, after: sha, repository: REPO },
    inputs: {
      mode: 'apply',
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN
    }
  })
}

/** Pull request #9 from `base` to `head` (file `headFile`), approved on its head by `approvers`, merged as `merge`. */
function mergedPullRequest(options: {
  baseSha: string
  headFile: string
  mergeFile: string
  approvers: string[]
}): void {
  github.state.addFile(HEAD, 'cloudflare-access.yaml', options.headFile)
  github.state.addFile(MERGE, 'cloudflare-access.yaml', options.mergeFile)
  github.state.addPullRequest({
    number: 9,
    author: 'alice',
    baseSha: options.baseSha,
    headSha: HEAD,
    mergeCommitSha: MERGE
  })
  for (const login of options.approvers) {
    github.state.addReview(9, { user: login, state: 'APPROVED', commitId: HEAD })
  }
  github.state.setBranch('main', MERGE)
}

function published(run: BundleRun): string {
  const printed = [run.stdout, run.stderr]
    .join('\n')
    .split('\n')
    // The runner consumes ::add-mask:: lines: they are how the run tells it what to hide.
    .filter((line) => !line.startsWith('::add-mask::'))
  return [
    ...github.state.comments.map((comment) => comment.body),
    ...github.state.issues.map((issue) => `${issue.title}\n${issue.body}`),
    run.summary,
    JSON.stringify(run.outputs),
    ...printed
  ].join('\n')
}

function expectNoSecret(run: BundleRun): void {
  const text = published(run)
  for (const secret of [SECRET, DEMO_TOKEN, FAKE_ACTIONS_TOKEN]) expect(text).not.toContain(secret)
}

const cloudflareWrites = () => emulator.requests.filter((entry) => entry.method !== 'GET')
const onCall = () =>
  emulator.state.groups
    .find((group) => group.name === 'SRE On-Call')!
    .include.map((rule) => (rule as { email?: { email: string } }).email?.email)

describe('content that reached main without approval is never written under another approval', () => {
  test('a refused direct push, then an approved merge of an unrelated change: nothing is written', async () => {
    // 1. The attacker pushes straight to main: apply refuses, nothing is written.
    github.state.addFile(PUSHED, 'cloudflare-access.yaml', WITH_MALLORY_ON_CALL)
    github.state.setBranch('main', PUSHED)
    const direct = await applyPush(PUSHED, BASE, WITH_MALLORY_ON_CALL)
    expect(direct.exitCode).toBe(1)
    expect(direct.stdout).toContain('was pushed directly')
    expect(cloudflareWrites()).toEqual([])
    expectNoSecret(direct)

    // 2. Someone else's innocent pull request (ivan into Engineering) is approved by Engineering's owner and merged.
    mergedPullRequest({
      baseSha: PUSHED,
      headFile: addIvan(WITH_MALLORY_ON_CALL),
      mergeFile: addIvan(WITH_MALLORY_ON_CALL),
      approvers: ['octocat']
    })
    const merged = await applyPush(MERGE, PUSHED, addIvan(WITH_MALLORY_ON_CALL))

    // The plan holds mallory's grant too; SRE On-Call's owner never approved it, so nothing at all is written.
    expect(merged.exitCode).toBe(1)
    expect(merged.summary).toContain('Apply refused')
    expect(merged.summary).toContain('Changes to group "SRE On-Call"')
    expect(merged.summary).toContain('sre-lead')
    expect(merged.outputs).toMatchObject({ 'has-changes': 'true', applied: '0', failed: '0' })
    expect(cloudflareWrites()).toEqual([])
    expect(onCall()).not.toContain('mallory@example.org')
    // The refusal is on the merged pull request too: what was refused, the missing approval and who would count.
    const refusal = github.state.commentsOn(9)
    expect(refusal).toHaveLength(1)
    expect(refusal[0]!.body).toContain('<!-- cloudflare-access-as-code:apply-refused -->')
    expect(refusal[0]!.body).toContain('Apply refused')
    expect(refusal[0]!.body).toContain('Changes to group "SRE On-Call"')
    expect(refusal[0]!.body).toContain('sre-lead')
    expect(refusal[0]!.body).toContain('Cloudflare was not changed')
    expectNoSecret(merged)
  })

  test('a refusal comment that GitHub refuses is a warning: the step fails for the refusal, nothing is written', async () => {
    mergedPullRequest({
      baseSha: BASE,
      headFile: WITH_MALLORY_ON_CALL,
      mergeFile: WITH_MALLORY_ON_CALL,
      approvers: []
    })
    github.fail({ method: 'POST', path: /\/issues\/9\/comments$/, status: 403 })

    const run = await applyPush(MERGE, BASE, WITH_MALLORY_ON_CALL)

    expect(run.exitCode).toBe(1)
    expect(run.stdout).toContain('The refusal was not commented on pull request #9')
    expect(run.stdout).toContain('::error::Pull request #9 was not approved as required')
    expect(run.summary).toContain('Apply refused')
    expect(github.state.commentsOn(9)).toEqual([])
    expect(cloudflareWrites()).toEqual([])
    expectNoSecret(run)
  })

  test('once the owner of the unapproved content approves too, both changes are written, and only they', async () => {
    github.state.addFile(PUSHED, 'cloudflare-access.yaml', WITH_MALLORY_ON_CALL)
    mergedPullRequest({
      baseSha: PUSHED,
      headFile: addIvan(WITH_MALLORY_ON_CALL),
      mergeFile: addIvan(WITH_MALLORY_ON_CALL),
      approvers: ['octocat', 'sre-lead']
    })

    const run = await applyPush(MERGE, PUSHED, addIvan(WITH_MALLORY_ON_CALL))

    expect(run.exitCode, run.stdout).toBe(0)
    const groupId = (name: string) => emulator.state.groups.find((group) => group.name === name)!.id
    expect(
      cloudflareWrites()
        .map((entry) => `${entry.method} ${entry.path}`)
        .sort()
    ).toEqual(
      [
        `PUT /client/v4/accounts/${SEED.account_id}/access/groups/${groupId('Engineering')}`,
        `PUT /client/v4/accounts/${SEED.account_id}/access/groups/${groupId('SRE On-Call')}`
      ].sort()
    )
    expectNoSecret(run)
  })
})

describe('the merged file must be the approved head file', () => {
  test('a merge commit that adds what the approved head did not: nothing is written', async () => {
    // The head (ivan into Engineering) is approved; the merge commit also puts mallory on call (say, while
    // "resolving a conflict"). Nobody approved the merged file.
    mergedPullRequest({
      baseSha: BASE,
      headFile: addIvan(MAIN),
      mergeFile: addIvan(WITH_MALLORY_ON_CALL),
      approvers: ['octocat', 'sre-lead']
    })

    const run = await applyPush(MERGE, BASE, addIvan(WITH_MALLORY_ON_CALL))

    expect(run.exitCode).toBe(1)
    expect(run.summary).toContain('is not the file of the approved head commit')
    expect(cloudflareWrites()).toEqual([])
    expect(emulator.requests).toEqual([])
    expectNoSecret(run)
  })
})
