/**
 * The GitHub contract checker itself: it finds what GitHub's REST description forbids, in requests and answers, and
 * the fake's close() fails the test that caused it. (Every test that uses the fake is checked this way; this file
 * proves the check can fail, and that the fake answers GitHub's errors as GitHub does.)
 */
import { describe, expect, it } from 'vitest'
import { checkGitHubExchange, type GitHubExchange } from '../support/github-contract.js'
import {
  FAKE_ACTIONS_TOKEN,
  FAKE_BODY_LIMIT,
  startFakeGitHub,
  type FakeGitHub
} from '../support/fake-github.js'

function exchange(partial: Partial<GitHubExchange>): GitHubExchange {
  return {
    method: 'GET',
    path: '/repos/acme/access/issues',
    query: {},
    status: 200,
    response: [],
    ...partial
  }
}

async function call(
  github: FakeGitHub,
  method: string,
  path: string,
  body?: unknown,
  token = FAKE_ACTIONS_TOKEN
) {
  const response = await fetch(`${github.url}${path}`, {
    method,
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('checkGitHubExchange', () => {
  it('accepts a request and answer that fit the description', () => {
    expect(checkGitHubExchange(exchange({ query: { state: 'all', per_page: '100' } }))).toEqual([])
  })

  it('finds an unknown route, a method the path lacks, an undeclared or invalid parameter', () => {
    expect(checkGitHubExchange(exchange({ path: '/repos/acme/access/nonsense' }))).toEqual([
      'route: no path of the REST description matches'
    ])
    expect(checkGitHubExchange(exchange({ method: 'DELETE' }))[0]).toMatch(
      /^route: DELETE is not an operation of \/repos\/\{owner\}\/\{repo\}\/issues/
    )
    const problems = checkGitHubExchange(exchange({ query: { state: 'bogus', colour: 'red' } }))
    expect(problems).toHaveLength(2)
    expect(problems[0]).toContain('query state="bogus": must be equal to one of the allowed values')
    expect(problems[1]).toContain('query colour: not a parameter of the operation')
  })

  it('finds a request body outside the schema, and an answer missing what GitHub always sends', () => {
    const problems = checkGitHubExchange(
      exchange({
        method: 'PATCH',
        path: '/repos/acme/access/issues/3',
        body: { state: 'shut' },
        response: { number: 3 }
      })
    )
    expect(problems.some((p) => p.includes('request/state: must be equal to one of'))).toBe(true)
    expect(
      problems.some((p) => p.includes("response (whole): must have required property 'id'"))
    ).toBe(true)
  })

  it('requires an error answer to be GitHub’s error body', () => {
    const problems = checkGitHubExchange(exchange({ status: 403, response: { error: 'no' } }))
    expect(problems).toEqual([
      'GET /repos/acme/access/issues -> 403 [GET /repos/{owner}/{repo}/issues] response: an error without message',
      'GET /repos/acme/access/issues -> 403 [GET /repos/{owner}/{repo}/issues] response: an error without documentation_url'
    ])
  })
})

describe('the fake against the contract', () => {
  it('close() fails listing every exchange outside the description', async () => {
    const github = await startFakeGitHub()
    await call(github, 'GET', '/repos/acme/access/issues?state=bogus')
    await expect(github.close()).rejects.toThrow(
      /The GitHub fake saw 1 exchange\(s\) outside GitHub's REST description:\n {2}- GET \/repos\/acme\/access\/issues -> 200 \[GET \/repos\/\{owner\}\/\{repo\}\/issues\] query state="bogus"/
    )
  })

  it('answers errors as GitHub does: message, documentation_url, status, and errors[] for a 422', async () => {
    const github = await startFakeGitHub()
    github.state.addIssue({ title: 'Request', author: 'alice', number: 1 })

    const tooLong = await call(github, 'POST', '/repos/acme/access/issues/1/comments', {
      body: 'x'.repeat(FAKE_BODY_LIMIT + 1)
    })
    const missing = await call(github, 'GET', '/repos/acme/access/issues/99')
    const badState = await call(github, 'PATCH', '/repos/acme/access/issues/1', {
      state: 'shut'
    })
    // Every exchange above is GitHub-shaped; only the deliberately bad request body is outside the description.
    await expect(github.close()).rejects.toThrow(/1 exchange\(s\).*request\/state/s)

    expect(tooLong).toEqual({
      status: 422,
      body: {
        message: 'Validation Failed',
        documentation_url: 'https://docs.github.com/rest',
        status: '422',
        errors: [
          {
            resource: 'IssueComment',
            code: 'custom',
            field: 'body',
            message: 'body is too long (maximum is 65536 characters)'
          }
        ]
      }
    })
    expect(missing).toEqual({
      status: 404,
      body: {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404'
      }
    })
    expect(badState.status).toBe(422)
  })

  it('names accounts as GitHub does: user.type, author_association, the permission endpoint', async () => {
    const github = await startFakeGitHub()
    github.state.grantPermission('octocat', 'maintain')
    github.state.addIssue({ title: 'Request', author: 'acme', number: 1 })
    github.state.addComment(1, 'octocat', 'looks good')
    github.state.addComment(1, 'stranger', 'me too')
    github.state.addComment(1, 'renovate[bot]', 'bump')

    const comments = await call(github, 'GET', '/repos/acme/access/issues/1/comments')
    const issue = await call(github, 'GET', '/repos/acme/access/issues/1')
    const permission = await call(
      github,
      'GET',
      '/repos/acme/access/collaborators/octocat/permission'
    )
    await github.close()

    const list = comments.body as unknown as {
      author_association: string
      user: { login: string; type: string }
    }[]
    expect(list.map((c) => [c.user.login, c.user.type, c.author_association])).toEqual([
      ['octocat', 'User', 'COLLABORATOR'],
      ['stranger', 'User', 'NONE'],
      ['renovate[bot]', 'Bot', 'NONE']
    ])
    expect(issue.body.author_association).toBe('OWNER')
    expect(permission.body).toMatchObject({
      permission: 'write',
      role_name: 'maintain',
      user: { login: 'octocat', permissions: { push: true, maintain: true, admin: false } }
    })
  })

  it('refuses an edit of somebody else’s comment, and Actions opening a pull request when the setting is off', async () => {
    const github = await startFakeGitHub()
    github.state.addIssue({ title: 'Request', author: 'alice', number: 1 })
    const theirs = github.state.addComment(1, 'alice', 'mine')
    github.state.addFile('main', 'cloudflare-access.yaml', 'version: 1\n')
    github.state.addFile('access-request/1', 'cloudflare-access.yaml', 'version: 1\n')
    github.state.actionsMayCreatePullRequests = false

    const edit = await call(github, 'PATCH', `/repos/acme/access/issues/comments/${theirs.id}`, {
      body: 'changed'
    })
    const pull = await call(github, 'POST', '/repos/acme/access/pulls', {
      title: 'Grant',
      head: 'access-request/1',
      base: 'main'
    })
    await github.close()

    expect(edit).toMatchObject({
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    expect(theirs.body).toBe('mine')
    expect(pull).toMatchObject({
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' }
    })
    expect(github.state.pulls).toEqual([])
  })
})
