/**
 * A workflow_dispatch apply is as safe as a push: the committed bundle, run as a runner runs it, against the emulator
 * and the GitHub fake. A dispatch is judged like the push that landed the default branch's head commit (GITHUB_SHA):
 * content pushed straight to main is not applied by dispatching the workflow, while an approved merge whose apply
 * failed is converged by a dispatch. No secret (the Cloudflare token, the GitHub token, the checkout credential)
 * appears in any comment, issue, summary, output or log line.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleRun } from '../e2e/run-bundle.js'
import { DEMO_TOKEN, REPO, SEED } from '../e2e/fixtures.js'
import { published } from './published.js'

const SECRET = 'ghp_FAKEcheckoutCredentialNeverPublished79'
const BASE = 'a'.repeat(40)
const PUSHED = 'b'.repeat(40)
const HEAD = 'c'.repeat(40)
const MERGE = 'd'.repeat(40)

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
const WITH_MALLORY_ON_CALL = MAIN.replace(
  'members: [erin@example.com, alice@example.com]',
  'members: [erin@example.com, alice@example.com, mallory@example.org]'
)
const WITH_IVAN = MAIN.replace(
  'mallory@example.org]\n  SRE',
  'mallory@example.org, ivan@example.com]\n  SRE'
)

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
  workspace = await mkdtemp(join(tmpdir(), 'hostile-dispatch-'))
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

const INPUTS = () => ({
  mode: 'apply',
  'cloudflare-api-token': DEMO_TOKEN,
  'cloudflare-api-url': emulator.url,
  'github-token': FAKE_ACTIONS_TOKEN
})

async function applyPush(sha: string, before: string, file: string): Promise<BundleRun> {
  await writeFile(join(workspace, 'cloudflare-access.yaml'), file)
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha,
    ref: 'refs/heads/main',
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before, after: sha, repository: REPO },
    inputs: INPUTS(),
    fastWaits: true
  })
}

/** An administrator dispatches the apply workflow on main, whose head is `sha` (holding `file`). */
async function applyDispatch(sha: string, file: string): Promise<BundleRun> {
  await writeFile(join(workspace, 'cloudflare-access.yaml'), file)
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha,
    ref: 'refs/heads/main',
    eventName: 'workflow_dispatch',
    payload: { ref: 'refs/heads/main', inputs: {}, repository: REPO, workflow: 'access.yml' },
    inputs: INPUTS()
  })
}

function expectNoSecret(run: BundleRun): void {
  const text = published(run, github)
  for (const secret of [SECRET, DEMO_TOKEN, FAKE_ACTIONS_TOKEN]) expect(text).not.toContain(secret)
}

const cloudflareWrites = () => emulator.requests.filter((entry) => entry.method !== 'GET')
const membersOf = (name: string) =>
  emulator.state.groups
    .find((group) => group.name === name)!
    .include.map((rule) => (rule as { email?: { email: string } }).email?.email)

describe('workflow_dispatch is judged like the push that landed the head commit', () => {
  test('an unapproved direct push, then a dispatch: nothing is written', async () => {
    github.state.addFile(PUSHED, 'cloudflare-access.yaml', WITH_MALLORY_ON_CALL)
    github.state.setBranch('main', PUSHED)
    const push = await applyPush(PUSHED, BASE, WITH_MALLORY_ON_CALL)
    expect(push.exitCode).toBe(1)
    expect(push.stdout).toContain('was pushed directly')

    const dispatch = await applyDispatch(PUSHED, WITH_MALLORY_ON_CALL)

    expect(dispatch.exitCode).toBe(1)
    expect(dispatch.summary).toContain('Apply refused')
    // (The summary's escape redacts 40-digit hex runs, commit ids included.)
    expect(dispatch.summary).toContain(', the head of main, was not merged from a pull request')
    expect(dispatch.stdout).toContain('Merge the change through an approved pull request')
    expect(dispatch.outputs).toMatchObject({ 'has-changes': 'true', applied: '0', failed: '0' })
    expect(cloudflareWrites()).toEqual([])
    expect(membersOf('SRE On-Call')).not.toContain('mallory@example.org')
    expectNoSecret(push)
    expectNoSecret(dispatch)
  })

  test('an approved merge whose apply failed, then a dispatch: applied', async () => {
    github.state.addFile(HEAD, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addFile(MERGE, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addPullRequest({
      number: 9,
      author: 'alice',
      baseSha: BASE,
      headSha: HEAD,
      mergeCommitSha: MERGE
    })
    github.state.addReview(9, { user: 'octocat', state: 'APPROVED', commitId: HEAD })
    github.state.setBranch('main', MERGE)
    // Cloudflare fails every write of the push's apply.
    emulator.faults.inject({
      kind: 'status',
      status: 500,
      times: 1_000,
      match: { method: 'PUT' }
    })
    const push = await applyPush(MERGE, BASE, WITH_IVAN)
    expect(push.exitCode).toBe(1)
    expect(push.outputs).toMatchObject({ applied: '0', failed: '1' })
    expect(membersOf('Engineering')).not.toContain('ivan@example.com')

    emulator.faults.clear()
    const before = emulator.requests.length
    const dispatch = await applyDispatch(MERGE, WITH_IVAN)

    expect(dispatch.exitCode, dispatch.stdout).toBe(0)
    expect(dispatch.stdout).toContain('Pull request #9 approved by octocat.')
    expect(dispatch.outputs).toMatchObject({ applied: '1', failed: '0' })
    expect(
      emulator.requests
        .slice(before)
        .filter((entry) => entry.method !== 'GET')
        .map((entry) => entry.method)
    ).toEqual(['PUT'])
    expect(membersOf('Engineering')).toContain('ivan@example.com')
    expectNoSecret(push)
    expectNoSecret(dispatch)
  })

  test('a dispatch on an unapproved merge (no owner approved): nothing is written', async () => {
    github.state.addFile(HEAD, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addFile(MERGE, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addPullRequest({
      number: 9,
      author: 'alice',
      baseSha: BASE,
      headSha: HEAD,
      mergeCommitSha: MERGE
    })
    github.state.setBranch('main', MERGE)

    const dispatch = await applyDispatch(MERGE, WITH_IVAN)

    expect(dispatch.exitCode).toBe(1)
    expect(dispatch.summary).toContain('was not approved as required')
    expect(cloudflareWrites()).toEqual([])
    expectNoSecret(dispatch)
  })
})
