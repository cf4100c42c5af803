/**
 * Overrides must be in place before the change that uses them: the committed bundle, run as a runner runs it on push
 * to main, against the emulator and the GitHub fake. A merged pull request that changes a workflow (it could have set
 * the override for its own merge) is refused whatever the override, before Cloudflare is asked anything; the refusal is
 * in the summary and the log, and no secret (the Cloudflare token, the GitHub token, the checkout credential) appears
 * in any comment, issue, summary, output or log line.
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

const SECRET = 'ghp_FAKEcheckoutCredentialNeverPublished78'
const BASE = 'a'.repeat(40)
const HEAD = 'c'.repeat(40)
const MERGE = 'd'.repeat(40)

const MAIN = `version: 1
account_id: ${SEED.account_id}
groups:
  Engineering:
    owners: [octocat]
    members: [alice@example.com, bob@example.com, dave@example.com, mallory@example.org]
`
const WITH_IVAN = MAIN.replace('mallory@example.org]', 'mallory@example.org, ivan@example.com]')
const WORKFLOW = `on: push
jobs:
  apply:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/cloudflare-access-as-code@v1
        with:
          mode: apply
`
const WORKFLOW_WITH_OVERRIDE = `${WORKFLOW}          allow-unapproved: true
`

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
  github.state.addFile(BASE, '.github/workflows/access.yml', WORKFLOW)
  github.state.grantPermission('octocat', 'write')
  workspace = await mkdtemp(join(tmpdir(), 'hostile-overrides-'))
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

/** Pull request #9, approved by Engineering's owner on its head, adds ivan and changes `workflowPath`; merged as MERGE. */
function mergedWorkflowChange(workflowPath: string, workflowText: string): void {
  for (const sha of [HEAD, MERGE]) {
    github.state.addFile(sha, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addFile(sha, '.github/workflows/access.yml', WORKFLOW)
    github.state.addFile(sha, workflowPath, workflowText)
  }
  github.state.addPullRequest({
    number: 9,
    author: 'alice',
    baseSha: BASE,
    headSha: HEAD,
    mergeCommitSha: MERGE
  })
  github.state.addReview(9, { user: 'octocat', state: 'APPROVED', commitId: HEAD })
  github.state.setBranch('main', MERGE)
}

async function applyMerge(overrides: Record<string, string>): Promise<BundleRun> {
  await writeFile(join(workspace, 'cloudflare-access.yaml'), WITH_IVAN)
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: MERGE,
    ref: 'refs/heads/main',
    eventName: 'push',
    payload: { ref: 'refs/heads/main', before: BASE, after: MERGE, repository: REPO },
    inputs: {
      mode: 'apply',
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN,
      ...overrides
    }
  })
}

function expectNoSecret(run: BundleRun): void {
  const text = published(run, github)
  for (const secret of [SECRET, DEMO_TOKEN, FAKE_ACTIONS_TOKEN]) expect(text).not.toContain(secret)
}

describe('a merged pull request that changes how the Action runs, with an override set', () => {
  test.each([
    ['allow-unapproved', '.github/workflows/access.yml', WORKFLOW_WITH_OVERRIDE],
    ['allow-mass-removal', 'action.yml', 'name: local action\nruns:\n  using: node20\n'],
    ['allow-lockout', '.github/workflows/other.yaml', WORKFLOW]
  ])('%s with %s changed: refused, Cloudflare is never asked', async (override, path, text) => {
    mergedWorkflowChange(path, text)

    const run = await applyMerge({ [override]: 'true' })

    expect(run.exitCode).toBe(1)
    expect(run.summary).toContain('Apply refused')
    expect(run.summary).toContain(`9 changes ${path}, and this run has ${override} set`)
    expect(run.stdout).toContain(
      'Overrides must be in place before the pull request that uses them'
    )
    expect(run.outputs).toMatchObject({ applied: '0', failed: '0' })
    // Refused before the account is read: no write, and no read either.
    expect(emulator.requests).toEqual([])
    expectNoSecret(run)
  })

  test('without an override the same approved merge is applied', async () => {
    mergedWorkflowChange('.github/workflows/access.yml', WORKFLOW_WITH_OVERRIDE)

    const run = await applyMerge({})

    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs).toMatchObject({ applied: '1', failed: '0' })
    expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toHaveLength(1)
    expectNoSecret(run)
  })
})

describe('a direct push accepted with allow-unapproved', () => {
  const PUSHED = 'b'.repeat(40)

  async function applyDirectPush(): Promise<BundleRun> {
    await writeFile(join(workspace, 'cloudflare-access.yaml'), WITH_IVAN)
    github.state.setBranch('main', PUSHED)
    return runBundle({
      workspace,
      githubApiUrl: github.url,
      sha: PUSHED,
      ref: 'refs/heads/main',
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before: BASE, after: PUSHED, repository: REPO },
      inputs: {
        mode: 'apply',
        'cloudflare-api-token': DEMO_TOKEN,
        'cloudflare-api-url': emulator.url,
        'github-token': FAKE_ACTIONS_TOKEN,
        'allow-unapproved': 'true'
      }
    })
  }

  test('that changes a workflow too: refused, Cloudflare is never asked', async () => {
    github.state.addFile(PUSHED, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addFile(PUSHED, '.github/workflows/access.yml', WORKFLOW_WITH_OVERRIDE)

    const run = await applyDirectPush()

    expect(run.exitCode).toBe(1)
    expect(run.summary).toContain('Apply refused')
    expect(run.summary).toContain(
      'changes .github/workflows/access.yml, and this run has allow-unapproved set'
    )
    expect(run.stdout).toContain('Overrides must be in place before the change that uses them')
    expect(github.requestLines()).toContain(`GET /repos/acme/access/compare/${BASE}...${PUSHED}`)
    expect(emulator.requests).toEqual([])
    expectNoSecret(run)
  })

  test('that leaves the workflows alone: applied, with a warning', async () => {
    github.state.addFile(PUSHED, 'cloudflare-access.yaml', WITH_IVAN)
    github.state.addFile(PUSHED, '.github/workflows/access.yml', WORKFLOW)

    const run = await applyDirectPush()

    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.stdout).toContain('did not come from a merged pull request; applying anyway')
    expect(run.outputs).toMatchObject({ applied: '1', failed: '0' })
    expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toHaveLength(1)
    expectNoSecret(run)
  })
})
