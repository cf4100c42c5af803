/**
 * End to end, the committed bundle through the request loop against the Cloudflare emulator and the loopback GitHub
 * fake: a request issue becomes a pull request with exactly the grant's lines, its plan runs, the requester's own
 * approval does not count, an owner's does, the merge applies it; an edit re-opens approval; bad requests only
 * get a comment.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator/index.js'
import { PLAN_COMMENT_MARKER } from '../../src/report/index.js'
import { REQUEST_COMMENT_MARKER } from '../../src/report/request-comment.js'
import { FAKE_ACTIONS_TOKEN, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import type { FakeIssue } from '../support/fake-github-state.js'
import { runBundle, type BundleOptions } from './run-bundle.js'
import { DEMO_TOKEN, REPO, ROOT, SEED } from './fixtures.js'

const PATH = 'cloudflare-access.yaml'
const ZERO = '0'.repeat(40)
const LEGACY_VPN =
  '  Legacy VPN:\n    id: 3855c006-6906-4372-97c5-f70495dc295b\n    owners: [octocat]\n'
const GRANT_LINES =
  '      - email: carol@example.com\n        expires: 2026-12-02T14:00:00Z\n        reason: "INC-42 customer escalation (request #1)"\n'

let emulator: Emulator
let github: FakeGitHub
let workspace: string
let baseFile: string

beforeAll(async () => {
  emulator = await startEmulator({ seed: SEED })
  const example = await readFile(join(ROOT, 'examples/cloudflare-access.yaml'), 'utf8')
  baseFile = example
    .replace('settings:\n', 'people:\n  carol: carol@example.com\n\nsettings:\n')
    .replace(
      LEGACY_VPN,
      `${LEGACY_VPN}    requests:\n      max_duration: 1d\n      requesters: [carol]\n`
    )
  expect(baseFile).toContain('requesters: [carol]')
  workspace = await mkdtemp(join(tmpdir(), 'e2e-request-'))
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(async () => {
  emulator.reset()
  github = await startFakeGitHub()
})
afterEach(async () => {
  await github.close()
})

async function run(
  options: Partial<BundleOptions> & Pick<BundleOptions, 'eventName' | 'payload'>,
  file: string
) {
  await writeFile(join(workspace, PATH), file)
  return runBundle({
    workspace,
    githubApiUrl: github.url,
    sha: github.state.branches.get('main') ?? ZERO,
    ref: 'refs/heads/main',
    ...options,
    inputs: {
      'cloudflare-api-token': DEMO_TOKEN,
      'cloudflare-api-url': emulator.url,
      'github-token': FAKE_ACTIONS_TOKEN,
      ...options.inputs
    }
  })
}

const cloudflareWrites = () => emulator.requests.filter((entry) => entry.method !== 'GET')

function formBody(fields: { target?: string; duration?: string; onBehalfOf?: string } = {}) {
  return [
    '### Group or role',
    '',
    fields.target ?? 'group: Legacy VPN',
    '',
    '### Duration',
    '',
    fields.duration ?? '4h',
    '',
    '### Reason',
    '',
    'INC-42 customer escalation',
    '',
    '### Your e-mail',
    '',
    '_No response_',
    '',
    '### On behalf of',
    '',
    fields.onBehalfOf ?? '_No response_'
  ].join('\n')
}

function issuePayload(issue: FakeIssue, action: string, bodyBefore?: string) {
  return {
    action,
    repository: REPO,
    issue: {
      number: issue.number,
      body: issue.body,
      user: { login: issue.author, type: issue.author.endsWith('[bot]') ? 'Bot' : 'User' },
      labels: issue.labels.map((name) => ({ name }))
    },
    ...(bodyBefore === undefined ? {} : { changes: { body: { from: bodyBefore } } }),
    sender: { login: issue.author, type: 'User' }
  }
}

/**
 * Main holds the base file and Cloudflare already matches it (applied once, as an earlier merge would): pushed onto an
 * empty first commit and accepted with allow-unapproved, which compares the push with the commit before it.
 */
async function converge(): Promise<string> {
  const before = 'e'.repeat(40)
  github.state.setBranch('main', before)
  const sha = github.state.commitFile('main', PATH, baseFile)
  const result = await run(
    {
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before, after: sha, repository: REPO },
      sha,
      inputs: { 'allow-unapproved': 'true' }
    },
    baseFile
  )
  expect(result.exitCode, result.stdout).toBe(0)
  emulator.requests.length = 0
  return sha
}

async function openRequest(body = formBody(), author = 'carol') {
  const issue = github.state.addIssue({
    title: 'Access request',
    body,
    author,
    labels: ['access-request']
  })
  const result = await run(
    { eventName: 'issues', payload: issuePayload(issue, 'opened'), now: '2026-12-02T10:00:00Z' },
    baseFile
  )
  expect(result.exitCode, result.stdout).toBe(0)
  return issue
}

function mergePull(number: number): string {
  const pull = github.state.pulls.find((candidate) => candidate.number === number)!
  const text = github.state.filesAt(pull.headSha)!.get(PATH)!
  const sha = github.state.commitFile('main', PATH, text)
  pull.state = 'closed'
  pull.mergedAt = github.state.tick()
  pull.mergeCommitSha = sha
  github.state.associateCommit(sha, number)
  return sha
}

function applyMerge(sha: string, before: string) {
  const text = github.state.filesAt(sha)!.get(PATH)!
  return run(
    {
      eventName: 'push',
      payload: { ref: 'refs/heads/main', before, after: sha, repository: REPO },
      sha,
      now: '2026-12-02T11:00:00Z'
    },
    text
  )
}

describe('a request issue through the loop', () => {
  test('pull request with exactly the grant, plan, requester refused, owner approves, merge applies', async () => {
    const baseSha = await converge()
    const issue = await openRequest()

    expect(github.state.pulls).toHaveLength(1)
    const pull = github.state.pulls[0]!
    expect(pull).toMatchObject({
      headRef: `access-request/${issue.number}`,
      baseRef: 'main',
      state: 'open'
    })
    expect(pull.author).toBe('github-actions[bot]')
    const headText = github.state.filesAt(pull.headSha)!.get(PATH)!
    expect(headText).toBe(
      baseFile.replace('      - olaf@example.org\n', `      - olaf@example.org\n${GRANT_LINES}`)
    )
    const comments = github.state.commentsOn(issue.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain(REQUEST_COMMENT_MARKER)
    expect(comments[0]!.body).toContain(`/acme/access/pull/${pull.number}`)
    expect(comments[0]!.body).toContain('a maintainer must run it')
    expect(cloudflareWrites()).toEqual([])

    // The pull request's plan works as for any pull request.
    const plan = await run(
      {
        eventName: 'pull_request',
        payload: {
          action: 'opened',
          number: pull.number,
          repository: REPO,
          pull_request: {
            number: pull.number,
            user: { login: pull.author },
            head: { sha: pull.headSha, ref: pull.headRef, repo: { full_name: 'acme/access' } },
            base: { sha: baseSha, ref: 'main', repo: { full_name: 'acme/access' } }
          }
        },
        sha: pull.headSha,
        now: '2026-12-02T10:05:00Z'
      },
      headText
    )
    expect(plan.exitCode, plan.stdout).toBe(0)
    expect(plan.outputs).toMatchObject({ additions: '1', removals: '0' })
    expect(github.state.commentsOn(pull.number)[0]!.body).toContain(PLAN_COMMENT_MARKER)

    // The requester approves their own request: it does not count, nothing is applied.
    github.state.addReview(pull.number, { user: 'carol', state: 'APPROVED' })
    const mergeSha = mergePull(pull.number)
    const refused = await applyMerge(mergeSha, baseSha)
    expect(refused.exitCode).toBe(1)
    expect(refused.stdout).toContain('Not counted: @carol (asked for this access)')
    expect(cloudflareWrites()).toEqual([])

    // An owner of Legacy VPN, with write access, approves the same head: the merge applies exactly the grant.
    github.state.grantPermission('octocat', 'write')
    github.state.addReview(pull.number, {
      user: 'octocat',
      state: 'APPROVED',
      commitId: pull.headSha
    })
    const applied = await applyMerge(mergeSha, baseSha)
    expect(applied.exitCode, applied.stdout).toBe(0)
    expect(applied.outputs).toMatchObject({ applied: '1', failed: '0' })
    const vpn = emulator.state.groups.find(
      (group) => group.id === '3855c006-6906-4372-97c5-f70495dc295b'
    )!
    expect(JSON.stringify(vpn.include)).toContain('carol@example.com')

    // The clock passes the end: expire removes exactly that grant, comments on the request and closes it.
    emulator.requests.length = 0
    const schedule = {
      eventName: 'schedule',
      payload: { schedule: '*/15 * * * *', repository: REPO }
    }
    const early = await run(
      { ...schedule, inputs: { mode: 'expire' }, now: '2026-12-02T13:59:00Z' },
      headText
    )
    expect(early.exitCode, early.stdout).toBe(0)
    expect(cloudflareWrites()).toEqual([])
    const expired = await run(
      {
        ...schedule,
        inputs: { mode: 'expire', 'end-sessions': 'true' },
        now: '2026-12-02T14:15:00Z'
      },
      headText
    )
    expect(expired.exitCode, expired.stdout).toBe(0)
    expect(expired.outputs).toMatchObject({ applied: '1', failed: '0', removals: '1' })
    // The rule goes first, then carol's open sessions end: one request each.
    expect(cloudflareWrites().map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      `PUT /client/v4/accounts/${SEED.account_id}/access/groups/3855c006-6906-4372-97c5-f70495dc295b`,
      `POST /client/v4/accounts/${SEED.account_id}/access/organizations/revoke_user`
    ])
    expect(cloudflareWrites()[1]!.body).toEqual({ email: 'carol@example.com' })
    expect(emulator.state.sessionRevocations.map((entry) => entry.email)).toEqual([
      'carol@example.com'
    ])
    expect(expired.summary).toContain('- ✅ ended: `carol@example.com`')
    expect(JSON.stringify(vpn.include)).not.toContain('carol@example.com')
    const closing = github.state.commentsOn(issue.number).at(-1)!
    expect(closing.body).toContain('`carol@example.com` no longer holds the group `Legacy VPN`')
    expect(issue.state).toBe('closed')
    // A second run finds nothing more to do.
    const again = await run(
      { ...schedule, inputs: { mode: 'expire' }, now: '2026-12-02T14:30:00Z' },
      headText
    )
    expect(again.exitCode, again.stdout).toBe(0)
    expect(cloudflareWrites()).toHaveLength(2)

    // The weekly cleanup, without Cloudflare credentials, proposes the file without the ended grant: the base file
    // again, byte for byte. Its plan shows no Cloudflare change, since expire revoked the grant already.
    emulator.requests.length = 0
    const cleanup = await run(
      {
        ...schedule,
        inputs: { mode: 'cleanup', 'cloudflare-api-token': '' },
        now: '2026-12-07T06:00:00Z'
      },
      headText
    )
    expect(cleanup.exitCode, cleanup.stdout).toBe(0)
    expect(cleanup.outputs).toMatchObject({ 'has-changes': 'true', removals: '1' })
    expect(emulator.requests).toEqual([])
    const cleanupPull = github.state.pulls.find(
      (candidate) => candidate.headRef === 'access-cleanup'
    )!
    expect(cleanupPull).toMatchObject({ baseRef: 'main', state: 'open' })
    expect(cleanupPull.title).toBe('Access file: remove 1 ended grant')
    expect(github.state.filesAt(cleanupPull.headSha)!.get(PATH)).toBe(baseFile)
    const cleanupPlan = await run(
      {
        eventName: 'pull_request',
        payload: {
          action: 'opened',
          number: cleanupPull.number,
          repository: REPO,
          pull_request: {
            number: cleanupPull.number,
            user: { login: cleanupPull.author },
            head: {
              sha: cleanupPull.headSha,
              ref: cleanupPull.headRef,
              repo: { full_name: 'acme/access' }
            },
            base: { sha: mergeSha, ref: 'main', repo: { full_name: 'acme/access' } }
          }
        },
        sha: cleanupPull.headSha,
        now: '2026-12-07T06:05:00Z'
      },
      baseFile
    )
    expect(cleanupPlan.exitCode, cleanupPlan.stdout).toBe(0)
    expect(cleanupPlan.outputs).toMatchObject({ 'has-changes': 'false' })
    expect(cloudflareWrites()).toEqual([])
  })

  test('expire refuses to run off the default branch', async () => {
    github.state.addFile('main', PATH, baseFile)
    const result = await run(
      {
        eventName: 'workflow_dispatch',
        payload: { ref: 'refs/heads/feature', repository: REPO },
        ref: 'refs/heads/feature',
        inputs: { mode: 'expire' }
      },
      baseFile
    )
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('expire only runs on the default branch (main)')
    expect(emulator.requests).toEqual([])
  })

  test('editing the request resets the branch: an approval of the earlier head no longer counts', async () => {
    await converge()
    const issue = await openRequest()
    const pull = github.state.pulls[0]!
    const firstHead = pull.headSha
    github.state.addReview(pull.number, { user: 'octocat', state: 'APPROVED', commitId: firstHead })

    const before = issue.body
    issue.body = formBody({ duration: '1d' })
    const edited = await run(
      {
        eventName: 'issues',
        payload: issuePayload(issue, 'edited', before),
        now: '2026-12-02T10:30:00Z'
      },
      baseFile
    )
    expect(edited.exitCode, edited.stdout).toBe(0)
    expect(github.state.pulls).toHaveLength(1)
    expect(pull.headSha).not.toBe(firstHead)
    const text = github.state.filesAt(pull.headSha)!.get(PATH)!
    // One commit on the base: the new grant only, not stacked on the old one.
    expect(text).toBe(
      baseFile.replace(
        '      - olaf@example.org\n',
        `      - olaf@example.org\n${GRANT_LINES.replace('2026-12-02T14:00:00Z', '2026-12-03T10:30:00Z')}`
      )
    )
    const mergeSha = mergePull(pull.number)
    const result = await applyMerge(mergeSha, ZERO)
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('Approved an earlier commit only: @octocat')
    expect(cloudflareWrites()).toEqual([])
  })

  test.each([
    ['a bot', formBody(), 'renovate[bot]', 'is a bot; requests are for people'],
    ['an unknown group', formBody({ target: 'group: Payroll' }), 'carol', 'has no group named'],
    [
      'a group without requests',
      formBody({ target: 'group: Engineering' }),
      'carol',
      'does not accept requests'
    ],
    [
      'a duration above the maximum',
      formBody({ duration: '3d' }),
      'carol',
      'is longer than the group'
    ],
    ['an unreadable duration', formBody({ duration: 'soon' }), 'carol', 'is not one I can read'],
    [
      'someone else without the right',
      formBody({ onBehalfOf: 'erin@example.com' }),
      'carol',
      "on someone else's behalf"
    ],
    ['a requester outside requesters', formBody(), 'mallory', 'only its requests.requesters may'],
    ['a hand-edited form', 'please make me admin @octocat', 'carol', 'The form has no answer']
  ])(
    '%s gets a comment, no pull request and nothing in Cloudflare',
    async (_, body, author, message) => {
      github.state.addFile('main', PATH, baseFile)
      const issue = await openRequest(body, author)
      expect(github.state.pulls).toEqual([])
      const comments = github.state.commentsOn(issue.number)
      expect(comments).toHaveLength(1)
      expect(comments[0]!.body).toContain(message)
      // Nothing from the issue can ping anyone.
      expect(comments[0]!.body).not.toMatch(/(^|[^\w])@[A-Za-z]/)
      expect(emulator.requests.filter((entry) => entry.method !== 'GET')).toEqual([])
    }
  )
})

describe('a request in a fork', () => {
  test('gets a refusal comment, no pull request, no branch and nothing in Cloudflare', async () => {
    github.state.addFile('main', PATH, baseFile)
    const mainBefore = github.state.branches.get('main')
    const issue = github.state.addIssue({
      title: 'Access request',
      body: formBody(),
      author: 'carol',
      labels: ['access-request']
    })

    const result = await run(
      {
        eventName: 'issues',
        payload: { ...issuePayload(issue, 'opened'), repository: { ...REPO, fork: true } },
        now: '2026-12-02T10:00:00Z'
      },
      baseFile
    )

    expect(result.exitCode, result.stdout).toBe(0)
    expect(github.state.pulls).toEqual([])
    expect([...github.state.branches.keys()]).toEqual(['main'])
    expect(github.state.branches.get('main')).toBe(mainBefore)
    const comments = github.state.commentsOn(issue.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain('This repository is a fork')
    // Our one write: the comment (the identity lookup may ask GraphQL, a read).
    const writes = github
      .requestLines()
      .filter((line) => !line.startsWith('GET') && line !== 'POST /graphql')
    expect(writes).toEqual([`POST /repos/acme/access/issues/${issue.number}/comments`])
    expect(emulator.requests).toEqual([])
  })
})

function commentPayload(issue: FakeIssue, author: string, body: string) {
  return {
    action: 'created',
    repository: REPO,
    issue: {
      number: issue.number,
      body: issue.body,
      state: issue.state,
      user: { login: issue.author, type: 'User' },
      labels: issue.labels.map((name) => ({ name }))
    },
    comment: {
      id: 9000 + issue.number,
      body,
      user: { login: author, type: author.endsWith('[bot]') ? 'Bot' : 'User' }
    },
    sender: { login: author, type: 'User' }
  }
}

describe('extending a granted request with /extend', () => {
  async function granted() {
    const baseSha = await converge()
    const issue = await openRequest()
    const pull = github.state.pulls[0]!
    github.state.grantPermission('octocat', 'write')
    github.state.addReview(pull.number, {
      user: 'octocat',
      state: 'APPROVED',
      commitId: pull.headSha
    })
    const mergeSha = mergePull(pull.number)
    const applied = await applyMerge(mergeSha, baseSha)
    expect(applied.exitCode, applied.stdout).toBe(0)
    emulator.requests.length = 0
    return { issue, mergeSha, text: github.state.filesAt(mergeSha)!.get(PATH)! }
  }

  const extend = (issue: FakeIssue, author: string, body: string, text: string) =>
    run(
      {
        eventName: 'issue_comment',
        payload: commentPayload(issue, author, body),
        now: '2026-12-02T12:00:00Z'
      },
      text
    )

  test('the requester gets a new pull request on the request branch that moves only the end; approval again', async () => {
    const { issue, mergeSha, text } = await granted()
    const result = await extend(issue, 'carol', '/extend 2h\nthe incident is still open', text)
    expect(result.exitCode, result.stdout).toBe(0)
    expect(github.state.pulls).toHaveLength(2)
    const pull = github.state.pulls[1]!
    expect(pull).toMatchObject({ headRef: `access-request/${issue.number}`, state: 'open' })
    expect(pull.title).toBe(`Access request #${issue.number}: extend group "Legacy VPN" by 2 hours`)
    const extended = github.state.filesAt(pull.headSha)!.get(PATH)!
    expect(extended).toBe(
      text.replace('expires: 2026-12-02T14:00:00Z', 'expires: 2026-12-02T16:00:00Z')
    )
    const comment = github.state.commentsOn(issue.number).at(-1)!
    expect(comment.body).toContain('### Access extension: pull request opened')
    expect(comment.body).toContain('from 2026-12-02T14:00:00Z to 2026-12-02T16:00:00Z')
    expect(cloudflareWrites()).toEqual([])

    // Merged with only the requester's approval, apply refuses; nothing changes in Cloudflare either way.
    github.state.addReview(pull.number, {
      user: 'carol',
      state: 'APPROVED',
      commitId: pull.headSha
    })
    const extendedSha = mergePull(pull.number)
    const refused = await applyMerge(extendedSha, mergeSha)
    expect(refused.exitCode, refused.stdout).toBe(1)
    expect(refused.stdout).toContain('Not counted: @carol')
    expect(cloudflareWrites()).toEqual([])
  })

  test.each([
    [
      'someone else',
      'mallory',
      '/extend 2h',
      'Only @carol, who asked for this access, can extend it'
    ],
    ['no duration', 'carol', '/extend', 'Write the extension as "/extend" and a duration'],
    [
      'an unreadable duration',
      'carol',
      '/extend a bit',
      'Write the extension as "/extend" and a duration'
    ],
    ['past max_duration', 'carol', '/extend 1d', 'extend by at most 22 hours']
  ])('%s is refused with a comment and no pull request', async (_, author, body, message) => {
    const { issue, text } = await granted()
    const result = await extend(issue, author, body, text)
    expect(result.exitCode, result.stdout).toBe(0)
    expect(github.state.pulls).toHaveLength(1)
    const comment = github.state.commentsOn(issue.number).at(-1)!
    expect(comment.body).toContain('### Access extension: not accepted')
    expect(comment.body).toContain(message.replaceAll('@', '@&#8203;'))
    expect(cloudflareWrites()).toEqual([])
  })

  test('before the request is merged, /extend says to edit the issue; a bot and other comments are ignored', async () => {
    await converge()
    const issue = await openRequest()
    const text = github.state.filesAt(github.state.branches.get('main')!)!.get(PATH)!
    const early = await extend(issue, 'carol', '/extend 2h', text)
    expect(early.exitCode, early.stdout).toBe(0)
    expect(github.state.commentsOn(issue.number).at(-1)!.body).toContain(
      'its pull request is not merged yet'
    )
    const count = github.state.commentsOn(issue.number).length
    for (const [author, body] of [
      ['renovate[bot]', '/extend 2h'],
      ['carol', 'thanks!']
    ] as const) {
      const ignored = await extend(issue, author, body, text)
      expect(ignored.exitCode, ignored.stdout).toBe(0)
    }
    expect(github.state.commentsOn(issue.number)).toHaveLength(count)
    expect(github.state.pulls).toHaveLength(1)
  })
})
