import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_ACTIONS_TOKEN } from '../support/fake-github.js'
import { setup } from './helpers.js'
import type { Setup } from './helpers.js'

const LABEL = 'zt-access-review'
let env: Setup

beforeEach(async () => {
  env = await setup()
})
afterEach(async () => {
  await env.fake.close()
})

describe('review issues', () => {
  it('finds our issue by label and marker, open or closed, ignoring spoofs and pull requests', async () => {
    const marker = '<!-- zt-access-review:acct:2026-Q1 -->'
    env.fake.state.addIssue({ title: 'spoof', body: marker, author: 'mallory', labels: [LABEL] })
    env.fake.state.addPullRequest({ number: 50, body: marker, labels: [LABEL] })
    env.fake.state.addIssue({ title: 'unlabelled', body: marker, author: 'github-actions[bot]' })
    const ours = env.fake.state.addIssue({
      title: 'Access review 2026-Q1',
      body: `Review\n${marker}`,
      author: 'github-actions[bot]',
      labels: [LABEL],
      state: 'closed'
    })
    expect(await env.port.findIssueByMarker(LABEL, marker)).toEqual({
      number: ours.number,
      url: `${env.fake.url}/acme/access/issues/${ours.number}`,
      title: 'Access review 2026-Q1',
      body: `Review\n${marker}`,
      state: 'closed',
      author: 'github-actions[bot]',
      labels: [LABEL]
    })
    expect(await env.port.findIssueByMarker(LABEL, '<!-- zt-access-review:acct:2026-Q2 -->')).toBe(
      undefined
    )
    expect(env.fake.requestLines().some((line) => line.includes('/search/'))).toBe(false)
  })

  it('finds the previous period: the newest of ours with the prefix, skipping the current one', async () => {
    const prefix = '<!-- zt-access-review:acct:'
    const add = (period: string, author = 'github-actions[bot]') =>
      env.fake.state.addIssue({
        title: period,
        body: `${prefix}${period} -->`,
        author,
        labels: [LABEL]
      })
    add('2025-Q3')
    const q4 = add('2025-Q4')
    add('2026-Q1')
    add('2026-Q2', 'mallory')
    expect((await env.port.findLatestIssueWithLabel(LABEL, prefix))?.title).toBe('2026-Q1')
    const previous = await env.port.findLatestIssueWithLabel(LABEL, prefix, `${prefix}2026-Q1 -->`)
    expect(previous?.number).toBe(q4.number)
  })

  it('lists every issue of ours with the marker across pages, oldest first, ignoring spoofs', async () => {
    const prefix = '<!-- zt-access-review-part:2026-Q1:'
    const parts = Array.from({ length: 130 }, (_, i) =>
      env.fake.state.addIssue({
        title: `part ${i + 1}`,
        body: `${prefix}${i + 1}:1 -->`,
        author: 'github-actions[bot]',
        labels: [LABEL],
        state: i === 0 ? 'closed' : 'open'
      })
    )
    env.fake.state.addIssue({
      title: 'spoof',
      body: `${prefix}1:1 -->`,
      author: 'mallory',
      labels: [LABEL]
    })
    env.fake.state.addIssue({
      title: 'other',
      body: 'no marker',
      author: 'github-actions[bot]',
      labels: [LABEL]
    })
    const listed = await env.port.listIssuesWithMarker(LABEL, prefix)
    expect(listed.map((issue) => issue.number)).toEqual(parts.map((issue) => issue.number))
    expect(listed[0]!.state).toBe('closed')
    // 132 issues with the label, 100 a page.
    expect(
      env.fake.requestLines().filter((line) => line.startsWith('GET /repos/acme/access/issues'))
    ).toHaveLength(2)
  })

  it('creates a missing label before the issue, reuses an existing one, and asks once per run', async () => {
    const issue = await env.port.createIssue('Access review', 'body', [LABEL])
    expect(env.fake.state.labels.get(LABEL)).toEqual({ name: LABEL, color: 'bfd4f2' })
    expect(env.fake.state.issues.find((i) => i.number === issue.number)?.labels).toEqual([LABEL])
    expect(env.fake.requestLines()).toEqual([
      `GET /repos/acme/access/labels/${LABEL}`,
      'POST /repos/acme/access/labels',
      'POST /repos/acme/access/issues'
    ])
    env.fake.requests.length = 0
    // The same run (port) knows the label now: a review writing hundreds of parts does not ask again for each.
    await env.port.createIssue('Another', 'body', [LABEL])
    expect(env.fake.requestLines()).toEqual(['POST /repos/acme/access/issues'])
    env.fake.requests.length = 0
    await env.portFor(FAKE_ACTIONS_TOKEN).createIssue('A third', 'body', [LABEL])
    expect(env.fake.requestLines()).toEqual([
      `GET /repos/acme/access/labels/${LABEL}`,
      'POST /repos/acme/access/issues'
    ])
    expect(issue.author).toBe('github-actions[bot]')
  })

  it('updates title, body and state', async () => {
    const issue = env.fake.state.addIssue({ title: 'old', author: 'github-actions[bot]' })
    await env.port.updateIssue(issue.number, { body: 'new body', state: 'closed' })
    expect(issue).toMatchObject({ title: 'old', body: 'new body', state: 'closed' })
  })
})

describe('createPullRequestWithFile', () => {
  it('branches from base, commits the file and opens the pull request; a rerun reuses both', async () => {
    env.fake.state.addFile('main', 'README.md', 'hello\n')
    const baseSha = env.fake.state.branches.get('main')!
    const args = {
      branch: 'zt-access/export',
      base: 'main',
      path: 'access/access.yml',
      content: 'groups: []\n',
      title: 'Export Cloudflare access',
      body: 'Exported from the live account.'
    }

    const first = await env.port.createPullRequestWithFile(args)

    expect(first).toEqual({ number: 1, url: `${env.fake.url}/acme/access/pull/1` })
    const pull = env.fake.state.pulls[0]!
    expect(pull).toMatchObject({
      title: 'Export Cloudflare access',
      headRef: 'zt-access/export',
      baseRef: 'main',
      author: 'github-actions[bot]'
    })
    expect(env.fake.state.filesAt('zt-access/export')?.get('access/access.yml')).toBe(
      'groups: []\n'
    )
    expect(env.fake.state.filesAt('main')?.has('access/access.yml')).toBe(false)
    expect(env.fake.requests.find((r) => r.path === '/repos/acme/access/git/refs')?.body).toEqual({
      ref: 'refs/heads/zt-access/export',
      sha: baseSha
    })

    env.fake.requests.length = 0
    const again = await env.port.createPullRequestWithFile(args)
    expect(again).toEqual(first)
    expect(env.fake.requestLines()).toEqual([
      'GET /repos/acme/access/git/ref/heads/main',
      'GET /repos/acme/access/git/ref/heads/zt-access/export',
      'GET /repos/acme/access/contents/access/access.yml',
      'GET /repos/acme/access/pulls'
    ])
  })

  it('updates the file on an existing branch with its blob sha', async () => {
    env.fake.state.addFile('main', 'README.md', 'hello\n')
    env.fake.state.setBranch('export', env.fake.state.branches.get('main')!)
    env.fake.state.commitFile('export', 'access.yml', 'old\n')
    await env.port.createPullRequestWithFile({
      branch: 'export',
      base: 'main',
      path: 'access.yml',
      content: 'new\n',
      title: 'Export',
      body: ''
    })
    expect(env.fake.state.filesAt('export')?.get('access.yml')).toBe('new\n')
    expect(env.fake.requests.find((r) => r.method === 'PUT')?.status).toBe(200)
  })

  it('refuses a base branch that does not exist', async () => {
    await expect(
      env.port.createPullRequestWithFile({
        branch: 'export',
        base: 'trunk',
        path: 'access.yml',
        content: 'x\n',
        title: 'Export',
        body: ''
      })
    ).rejects.toThrow(
      'Could not open the export pull request: the base branch "trunk" does not exist in acme/access.'
    )
  })
})
