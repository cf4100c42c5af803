/**
 * upload-plan end to end: the committed bundle uploads the plan file through @actions/artifact to a loopback stand-in
 * for the results service and its blob storage (test/support/fake-artifacts.ts), and the plan comment links it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { startFakeArtifacts, type FakeArtifacts } from '../support/fake-artifacts.js'
import { pullRequestEvent, runOnStage } from './harness.js'
import { BASE_SHA, HEAD_SHA, ROOT, SEED } from './fixtures.js'

let emulator: Emulator
let github: FakeGitHub
let artifacts: FakeArtifacts
let workspace: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  github = await startFakeGitHub()
  artifacts = await startFakeArtifacts()
  const accessFile = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  github.state.addFile(BASE_SHA, 'cloudflare-access.yaml', accessFile)
  github.state.addPullRequest({ number: 7, baseSha: BASE_SHA, headSha: HEAD_SHA })
  workspace = await mkdtemp(join(tmpdir(), 'upload-plan-'))
  // The pull request adds one person, so there is a plan to upload.
  await writeFile(
    join(workspace, 'cloudflare-access.yaml'),
    accessFile.replace(
      '      - ivan@example.com\n',
      '      - ivan@example.com\n      - ivana@example.com\n'
    )
  )
})
afterAll(async () => {
  await Promise.all([emulator.close(), github.close(), artifacts.close()])
  await rm(workspace, { recursive: true, force: true })
})

test('the plan is uploaded as one JSON artifact and the comment links it', async () => {
  const run = await runOnStage(
    { emulator, github, workspace },
    {
      ...pullRequestEvent(),
      env: {
        ACTIONS_RESULTS_URL: `${artifacts.url}/`,
        ACTIONS_RUNTIME_TOKEN: artifacts.runtimeToken
      },
      inputs: { 'upload-plan': 'true' }
    }
  )
  expect(run.exitCode, run.stdout).toBe(0)
  expect(artifacts.artifacts, run.stdout + artifacts.requests.join('\n')).toHaveLength(1)
  const [artifact] = artifacts.artifacts
  expect(artifact!.name).toBe('cloudflare-access-plan.json')
  expect(artifact!.finalized).toBe(true)
  expect(artifact!.mimeType).toBe('application/json')
  // Exactly the plan file, byte for byte.
  expect(artifact!.bytes!.toString('utf8')).toBe(await readFile(run.outputs['plan-file']!, 'utf8'))
  expect(JSON.parse(artifact!.bytes!.toString('utf8'))).toHaveProperty('changes')
  expect(artifacts.requests[0]).toBe(
    'POST /twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact'
  )
  expect(artifacts.requests.at(-1)).toBe(
    'POST /twirp/github.actions.results.api.v1.ArtifactService/FinalizeArtifact'
  )
  const comment = github.state.comments.find((entry) =>
    entry.body.includes('<!-- cloudflare-access-as-code:plan -->')
  )
  expect(comment?.body).toContain(
    `the whole plan (JSON): [\`cloudflare-access-plan.json\`](https://github.com/acme/access/actions/runs/4242/artifacts/${artifact!.id})`
  )
  expect(run.stdout).not.toContain(artifacts.runtimeToken)
})
