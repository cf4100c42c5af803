import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setup } from './helpers.js'
import type { Setup } from './helpers.js'

let env: Setup

beforeEach(async () => {
  env = await setup()
})
afterEach(async () => {
  await env.fake.close()
})

describe('readFilesAtRef', () => {
  it('reads a plain path at the ref, not the working copy of another branch', async () => {
    env.fake.state.addFile('main', 'access.yml', 'groups: {}\n')
    env.fake.state.addFile('feature', 'access.yml', 'groups: {changed: true}\n')
    expect(await env.port.readFilesAtRef('main', 'access.yml')).toEqual([
      { path: 'access.yml', text: 'groups: {}\n' }
    ])
  })

  it('gives [] when the file does not exist at the ref', async () => {
    env.fake.state.addFile('main', 'other.yml', 'x: 1\n')
    expect(await env.port.readFilesAtRef('main', 'access.yml')).toEqual([])
  })

  it('explains that a directory needs a glob', async () => {
    env.fake.state.addFile('main', 'access/a.yml', 'a: 1\n')
    await expect(env.port.readFilesAtRef('main', 'access')).rejects.toThrow(
      'Could not read access at main: it is a directory, not a file. To read every access file in a directory, use a glob such as access/**/*.yml.'
    )
  })

  it('selects glob matches from the tree, sorted, and reads each blob', async () => {
    const sha = 'a'.repeat(40)
    env.fake.state.addFile(sha, 'access/teams/b.yml', 'b: 2\n')
    env.fake.state.addFile(sha, 'access/a.yml', 'a: 1\n')
    env.fake.state.addFile(sha, 'access/readme.md', 'not yaml\n')
    env.fake.state.addFile(sha, 'elsewhere/c.yml', 'c: 3\n')
    env.fake.requests.length = 0

    const files = await env.port.readFilesAtRef(sha, 'access/**/*.yml')

    expect(files).toEqual([
      { path: 'access/a.yml', text: 'a: 1\n' },
      { path: 'access/teams/b.yml', text: 'b: 2\n' }
    ])
    expect(env.fake.requestLines()).toEqual([
      `GET /repos/acme/access/git/trees/${sha}`,
      expect.stringMatching(/^GET \/repos\/acme\/access\/git\/blobs\/[0-9a-f]{40}$/),
      expect.stringMatching(/^GET \/repos\/acme\/access\/git\/blobs\/[0-9a-f]{40}$/)
    ])
    expect(env.fake.requests[0]!.query).toEqual({ recursive: 'true' })
  })
})

describe('findMergedPullRequest', () => {
  it('finds a squash-merged pull request by its merge commit', async () => {
    const squash = 'b'.repeat(40)
    const pull = env.fake.state.addPullRequest({
      number: 12,
      author: 'alice',
      title: 'Add bob',
      headSha: 'c'.repeat(40),
      baseSha: 'd'.repeat(40),
      mergeCommitSha: squash
    })
    expect(await env.port.findMergedPullRequest(squash, 'main')).toEqual({
      number: 12,
      url: `${env.fake.url}/acme/access/pull/12`,
      author: 'alice',
      baseRef: 'main',
      baseSha: 'd'.repeat(40),
      headSha: pull.headSha,
      headRef: pull.headRef,
      mergeCommitSha: squash,
      merged: true,
      title: 'Add bob'
    })
  })

  it('finds a merge-commit merge and a rebase merge the same way', async () => {
    const mergeCommit = '1'.repeat(40)
    const rebased = '2'.repeat(40)
    env.fake.state.addPullRequest({ number: 20, mergeCommitSha: mergeCommit })
    env.fake.state.addPullRequest({ number: 21, mergeCommitSha: rebased })
    // A rebase merge also lists the pull request for the earlier rebased commits; only the tip matches.
    const earlier = '3'.repeat(40)
    env.fake.state.associateCommit(earlier, 21)
    expect((await env.port.findMergedPullRequest(mergeCommit, 'main'))?.number).toBe(20)
    expect((await env.port.findMergedPullRequest(rebased, 'main'))?.number).toBe(21)
    expect(await env.port.findMergedPullRequest(earlier, 'main')).toBeUndefined()
  })

  it('ignores open pull requests and pull requests into other branches', async () => {
    const sha = '4'.repeat(40)
    const open = env.fake.state.addPullRequest({ number: 30 })
    env.fake.state.associateCommit(sha, open.number)
    env.fake.state.addPullRequest({ number: 31, baseRef: 'release', mergeCommitSha: sha })
    expect(await env.port.findMergedPullRequest(sha, 'main')).toBeUndefined()
  })

  it('gives undefined for a direct push', async () => {
    expect(await env.port.findMergedPullRequest('5'.repeat(40), 'main')).toBeUndefined()
  })
})

describe('reviews and pull requests', () => {
  it('lists every review across pages, oldest first', async () => {
    const pull = env.fake.state.addPullRequest({ number: 40, headSha: 'e'.repeat(40) })
    for (let i = 0; i < 105; i += 1) {
      env.fake.state.addReview(pull.number, { user: `r${i}`, state: 'COMMENTED' })
    }
    env.fake.state.addReview(pull.number, { user: 'carol', state: 'APPROVED' })
    const reviews = await env.port.listReviews(40)
    expect(reviews.length).toBe(106)
    expect(reviews[105]).toEqual({
      id: expect.any(Number),
      user: 'carol',
      userType: 'User',
      state: 'APPROVED',
      commitId: 'e'.repeat(40),
      submittedAt: expect.stringMatching(/^2026-01-05T/)
    })
    expect(env.fake.requestLines().filter((line) => line.endsWith('/reviews')).length).toBe(2)
  })

  it('reads one pull request, and undefined for a missing number', async () => {
    env.fake.state.addPullRequest({ number: 41, title: 'Grant role' })
    expect((await env.port.getPullRequest(41))?.title).toBe('Grant role')
    expect(await env.port.getPullRequest(999)).toBeUndefined()
  })
})

describe('what GitHub says about reviewers', () => {
  it('reads the repository permission once per login, by role name, a stranger as read', async () => {
    env.fake.state.grantPermission('Mona', 'maintain')
    env.fake.state.grantPermission('tri', 'triage')
    expect(await env.port.repositoryPermission('mona')).toBe('maintain')
    expect(await env.port.repositoryPermission('MONA')).toBe('maintain')
    expect(await env.port.repositoryPermission('tri')).toBe('triage')
    expect(await env.port.repositoryPermission('stranger')).toBe('read')
    expect(env.fake.requestLines().filter((line) => line.includes('/collaborators/'))).toEqual([
      'GET /repos/acme/access/collaborators/mona/permission',
      'GET /repos/acme/access/collaborators/tri/permission',
      'GET /repos/acme/access/collaborators/stranger/permission'
    ])
  })

  it("lists who authored or committed the commits, without GitHub's web-flow committer", async () => {
    env.fake.state.addPullRequest({
      number: 44,
      author: 'alice',
      commits: [
        { author: 'alice', committer: 'web-flow' },
        { author: 'bob', committer: 'carol' },
        { author: null, committer: 'alice' }
      ]
    })
    expect(await env.port.pullRequestCommitLogins(44)).toEqual(['alice', 'bob', 'carol'])
  })

  it("reads an account's public e-mail, once, and undefined when it shows none", async () => {
    env.fake.state.publicEmails.set('carol', 'carol@example.com')
    expect(await env.port.publicEmail('Carol')).toBe('carol@example.com')
    expect(await env.port.publicEmail('carol')).toBe('carol@example.com')
    expect(await env.port.publicEmail('dave')).toBeUndefined()
    expect(env.fake.requestLines().filter((line) => line.startsWith('GET /users/'))).toEqual([
      'GET /users/Carol',
      'GET /users/dave'
    ])
  })
})

describe('isTeamMember', () => {
  it('answers true, false, and unknown when the token cannot read teams', async () => {
    env.fake.state.addTeam('acme', 'security', ['dave'], ['erin'])
    const app = env.portFor(env.fake.state.addToken('ghs_app', { login: 'zt-access[bot]' }))
    expect(await app.isTeamMember('acme', 'security', 'Dave')).toBe(true)
    expect(await app.isTeamMember('acme', 'security', 'erin')).toBe(false)
    expect(await app.isTeamMember('acme', 'security', 'frank')).toBe(false)
    expect(await app.isTeamMember('acme', 'no-such-team', 'dave')).toBe('unknown')
    // The workflow GITHUB_TOKEN gets 403 on organization teams.
    expect(await env.port.isTeamMember('acme', 'security', 'dave')).toBe('unknown')
  })

  it('asks once per team and login', async () => {
    env.fake.state.addTeam('acme', 'security', ['dave'])
    const app = env.portFor(env.fake.state.addToken('ghs_app', { login: 'zt-access[bot]' }))
    await app.isTeamMember('acme', 'security', 'dave')
    await app.isTeamMember('acme', 'security', 'dave')
    expect(env.fake.requestLines()).toEqual(['GET /orgs/acme/teams/security/memberships/dave'])
  })
})
