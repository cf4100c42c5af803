/**
 * End to end: refusals that must come before the first request. Export with open-pr and the workflow GITHUB_TOKEN
 * explains up front that it needs the repository setting or an App token, instead of writing a branch and failing;
 * a plain-http cloudflare-api-url to a host that is not loopback is refused before anything is sent.
 */
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { assertContract } from '../support/openapi-contract.js'
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { runOnStage, type RunOptions } from './harness.js'
import { REPO, SEED } from './fixtures.js'

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
  github.state.addFile('main', 'README.md', '# access\n')
  workspace = await mkdtemp(join(tmpdir(), 'e2e-export-'))
})
afterEach(async () => {
  await github.close()
  assertContract(emulator.requests)
})

const exportRun = (inputs: Record<string, string>, options: Partial<RunOptions> = {}) =>
  runOnStage(
    { emulator, github, workspace },
    {
      eventName: 'workflow_dispatch',
      payload: { ref: 'refs/heads/main', repository: REPO },
      ...options,
      inputs: {
        mode: 'export',
        'open-pr': 'true',
        'cloudflare-account-id': SEED.account_id,
        ...inputs
      }
    }
  )

const gitHubWrites = () => github.requests.filter((request) => request.method !== 'GET')

describe('export with open-pr', () => {
  test('with the workflow GITHUB_TOKEN: refused up front, nothing read from Cloudflare, nothing written', async () => {
    const result = await exportRun({})

    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      '::error::open-pr cannot open the export pull request with the workflow GITHUB_TOKEN'
    )
    expect(result.stdout).toContain('GitHub App installation token')
    expect(emulator.requests).toEqual([])
    expect(gitHubWrites().filter((request) => request.path !== '/graphql')).toEqual([])
    expect(github.requestLines()).toContain('GET /repos/acme/access/actions/permissions/workflow')
    expect([...github.state.branches.keys()]).toEqual(['main'])
    expect(await readdir(workspace)).toEqual([])
  })

  test('with a GitHub App token: the branch, the file and the pull request', async () => {
    const appToken = github.state.addToken('ghs_app_installation_token', {
      login: 'zt-access[bot]'
    })
    github.state.actionsMayCreatePullRequests = false

    const result = await exportRun({ 'github-token': appToken })

    expect(result.exitCode, result.stdout).toBe(0)
    expect(github.state.pulls).toHaveLength(1)
    expect(github.state.pulls[0]).toMatchObject({
      headRef: 'cloudflare-access-as-code/export',
      baseRef: 'main',
      author: 'zt-access[bot]'
    })
    expect(
      github.state.filesAt('cloudflare-access-as-code/export')?.has('cloudflare-access.yaml')
    ).toBe(true)
    expect(github.requestLines()).not.toContain(
      'GET /repos/acme/access/actions/permissions/workflow'
    )
  })
})

describe('cloudflare-api-url must be https', () => {
  test.each(['http://api.cloudflare.example/client/v4', 'http://10.0.0.7:8080/client/v4'])(
    '%s is refused before any request, naming the input',
    async (apiUrl) => {
      const result = await exportRun({ 'cloudflare-api-url': apiUrl, 'open-pr': 'false' })

      expect(result.exitCode).toBe(1)
      expect(result.stdout).toMatch(/::error::.*cloudflare-api-url/)
      expect(emulator.requests).toEqual([])
      expect(github.requests).toEqual([])
      expect(await readdir(workspace)).toEqual([])
    }
  )

  test('http to a loopback address (the emulator) is allowed', async () => {
    const result = await exportRun({ 'open-pr': 'false' })

    expect(result.exitCode, result.stdout).toBe(0)
    expect(emulator.url.startsWith('http://127.0.0.1:')).toBe(true)
    expect(await readdir(workspace)).toEqual(['cloudflare-access.yaml'])
  })
})
