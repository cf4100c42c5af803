import nock from 'nock'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createGitHubPort, createOctokit } from '../../src/github/index.js'

beforeAll(() => {
  nock.disableNetConnect()
})
afterEach(() => {
  nock.cleanAll()
})

describe('createOctokit', () => {
  it('sends requests through the fetch it is given, with the token, so nock can see them', async () => {
    const scope = nock('https://api.github.com', {
      reqheaders: { authorization: 'token ghp_nocktoken' }
    })
      .get('/repos/acme/access/commits/' + 'f'.repeat(40) + '/pulls')
      .query({ per_page: '100' })
      .reply(200, [
        {
          number: 3,
          html_url: 'http://127.0.0.1/acme/access/pull/3',
          title: 'Add bob',
          user: { login: 'alice' },
          base: { ref: 'main', sha: '0'.repeat(40) },
          head: { sha: 'e'.repeat(40) },
          merge_commit_sha: 'f'.repeat(40),
          merged_at: '2026-01-05T10:00:00Z'
        }
      ])
    const octokit = createOctokit('ghp_nocktoken', {
      baseUrl: 'https://api.github.com',
      fetch: globalThis.fetch,
      throttle: false
    })
    const port = createGitHubPort(octokit, { owner: 'acme', repo: 'access' })
    const pull = await port.findMergedPullRequest('f'.repeat(40), 'main')
    expect(pull?.number).toBe(3)
    expect(scope.isDone()).toBe(true)
  })

  it('does not retry a 404 and reports it with the permission to check', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/5/reviews')
      .query(true)
      .reply(404, { message: 'Not Found' })
    const octokit = createOctokit('ghp_nocktoken', {
      baseUrl: 'https://api.github.com',
      fetch: globalThis.fetch,
      throttle: false
    })
    const port = createGitHubPort(octokit, { owner: 'acme', repo: 'access' })
    await expect(port.listReviews(5)).rejects.toThrow(
      'Could not read the reviews of pull request #5: GitHub answered 404 (Not Found). Check that the token has pull-requests: read'
    )
    expect(scope.isDone()).toBe(true)
  })

  it('warns about a secondary rate limit and does not retry it', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '60' })
    const warnings: string[] = []
    const octokit = createOctokit('ghp_nocktoken', {
      baseUrl: 'https://api.github.com',
      fetch: globalThis.fetch,
      onWarning: (message) => warnings.push(message)
    })
    const port = createGitHubPort(octokit, { owner: 'acme', repo: 'access' })
    await expect(port.getPullRequest(6)).rejects.toThrow(
      'Could not read pull request #6: GitHub answered 403 (You have exceeded a secondary rate limit.).'
    )
    expect(warnings).toEqual([
      'GitHub secondary rate limit hit by GET /repos/{owner}/{repo}/pulls/{pull_number} (GitHub asks to wait 60 s); not retrying.'
    ])
    expect(scope.isDone()).toBe(true)
  })
})
