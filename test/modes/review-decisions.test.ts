import { describe, expect, test } from 'vitest'
import type { EventInfo } from '../../src/github/index.js'
import { runReview } from '../../src/modes/review.js'
import {
  certificationKey,
  decisionBoxComment,
  decisionRecordMarker,
  parseDecisionBoxes,
  type Decision
} from '../../src/review/index.js'
import { fakeGitHub, harness, type FakeGitHub } from './fakes.js'

/** Engineering (alice, bob in Cloudflare) is owned by octocat, bob and a team; people name octocat and bob. */
const FILE = `version: 1
people:
  octocat: octo@example.com
  bob: bob@example.com
groups:
  Engineering:
    owners: [octocat, bob, '@acme/security']
    members:
      - alice@example.com
      - bob@example.com
`
const SCHEDULE: EventInfo = { kind: 'schedule', name: 'schedule', isFork: false }
const ALICE = certificationKey('group', 'Engineering', 'alice@example.com')
const BOB = certificationKey('group', 'Engineering', 'bob@example.com')

function tick(body: string, decision: Decision, key: string): string {
  const line = `[ ] ${decision} ${decisionBoxComment(decision, key)}`
  expect(body).toContain(line)
  return body.replace(line, `[x] ${decision} ${decisionBoxComment(decision, key)}`)
}

function edit(
  from: string,
  to: string,
  login: string,
  isBot = false,
  updatedAt?: string
): EventInfo {
  return {
    kind: 'issues',
    name: 'issues',
    isFork: false,
    action: 'edited',
    issue: {
      number: 1,
      body: to,
      author: 'github-actions[bot]',
      ...(updatedAt ? { updatedAt } : {})
    },
    bodyBefore: from,
    sender: { login, isBot }
  }
}

async function opened(github: FakeGitHub = fakeGitHub({ teams: { 'acme/security': ['dana'] } })) {
  await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
  return github
}

/** A person edits the issue in the browser: GitHub saves the new body, then sends the event. */
async function userEdits(github: FakeGitHub, login: string, change: (body: string) => string) {
  const issue = github.data.issues[0]!
  const from = issue.body
  const to = change(from)
  issue.body = to
  const h = harness({ file: FILE, event: edit(from, to, login), github })
  const result = await runReview(h.deps)
  return { result, h, body: github.data.issues[0]!.body }
}

function ticked(body: string): string[] {
  return [...parseDecisionBoxes(body)].filter(([, on]) => on).map(([id]) => id)
}

function records(github: FakeGitHub) {
  return github.data.comments.filter((comment) =>
    comment.body.includes(decisionRecordMarker('2026-03'))
  )
}

describe('decisions on the review issue', () => {
  test('an owner keeps: one record, the box stays ticked with who and when', async () => {
    const github = await opened()
    const { body } = await userEdits(github, 'octocat', (text) => tick(text, 'keep', ALICE))
    expect(ticked(body)).toEqual([`keep ${ALICE}`])
    expect(body).toContain('**kept** by `octocat` 2026-03-15 12:00 UTC')
    expect(body).toContain('Decided 1 of 2 grants')
    expect(records(github)).toHaveLength(1)
    expect(records(github)[0]!.body).toContain(
      '- kept `alice@example.com` in Access group Engineering'
    )
  })

  test('a revoke feeds the revocations pull request, which follows a change back to keep', async () => {
    const github = await opened()
    const eventWithBranch = (login: string, change: (body: string) => string) => {
      const issue = github.data.issues[0]!
      const from = issue.body
      issue.body = change(from)
      return runReview(
        harness({
          file: FILE,
          event: { ...edit(from, issue.body, login), defaultBranch: 'main' },
          github
        }).deps
      )
    }
    await eventWithBranch('octocat', (text) => tick(text, 'revoke', BOB))
    expect(github.prsWithFile).toHaveLength(1)
    expect(github.prsWithFile[0]).toMatchObject({
      branch: 'access-review/2026-03-revocations',
      base: 'main',
      path: 'cloudflare-access.yaml',
      content: FILE.replace('      - bob@example.com\n', ''),
      title: 'Access review March 2026: revocations',
      message: 'Access review March 2026: revoke 1 grant (access review #1)'
    })
    expect(github.data.issues[0]!.body).toContain(
      'Pull request #77 removes these from the access file'
    )
    await eventWithBranch('octocat', (text) => tick(text, 'keep', BOB))
    expect(github.prsWithFile[1]).toMatchObject({
      content: FILE,
      message: 'Access review March 2026: revoke 0 grants (access review #1)'
    })
  })

  test('a revocations pull request GitHub refuses fails the step, after recording and showing the decision', async () => {
    const github = await opened()
    github.port.createPullRequestWithFile = async () => {
      throw new Error('Resource not accessible by integration (pull-requests: write)')
    }
    const issue = github.data.issues[0]!
    const from = issue.body
    issue.body = tick(from, 'revoke', BOB)
    const result = await runReview(
      harness({
        file: FILE,
        event: { ...edit(from, issue.body, 'octocat'), defaultBranch: 'main' },
        github
      }).deps
    )
    expect(result.failure).toBe(
      'The review revocations pull request could not be written: Resource not accessible by integration (pull-requests: write)'
    )
    expect(records(github)).toHaveLength(1)
    expect(ticked(issue.body)).toEqual([`revoke ${BOB}`])
    expect(issue.body).toContain(
      'No revocations pull request could be written: Resource not accessible'
    )
  })

  test('a decision is timed by the edit (updated_at), not by the run that saw it later', async () => {
    const github = await opened()
    const issue = github.data.issues[0]!
    const from = issue.body
    issue.body = tick(from, 'keep', ALICE)
    const run = (updatedAt: string) =>
      runReview(
        harness({ file: FILE, event: edit(from, issue.body, 'octocat', false, updatedAt), github })
          .deps
      )
    await run('2026-03-15T09:41:00Z')
    expect(issue.body).toContain('**kept** by `octocat` 2026-03-15 09:41 UTC')
    // A time after the run's clock is not believed: the run's own time is recorded.
    const again = issue.body
    issue.body = tick(again, 'revoke', ALICE)
    await runReview(
      harness({
        file: FILE,
        event: edit(again, issue.body, 'octocat', false, '2026-03-16T09:00:00Z'),
        github
      }).deps
    )
    expect(issue.body).toContain('**revoked** by `octocat` 2026-03-15 12:00 UTC')
  })

  test('an owner revokes, then changes their mind by ticking keep', async () => {
    const github = await opened()
    await userEdits(github, 'octocat', (text) => tick(text, 'revoke', ALICE))
    const { body } = await userEdits(github, 'octocat', (text) => tick(text, 'keep', ALICE))
    expect(ticked(body)).toEqual([`keep ${ALICE}`])
    expect(records(github)).toHaveLength(2)
  })

  test('a non-owner’s tick is undone with a note, and recorded as not counted', async () => {
    const github = await opened()
    const { body } = await userEdits(github, 'mallory', (text) => tick(text, 'revoke', ALICE))
    expect(ticked(body)).toEqual([])
    expect(body).toContain(
      '`mallory` ticked **revoke** for `alice@example.com` in Access group Engineering: mallory is not an owner of Access group Engineering.'
    )
    expect(records(github)[0]!.body).toContain('not counted: revoke')
  })

  test('an owner cannot decide their own grant; another owner can', async () => {
    const github = await opened()
    const own = await userEdits(github, 'bob', (text) => tick(text, 'keep', BOB))
    expect(ticked(own.body)).toEqual([])
    expect(own.body).toContain('it is their own grant; another owner decides it.')
    const other = await userEdits(github, 'octocat', (text) => tick(text, 'keep', BOB))
    expect(ticked(other.body)).toEqual([`keep ${BOB}`])
  })

  test('a team owner counts; unticking a decision changes nothing', async () => {
    const github = await opened()
    // dana is in @acme/security but not in people: the review cannot tell which grants are hers.
    const refused = await userEdits(github, 'dana', (text) => tick(text, 'keep', ALICE))
    expect(refused.body).toContain('people mapping does not list dana')
    await userEdits(github, 'octocat', (text) => tick(text, 'keep', ALICE))
    const { body } = await userEdits(github, 'octocat', (text) =>
      text.replace(
        `[x] keep ${decisionBoxComment('keep', ALICE)}`,
        `[ ] keep ${decisionBoxComment('keep', ALICE)}`
      )
    )
    expect(ticked(body)).toEqual([`keep ${ALICE}`])
  })

  test('two owners editing at once lose nothing: the second run keeps the first decision', async () => {
    const github = await opened()
    const issue = github.data.issues[0]!
    const r0 = issue.body
    const h1 = tick(r0, 'keep', ALICE)
    const h2 = tick(h1, 'revoke', BOB)
    issue.body = h2
    // The runs are serialised: the first sees its own edit, the second sees the body the first edit left.
    await runReview(harness({ file: FILE, event: edit(r0, h1, 'bob'), github }).deps)
    await runReview(harness({ file: FILE, event: edit(h1, h2, 'octocat'), github }).deps)
    expect(ticked(issue.body)).toEqual([`keep ${ALICE}`, `revoke ${BOB}`])
  })

  test('a tick no run saw is undone and the issue says to tick again', async () => {
    const github = await opened()
    const issue = github.data.issues[0]!
    const lost = tick(issue.body, 'keep', ALICE)
    const seen = tick(lost, 'keep', BOB)
    issue.body = seen
    await runReview(harness({ file: FILE, event: edit(lost, seen, 'octocat'), github }).deps)
    expect(ticked(issue.body)).toEqual([`keep ${BOB}`])
    expect(issue.body).toContain('A tick on **keep** for `alice@example.com`')
  })

  test('a record someone edited is ignored, and the issue says so', async () => {
    const github = await opened()
    await userEdits(github, 'octocat', (text) => tick(text, 'keep', ALICE))
    records(github)[0]!.updatedAt = '2026-03-16T00:00:00Z'
    const { body } = await userEdits(github, 'octocat', (text) => text)
    expect(ticked(body)).toEqual([])
    expect(body).toContain('1 comment carrying a decision record was ignored')
  })

  test('bots, other issues and title-only edits decide nothing and write nothing', async () => {
    const github = await opened()
    const before = github.calls.length
    const body = github.data.issues[0]!.body
    const ticked = tick(body, 'keep', ALICE)
    for (const event of [
      edit(body, ticked, 'github-actions[bot]', true),
      { ...edit(body, ticked, 'octocat'), bodyBefore: undefined },
      { ...edit('x', 'y', 'octocat'), issue: { number: 99, body: 'y', author: 'octocat' } }
    ]) {
      const h = harness({ file: FILE, event, github })
      await runReview(h.deps)
      expect(h.cloudflare.connectedTo).toEqual([])
    }
    expect(github.calls.slice(before).filter((call) => /^(create|update)/.test(call))).toEqual([])
  })
})
