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
})

/** Waits of a millisecond per second GitHub asks for: the retries happen, the test does not sleep. */
function fastClient(warnings: string[] = []) {
  const octokit = createOctokit('ghp_nocktoken', {
    baseUrl: 'https://api.github.com',
    fetch: globalThis.fetch,
    msPerSecondOfWait: 1,
    onWarning: (message) => warnings.push(message)
  })
  return createGitHubPort(octokit, { owner: 'acme', repo: 'access' })
}

const PULL = {
  number: 6,
  html_url: 'https://github.com/acme/access/pull/6',
  title: 'Add bob',
  user: { login: 'alice', type: 'User' },
  base: { ref: 'main', sha: '0'.repeat(40) },
  head: { sha: 'e'.repeat(40) },
  merge_commit_sha: null,
  merged_at: null
}
const SECONDARY = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  documentation_url:
    'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
}
const ROUTE = 'GET /repos/{owner}/{repo}/pulls/{pull_number}'

describe('createOctokit: rate limits, as GitHub asks', () => {
  it('retries a secondary rate limit (403 with the message) after the wait GitHub asks for', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(403, SECONDARY, { 'retry-after': '60' })
      .get('/repos/acme/access/pulls/6')
      .reply(200, PULL)
    const warnings: string[] = []

    expect((await fastClient(warnings).getPullRequest(6))?.number).toBe(6)
    expect(warnings).toEqual([
      `GitHub secondary rate limit hit by ${ROUTE}; retrying in 60 s, as GitHub asks (retry 1 of 3).`
    ])
    expect(scope.isDone()).toBe(true)
  })

  it('retries a 429 (and a 403) with retry-after even without the message', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(429, { message: 'Too Many Requests' }, { 'retry-after': '2' })
      .get('/repos/acme/access/pulls/6')
      .reply(403, { message: 'Forbidden' }, { 'retry-after': '1' })
      .get('/repos/acme/access/pulls/6')
      .reply(200, PULL)
    const warnings: string[] = []

    expect((await fastClient(warnings).getPullRequest(6))?.number).toBe(6)
    expect(warnings).toEqual([
      `GitHub secondary rate limit hit by ${ROUTE}; retrying in 2 s, as GitHub asks (retry 1 of 3).`,
      `GitHub secondary rate limit hit by ${ROUTE}; retrying in 1 s, as GitHub asks (retry 2 of 3).`
    ])
    expect(scope.isDone()).toBe(true)
  })

  it('gives up after three retries and says it was a secondary rate limit', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .times(4)
      .reply(403, SECONDARY, { 'retry-after': '1' })
    const warnings: string[] = []

    await expect(fastClient(warnings).getPullRequest(6)).rejects.toThrow(
      `Could not read pull request #6: GitHub answered 403 (${SECONDARY.message}). That is a GitHub secondary rate limit, still hit after the retries GitHub asked for; re-run the job in a few minutes.`
    )
    expect(warnings.at(-1)).toBe(
      `GitHub secondary rate limit hit by ${ROUTE}; giving up after 3 retries.`
    )
    expect(scope.isDone()).toBe(true)
  })

  it('does not wait longer than two minutes for a retry-after', async () => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(429, SECONDARY, { 'retry-after': '600' })
    const warnings: string[] = []

    await expect(fastClient(warnings).getPullRequest(6)).rejects.toThrow(
      'GitHub answered 429 (You have exceeded a secondary rate limit.'
    )
    expect(warnings).toEqual([
      `GitHub secondary rate limit hit by ${ROUTE}; GitHub asks to wait 600 s, too long to wait.`
    ])
    expect(scope.isDone()).toBe(true)
  })

  it('waits for the primary rate limit to reset when that is near, once', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 5)
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(
        403,
        { message: 'API rate limit exceeded for installation ID 1.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }
      )
      .get('/repos/acme/access/pulls/6')
      .reply(200, PULL)
    const warnings: string[] = []

    expect((await fastClient(warnings).getPullRequest(6))?.number).toBe(6)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^GitHub's rate limit for this token is used up \(GET \/repos\/\{owner\}\/\{repo\}\/pulls\/\{pull_number\}\); waiting [5-7] s for it to reset\.$/
    )
    expect(scope.isDone()).toBe(true)
  })

  it('fails at once, naming the reset time, when the primary limit resets later', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 3600
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .reply(
        429,
        { message: 'API rate limit exceeded for installation ID 1.' },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }
      )

    await expect(fastClient().getPullRequest(6)).rejects.toThrow(
      `Could not read pull request #6: GitHub answered 429 (API rate limit exceeded for installation ID 1.). The token's GitHub API rate limit is used up until ${new Date(reset * 1000).toISOString()}; re-run the job after that, or give the job a token with its own limit (a GitHub App's).`
    )
    expect(scope.isDone()).toBe(true)
  })
})

describe('createOctokit: a request that gets no answer is named as such, with the host', () => {
  it.each([
    ['ECONNREFUSED', 'connection refused, ECONNREFUSED'],
    ['ETIMEDOUT', 'timed out, ETIMEDOUT'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timed out connecting, UND_ERR_CONNECT_TIMEOUT'],
    ['ENOTFOUND', 'DNS lookup failed: no such host, ENOTFOUND'],
    ['EAI_AGAIN', 'DNS lookup failed, temporarily, EAI_AGAIN']
  ])('%s, retried three times, then: %s', async (code, words) => {
    const scope = nock('https://api.github.com')
      .get('/repos/acme/access/pulls/6')
      .times(4)
      .replyWithError({ code, message: `${code} api.github.com` })

    const failure = fastClient().getPullRequest(6)

    await expect(failure).rejects.toThrow(
      `Could not read pull request #6: no answer from api.github.com (${words}).`
    )
    await expect(failure).rejects.toMatchObject({ status: undefined })
    await expect(failure).rejects.not.toThrow(/answered/)
    expect(scope.isDone()).toBe(true)
  })
})
