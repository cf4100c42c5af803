/**
 * The end of a review: complete (past the due date every undecided grant is an exception), its evidence proposed,
 * then signed off by an approval from `signoff`, which closes the review; ticks in a closed review do not count.
 */
import { describe, expect, test } from 'vitest'
import type { EventInfo } from '../../src/github/index.js'
import { runReview } from '../../src/modes/review.js'
import { APPLY_COMMENT_MARKER, SIGNOFF_MARKER } from '../../src/report/index.js'
import {
  certificationKey,
  decisionBoxComment,
  decisionRecordMarker
} from '../../src/review/index.js'
import {
  approval,
  baseSnapshot,
  fakeGitHub,
  harness,
  pullRequest,
  type FakeGitHub
} from './fakes.js'

// Due 2 March; the harness's clock is 15 March, so the review is complete once it has an issue.
const FILE = `version: 1
people:
  octocat: octo@example.com
settings:
  review:
    due_days: 1
    signoff: [ivy, '@acme/audit']
groups:
  Engineering:
    owners: [octocat]
    members:
      - alice@example.com
      - bob@example.com
`
const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}
const EVIDENCE = 'access-review/2026-03-evidence'

async function completeReview(): Promise<FakeGitHub> {
  const github = fakeGitHub({ teams: { 'acme/audit': ['dana'] } })
  await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
  await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
  expect(github.prsWithFile.map((args) => args.branch)).toContain(EVIDENCE)
  // The evidence pull request as GitHub lists it.
  github.data.pullRequests.push(
    pullRequest({
      number: 77,
      author: 'github-actions[bot]',
      headRef: EVIDENCE,
      headSha: 'evidence-sha',
      merged: false,
      mergeCommitSha: null
    })
  )
  return github
}

const closes = (github: FakeGitHub) =>
  github.calls.filter((call) => call.startsWith('updateIssue ')).length

describe('sign-off', () => {
  test('an approval by someone else changes nothing; one by a signoff team member closes the review', async () => {
    const github = await completeReview()
    github.data.reviews[77] = [approval('mallory', 'evidence-sha', 1)]
    const before = github.calls.length
    const h = harness({ file: FILE, event: SCHEDULE, github })
    await runReview(h.deps)
    expect(github.data.issues[0]!.state).toBe('open')
    expect(h.io.infos).toContain(
      'Evidence pull request #77 is not signed off yet: no standing approval of its latest commit by ivy, @acme/audit.'
    )
    expect(github.calls.slice(before)).toContain(`findPullRequestFromBranch ${EVIDENCE}, main`)

    github.data.reviews[77] = [approval('dana', 'evidence-sha', 2)]
    await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
    const issue = github.data.issues[0]!
    expect(issue.state).toBe('closed')
    const comment = github.data.comments.find((entry) => entry.body.includes(SIGNOFF_MARKER))!
    expect(comment.issueNumber).toBe(issue.number)
    expect(comment.body).toContain(
      '**Access review signed off:** `dana` approved the evidence pull request #77; seen 2026-03-15 12:00 UTC.'
    )

    // Closed: later runs send no reminder and close nothing again.
    const updates = closes(github)
    const comments = github.data.comments.length
    await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
    expect(github.data.comments).toHaveLength(comments)
    expect(closes(github)).toBe(updates)
  })

  test('a tick in a closed review is undone with a note and recorded nowhere', async () => {
    const github = await completeReview()
    github.data.reviews[77] = [approval('ivy', 'evidence-sha', 1)]
    await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
    const issue = github.data.issues[0]!
    expect(issue.state).toBe('closed')
    const key = certificationKey('group', 'Engineering', 'alice@example.com')
    const from = issue.body
    const box = `[ ] keep ${decisionBoxComment('keep', key)}`
    expect(from).toContain(box)
    issue.body = from.replace(box, `[x] keep ${decisionBoxComment('keep', key)}`)
    const records = () =>
      github.data.comments.filter((entry) => entry.body.includes(decisionRecordMarker('2026-03')))
    const event: EventInfo = {
      kind: 'issues',
      name: 'issues',
      isFork: false,
      action: 'edited',
      issue: { number: issue.number, body: issue.body, author: 'github-actions[bot]' },
      bodyBefore: from,
      sender: { login: 'octocat', isBot: false }
    }
    await runReview(harness({ file: FILE, event, github }).deps)
    expect(records()).toEqual([])
    expect(issue.body).toContain(box)
    expect(issue.body).toContain(
      '`octocat` ticked **keep** for `alice@example.com` in Access group Engineering: this review is closed; its decisions are final.'
    )
  })
})

describe('revocations carried out', () => {
  test('once the revocations pull request is merged and applied, no new one is opened and the evidence records the merge and the apply', async () => {
    const github = fakeGitHub()
    await runReview(harness({ file: FILE, event: SCHEDULE, github }).deps)
    const issue = github.data.issues[0]!
    const bob = certificationKey('group', 'Engineering', 'bob@example.com')
    const from = issue.body
    issue.body = from.replace(
      `[ ] revoke ${decisionBoxComment('revoke', bob)}`,
      `[x] revoke ${decisionBoxComment('revoke', bob)}`
    )
    const event: EventInfo = {
      kind: 'issues',
      name: 'issues',
      isFork: false,
      defaultBranch: 'main',
      action: 'edited',
      issue: { number: issue.number, body: issue.body, author: 'github-actions[bot]' },
      bodyBefore: from,
      sender: { login: 'octocat', isBot: false }
    }
    await runReview(harness({ file: FILE, event, github }).deps)
    const revocations = 'access-review/2026-03-revocations'
    expect(github.prsWithFile.map((args) => args.branch)).toEqual([revocations])

    // Merged and applied: bob is out of the file and out of Cloudflare; apply commented on the pull request.
    github.data.pullRequests.push(
      pullRequest({
        number: 77,
        headRef: revocations,
        merged: true,
        mergeCommitSha: 'f00d'.repeat(10)
      })
    )
    github.data.comments.push({
      id: 5000,
      issueNumber: 77,
      body: `${APPLY_COMMENT_MARKER}\n### Cloudflare Access apply\n\n**✅ Applied 1 change.**\n\n<sub>[Workflow run](https://github.com/acme/access/actions/runs/5)</sub>\n`
    })
    const after = baseSnapshot()
    after.groups[0]!.include = [{ email: { email: 'alice@example.com' } }]
    const file = FILE.replace('      - bob@example.com\n', '')
    await runReview(harness({ file, snapshot: after, event: SCHEDULE, github }).deps)
    expect(github.prsWithFile.filter((args) => args.branch === revocations)).toHaveLength(1)
    const record = JSON.parse(
      github.prsWithFile.find((args) => args.path.endsWith('record.json'))!.content
    )
    expect(record.revocations).toMatchObject({
      merged: { number: 77, mergeCommit: 'f00d'.repeat(10) },
      apply: {
        run: 'https://github.com/acme/access/actions/runs/5',
        verdict: '✅ Applied 1 change.',
        commentId: 5000,
        edited: false
      },
      results: [{ key: bob, result: 'removed' }]
    })
  })
})
