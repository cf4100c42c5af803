/**
 * Hostile pull requests, file side: the committed bundle, run as a runner runs it, on a pull request whose access file
 * is a symbolic link (checkout recreates committed links) or otherwise not a regular file inside the workspace. Each
 * test plants a fake secret where the link points and asserts that it appears in no comment, issue, summary, output
 * or log, and that Cloudflare received no write.
 */
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runBundle, type BundleRun } from '../e2e/run-bundle.js'
import { published } from './published.js'
import { BASE_SHA, DEMO_TOKEN, HEAD_SHA, REPO, ROOT, SEED } from '../e2e/fixtures.js'

const SECRET = 'ghp_FAKEsecretThatMustNeverBePublished0042'

let emulator: Emulator
let github: FakeGitHub
let outside: string
let workspace: string
let accessFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  accessFile = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  outside = await mkdtemp(join(tmpdir(), 'hostile-outside-'))
  // Text that is not an access file (an environment dump) and text that parses as one but names a secret.
  await writeFile(join(outside, 'environ'), `HOME=/home/runner\0GITHUB_TOKEN=${SECRET}\0`)
  await mkdir(join(outside, 'teams'))
  await writeFile(
    join(outside, 'teams', 'eng.yaml'),
    `version: 1\ngroups:\n  Engineering:\n    members:\n      - ${SECRET}\n`
  )
})
afterAll(async () => {
  await emulator.close()
  await rm(outside, { recursive: true, force: true })
})
beforeEach(async () => {
  emulator.reset()
  github = await startFakeGitHub()
  github.state.addFile(BASE_SHA, 'cloudflare-access.yaml', accessFile)
  github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
  workspace = await mkdtemp(join(tmpdir(), 'hostile-workspace-'))
  await mkdir(join(workspace, '.git'))
  // What actions/checkout leaves unless persist-credentials: false.
  await writeFile(
    join(workspace, '.git', 'config'),
    `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic ${SECRET}\n`
  )
})
afterEach(async () => {
  await github.close()
  await rm(workspace, { recursive: true, force: true })
})

function planPullRequest(config = 'cloudflare-access.yaml'): Promise<BundleRun> {
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: HEAD_SHA,
    ref: 'refs/pull/7/merge',
    eventName: 'pull_request',
    payload: {
      action: 'synchronize',
      number: 7,
      repository: REPO,
      pull_request: {
        number: 7,
        user: { login: 'mallory' },
        head: { sha: HEAD_SHA, ref: 'innocent', repo: { full_name: 'acme/access' } },
        base: { sha: BASE_SHA, ref: 'main', repo: { full_name: 'acme/access' } }
      }
    },
    inputs: {
      config,
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN
    }
  })
}

function expectNothingLeaked(run: BundleRun): void {
  expect(published(run, github)).not.toContain(SECRET)
  expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toEqual([])
}

describe('an access file that is not a regular file inside the workspace', () => {
  test('a symbolic link to a file with a secret is refused, and the run says why without quoting it', async () => {
    await symlink(join(outside, 'environ'), join(workspace, 'cloudflare-access.yaml'))
    const run = await planPullRequest()
    expect(run.exitCode).toBe(1)
    expectNothingLeaked(run)
    expect(published(run, github)).toContain(
      'The access file "cloudflare-access.yaml" is a symbolic link.'
    )
  })

  test('a symbolic link to .git/config (the checkout credential) is refused', async () => {
    await symlink('.git/config', join(workspace, 'cloudflare-access.yaml'))
    const run = await planPullRequest()
    expect(run.exitCode).toBe(1)
    expectNothingLeaked(run)
    expect(published(run, github)).toContain('is a symbolic link.')
  })

  test('a path outside the workspace is refused', async () => {
    const run = await planPullRequest(join(outside, 'teams', 'eng.yaml'))
    expect(run.exitCode).toBe(1)
    expectNothingLeaked(run)
    expect(published(run, github)).toContain('is outside the workspace.')
  })

  test('a glob through a symbolically linked folder reads nothing behind the link', async () => {
    await mkdir(join(workspace, 'access'))
    await symlink(join(outside, 'teams'), join(workspace, 'access', 'teams'))
    await writeFile(join(workspace, 'access', 'main.yaml'), accessFile)
    const run = await planPullRequest('access/**/*.yaml')
    expectNothingLeaked(run)
    // The real file is planned; the linked folder is not walked.
    expect(run.exitCode, run.stdout).toBe(0)
    expect(run.outputs['has-changes']).toBe('true')
    // The plan file names every person with access: readable by the job's user only.
    expect((await stat(run.outputs['plan-file']!)).mode & 0o777).toBe(0o600)

    const direct = await planPullRequest('access/teams/*.yaml')
    expect(direct.exitCode).toBe(1)
    expectNothingLeaked(direct)
    expect(published(direct, github)).toContain('is reached through a symbolic link to a folder.')
  })
})
