/** Shared setup: a fake GitHub and a port talking to it without throttling. */
import { createGitHubPort, createOctokit } from '../../src/github/index.js'
import type { GitHubPort } from '../../src/github/index.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub } from '../support/fake-github.js'
import type { FakeGitHub } from '../support/fake-github.js'

export interface Setup {
  fake: FakeGitHub
  port: GitHubPort
  /** A port for another token registered on the same fake. */
  portFor(token: string): GitHubPort
}

export async function setup(): Promise<Setup> {
  const fake = await startFakeGitHub()
  const portFor = (token: string): GitHubPort =>
    createGitHubPort(createOctokit(token, { baseUrl: fake.url, throttle: false }), {
      owner: 'acme',
      repo: 'access'
    })
  return { fake, port: portFor(FAKE_ACTIONS_TOKEN), portFor }
}
