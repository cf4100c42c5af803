import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGitHubPort, createOctokit } from '../../src/github/index.js'
import { FAKE_ACTIONS_TOKEN } from '../support/fake-github.js'
import { setup } from './helpers.js'
import type { Setup } from './helpers.js'

const MARKER = '<!-- zt-access-plan -->'
let env: Setup

beforeEach(async () => {
  env = await setup()
})
afterEach(async () => {
  await env.fake.close()
})

describe('upsertStickyComment', () => {
  it('creates the comment, then updates it in place', async () => {
    const pull = env.fake.state.addPullRequest({ number: 7 })
    const first = await env.port.upsertStickyComment(pull.number, MARKER, `${MARKER}\nplan v1`)
    expect(first.action).toBe('created')
    const second = await env.port.upsertStickyComment(pull.number, MARKER, `${MARKER}\nplan v2`)
    expect(second).toEqual({ id: first.id, action: 'updated' })
    const comments = env.fake.state.commentsOn(7)
    expect(comments.map((c) => [c.author, c.body])).toEqual([
      ['github-actions[bot]', `${MARKER}\nplan v2`]
    ])
  })

  it('finds its comment past the first 100 and leaves a body that did not change alone', async () => {
    env.fake.state.addPullRequest({ number: 3 })
    for (let i = 0; i < 150; i += 1) env.fake.state.addComment(3, 'someone', `chatter ${i}`)
    const ours = env.fake.state.addComment(3, 'github-actions[bot]', `${MARKER}\nsame`)
    env.fake.requests.length = 0

    const result = await env.port.upsertStickyComment(3, MARKER, `${MARKER}\nsame`)

    expect(result).toEqual({ id: ours.id, action: 'unchanged' })
    // Identity lookup (REST then GraphQL), then two pages of comments; no PATCH, no POST.
    expect(env.fake.requestLines()).toEqual([
      'GET /user',
      'POST /graphql',
      'GET /repos/acme/access/issues/3/comments',
      'GET /repos/acme/access/issues/3/comments'
    ])
    expect(env.fake.requests[3]!.query).toEqual({ page: '2', per_page: '100' })
  })

  it('never edits a comment someone else wrote with the marker', async () => {
    env.fake.state.addPullRequest({ number: 4 })
    const spoof = env.fake.state.addComment(4, 'mallory', `${MARKER}\napproved, trust me`)

    const result = await env.port.upsertStickyComment(4, MARKER, `${MARKER}\nreal plan`)

    expect(result.action).toBe('created')
    expect(result.id).not.toBe(spoof.id)
    expect(env.fake.state.commentsOn(4).map((c) => [c.author, c.body])).toEqual([
      ['mallory', `${MARKER}\napproved, trust me`],
      ['github-actions[bot]', `${MARKER}\nreal plan`]
    ])
  })

  it('recognises its own comment case-insensitively and without the [bot] suffix', async () => {
    env.fake.state.addPullRequest({ number: 5 })
    const ours = env.fake.state.addComment(5, 'GitHub-Actions', `${MARKER}\nold`)
    const result = await env.port.upsertStickyComment(5, MARKER, `${MARKER}\nnew`)
    expect(result).toEqual({ id: ours.id, action: 'updated' })
  })

  it('uses GET /user for a personal token and matches that login', async () => {
    const token = env.fake.state.addToken('ghp_personal', { login: 'octocat' })
    const port = env.portFor(token)
    env.fake.state.addPullRequest({ number: 6 })
    env.fake.state.addComment(6, 'github-actions[bot]', `${MARKER}\nbot copy`)
    const result = await port.upsertStickyComment(6, MARKER, `${MARKER}\nmine`)
    expect(result.action).toBe('created')
    expect(await port.whoAmI()).toBe('octocat')
    expect(env.fake.requestLines().filter((line) => line.includes('graphql'))).toEqual([])
  })

  it('names an app installation token through GraphQL viewer', async () => {
    const token = env.fake.state.addToken('ghs_app', { login: 'zt-access[bot]' })
    expect(await env.portFor(token).whoAmI()).toBe('zt-access[bot]')
  })

  it('asks who the token is through the identity client, outside the write queue', async () => {
    // The main client points nowhere: only the identity client can answer.
    const port = createGitHubPort(
      createOctokit(FAKE_ACTIONS_TOKEN, { baseUrl: 'http://127.0.0.1:1', throttle: false }),
      { owner: 'acme', repo: 'access' },
      {
        identityOctokit: createOctokit(FAKE_ACTIONS_TOKEN, {
          baseUrl: env.fake.url,
          throttle: false
        })
      }
    )
    expect(await port.whoAmI()).toBe('github-actions[bot]')
    expect(env.fake.requestLines()).toEqual(['GET /user', 'POST /graphql'])
  })

  it('cuts an over-long body and keeps the marker at the end', async () => {
    env.fake.state.addPullRequest({ number: 8 })
    const body = `${'x'.repeat(70_000)}\n${MARKER}`
    await env.port.upsertStickyComment(8, MARKER, body)
    const [stored] = env.fake.state.commentsOn(8)
    expect(stored!.body.length).toBe(65_536)
    expect(stored!.body.endsWith(`${MARKER}\n`)).toBe(true)
  })

  it('says which permission is missing when the token is read-only', async () => {
    const token = env.fake.state.addToken('ghs_fork', {
      login: 'github-actions[bot]',
      readOnly: true
    })
    env.fake.state.addPullRequest({ number: 9 })
    await expect(env.portFor(token).createComment(9, 'hello')).rejects.toThrow(
      'Could not comment on #9: GitHub answered 403 (Resource not accessible by integration). Check that the token has pull-requests: write (or issues: write)'
    )
  })

  it('reports a bad token without showing it', async () => {
    const port = env.portFor('ghp_not_registered')
    const error = await port.whoAmI().then(
      () => undefined,
      (caught: unknown) => caught as Error
    )
    expect(error?.message).toBe(
      'Could not identify the GitHub token: GitHub answered 401 (Bad credentials). The GitHub token is invalid or expired; check the github-token input.'
    )
  })
})
