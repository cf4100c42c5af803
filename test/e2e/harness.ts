/**
 * How an end-to-end test runs the bundle: against the emulator and the GitHub fake, with the inputs every run needs,
 * for the events the tests send. Each test file keeps its own stand-ins' lifecycle and scenario; what they all repeat
 * lives here.
 */
import type { Emulator } from '../../src/emulator/index.js'
import { FAKE_ACTIONS_TOKEN, type FakeGitHub } from '../support/fake-github.js'
import { BASE_SHA, DEMO_TOKEN, HEAD_SHA, MERGE_SHA, REPO } from './fixtures.js'
import { runBundle, type BundleOptions, type BundleRun } from './run-bundle.js'

/** The stand-ins a run talks to and the folder the runner checked out. */
export interface Stage {
  emulator: Emulator
  github: FakeGitHub
  workspace: string
}

export type RunOptions = Partial<BundleOptions> & Pick<BundleOptions, 'eventName' | 'payload'>

/**
 * Runs the committed bundle on a push to main by default; `options` say the event, and their inputs come on top of
 * the Cloudflare token, the emulator's URL and the workflow token.
 */
export function runOnStage(stage: Stage, options: RunOptions): Promise<BundleRun> {
  return runBundle({
    workspace: stage.workspace,
    githubApiUrl: stage.github.url,
    sha: MERGE_SHA,
    ref: 'refs/heads/main',
    ...options,
    inputs: {
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': stage.emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN,
      ...options.inputs
    }
  })
}

/** Every request that changed something in Cloudflare. */
export const cloudflareWrites = (emulator: Emulator) =>
  emulator.requests.filter((entry) => entry.method !== 'GET')

export const groupIdIn = (emulator: Emulator, name: string): string =>
  emulator.state.groups.find((group) => group.name === name)!.id

export const memberIdIn = (emulator: Emulator, email: string): string =>
  emulator.state.members.find((member) => member.user.email === email)!.id

/** A `pull_request` event (synchronize) for pull request `number` from `headRepo`, as the runner delivers it. */
export function pullRequestEvent(
  options: {
    number?: number
    author?: string
    headSha?: string
    headRef?: string
    headRepo?: string
  } = {}
): Pick<BundleOptions, 'eventName' | 'payload' | 'sha' | 'ref'> {
  const number = options.number ?? 7
  const headSha = options.headSha ?? HEAD_SHA
  return {
    eventName: 'pull_request',
    sha: headSha,
    ref: `refs/pull/${number}/merge`,
    payload: {
      action: 'synchronize',
      number,
      repository: REPO,
      pull_request: {
        number,
        user: { login: options.author ?? 'alice' },
        head: {
          sha: headSha,
          ref: options.headRef ?? 'grant-ivan',
          repo: { full_name: options.headRepo ?? REPO.full_name }
        },
        base: { sha: BASE_SHA, ref: 'main', repo: { full_name: REPO.full_name } }
      }
    }
  }
}

/** A push to main from `before` to `after`. */
export function pushEvent(
  options: { before?: string; after?: string } = {}
): Pick<BundleOptions, 'eventName' | 'payload' | 'sha' | 'ref'> {
  const after = options.after ?? MERGE_SHA
  return {
    eventName: 'push',
    sha: after,
    ref: 'refs/heads/main',
    payload: { ref: 'refs/heads/main', before: options.before ?? BASE_SHA, after, repository: REPO }
  }
}
