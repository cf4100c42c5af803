import { describe, expect, test } from 'vitest'
import { runReview } from '../../src/modes/review.js'
import { REVIEW_MARKER_PREFIX, reviewMarker } from '../../src/report/index.js'
import type { EventInfo } from '../../src/github/index.js'
import {
  CONFIG,
  ENG_ID,
  fakeGitHub,
  harness as baseHarness,
  inputs,
  type FakeGitHub
} from './fakes.js'
import { IN_SYNC } from './files.js'

const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}

function harness(options: Parameters<typeof baseHarness>[0]) {
  return baseHarness({ event: SCHEDULE, ...options })
}

/**
 * Against baseSnapshot(): alice's Engineering grant and carol's read-only role expired on 1 March; erin is asked for
 * but not in Cloudflare yet; olga is in Ops only in Cloudflare (drift), and so is dave's read-only role.
 */
const EXPIRED_AND_DRIFT = `version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-03-01
      - bob@example.com
      - erin@example.com
  Ops:
    members: []
roles:
  Administrator Read Only:
    members:
      - email: carol@example.com
        expires: 2026-03-01
`

function previousIssue(): FakeGitHub['data']['issues'][number] {
  return {
    number: 7,
    url: 'https://github.com/acme/access/issues/7',
    title: 'Cloudflare access review: February 2026',
    body: `${reviewMarker('2026-02')}\nold review`,
    state: 'closed',
    author: 'github-actions[bot]',
    labels: ['access-review']
  }
}

describe('runReview', () => {
  test('opens one issue with the label when none exists for the period', async () => {
    const h = harness({ file: IN_SYNC })

    const result = await runReview(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'false',
        additions: '0',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'issue-number': '1',
        applied: '0',
        failed: '0'
      },
      failure: undefined
    })
    const marker = reviewMarker('2026-03')
    expect(h.github.calls).toEqual([
      `findIssueByMarker access-review, ${marker}`,
      `findLatestIssueWithLabel access-review, ${REVIEW_MARKER_PREFIX}, ${marker}`,
      'createIssue Cloudflare access review: March 2026, access-review'
    ])
    expect(h.github.data.issues).toHaveLength(1)
    const issue = h.github.data.issues[0]!
    expect(issue.labels).toEqual(['access-review'])
    expect(issue.body).toContain(marker)
    expect(issue.body).not.toContain('Previous review')
    expect(h.io.summaries).toEqual([issue.body])
    expect(h.io.infos).toContain('Opened access review #1.')
    expect(h.cloudflare.writes).toEqual([])
  })

  test('a custom label and a quarterly period name the issue', async () => {
    const h = harness({
      file: IN_SYNC,
      inputs: inputs({ 'review-label': 'quarterly-review', 'review-period': 'quarter' })
    })

    await runReview(h.deps)

    expect(h.github.calls).toEqual([
      `findIssueByMarker quarterly-review, ${reviewMarker('2026-Q1')}`,
      `findLatestIssueWithLabel quarterly-review, ${REVIEW_MARKER_PREFIX}, ${reviewMarker('2026-Q1')}`,
      `createIssue ${h.github.data.issues[0]!.title}, quarterly-review`
    ])
    expect(h.github.data.issues[0]!.body).toContain(reviewMarker('2026-Q1'))
  })

  test('a re-run in the same period updates that issue instead of opening another', async () => {
    const github = fakeGitHub()
    await runReview(harness({ file: IN_SYNC, github }).deps)
    // Something changed in between: the live account has a new drifted member in Ops, so the body differs.
    const second = harness({
      file: IN_SYNC.replace('[olga@example.com]', '[olga@example.com, erin@example.com]'),
      github
    })

    const result = await runReview(second.deps)

    expect(result.outputs['issue-number']).toBe('1')
    expect(github.data.issues).toHaveLength(1)
    expect(github.calls.filter((call) => call.startsWith('createIssue'))).toHaveLength(1)
    expect(github.calls.filter((call) => call.startsWith('updateIssue'))).toEqual(['updateIssue 1'])
    expect(github.data.issues[0]!.body).toContain('erin@example.com')
    expect(second.io.infos).toContain('Updated access review #1.')
  })

  test('an unchanged body makes no update call', async () => {
    const github = fakeGitHub()
    await runReview(harness({ file: IN_SYNC, github }).deps)
    const callsBefore = github.calls.length

    const result = await runReview(harness({ file: IN_SYNC, github }).deps)

    expect(result.outputs['issue-number']).toBe('1')
    const marker = reviewMarker('2026-03')
    expect(github.calls.slice(callsBefore)).toEqual([
      `findIssueByMarker access-review, ${marker}`,
      `findLatestIssueWithLabel access-review, ${REVIEW_MARKER_PREFIX}, ${marker}`,
      'whoAmI',
      'listIssueComments 1',
      // 15 March is the due date of the March review: the owners get today's reminder.
      'createComment 1'
    ])
  })

  test('links the previous period’s issue', async () => {
    const github = fakeGitHub({ issues: [previousIssue()] })
    const h = harness({ file: IN_SYNC, github })

    const result = await runReview(h.deps)

    expect(result.outputs['issue-number']).toBe('8')
    expect(github.data.issues[1]!.body).toContain(
      // GitHub renders a bare #number as a link to that issue, with its title and state.
      'Previous review: #7'
    )
    expect(github.data.issues[0]!.body).toBe(`${reviewMarker('2026-02')}\nold review`)
  })

  test('revoke-expired revokes exactly the expired grants; drift and requested additions stay', async () => {
    const h = harness({ file: EXPIRED_AND_DRIFT, inputs: inputs({ 'revoke-expired': 'true' }) })

    const result = await runReview(h.deps)

    // The full plan: erin added; alice, carol expired; olga (Ops) and dave (role) drift.
    expect(result.outputs).toEqual({
      'has-changes': 'true',
      additions: '1',
      removals: '4',
      'plan-file': '/tmp/runner/cloudflare-access-plan.json',
      'issue-number': '1',
      applied: '2',
      failed: '0'
    })
    expect(result.failure).toBeUndefined()
    const byCall = [...h.cloudflare.writes].sort((a, b) => a.call.localeCompare(b.call))
    expect(byCall).toEqual([
      {
        call: 'putGroup',
        id: ENG_ID,
        body: {
          name: 'Engineering',
          include: [{ email: { email: 'bob@example.com' } }],
          exclude: [],
          require: []
        }
      },
      { call: 'removeMember', memberId: 'm-carol' }
    ])
    expect(h.io.infos).toContain('Revoked expired grants: 2 applied, 0 failed.')
    const body = h.github.data.issues[0]!.body
    const revoked = body.slice(body.indexOf('### Expired grants revoked by this run'))
    expect(revoked).toContain(
      '2 revoked, 0 failed, 0 skipped.\n\n' +
        '- ✅ remove `alice@example.com` from Access group Engineering (expired 2026-03-01)\n' +
        '- ✅ remove membership `carol@example.com` from Account role Administrator Read Only (expired 2026-03-01)\n'
    )
  })

  test('revoke-expired with dry-run writes nothing and says so', async () => {
    const h = harness({
      file: EXPIRED_AND_DRIFT,
      inputs: inputs({ 'revoke-expired': 'true', 'dry-run': 'true' })
    })

    const result = await runReview(h.deps)

    expect(h.cloudflare.writes).toEqual([])
    expect(result.outputs.applied).toBe('0')
    expect(h.github.data.issues[0]!.body).toContain(
      '### Expired grants (dry run: nothing was revoked)'
    )
  })

  test('without revoke-expired nothing is written, even with expired grants', async () => {
    const h = harness({ file: EXPIRED_AND_DRIFT })

    const result = await runReview(h.deps)

    expect(h.cloudflare.calls).toEqual([
      'verifyCredentials',
      'readAccountSnapshot',
      'readAccessApplications'
    ])
    expect(result.outputs.applied).toBe('0')
    expect(result.outputs.removals).toBe('4')
  })

  test('a failed revocation fails the step', async () => {
    const h = harness({ file: EXPIRED_AND_DRIFT, inputs: inputs({ 'revoke-expired': 'true' }) })
    h.cloudflare.failWritesTo.add('m-carol')

    const result = await runReview(h.deps)

    expect(result.outputs.applied).toBe('1')
    expect(result.outputs.failed).toBe('1')
    expect(result.failure).toBe('1 expired grant could not be revoked; see the review issue.')
    expect(h.github.data.issues).toHaveLength(1)
  })

  test('a blocked expiry plan revokes nothing and warns', async () => {
    const h = harness({
      file: EXPIRED_AND_DRIFT,
      inputs: inputs({ 'revoke-expired': 'true', 'max-removals': '1' })
    })

    const result = await runReview(h.deps)

    expect(h.cloudflare.writes).toEqual([])
    expect(h.io.warnings).toEqual([
      'Expired grants were not revoked; the plan is blocked:\nThis plan removes 2 grants, more than the limit of 1. If these removals are intended, raise max_removals in the access file settings. To go ahead anyway, set the action input allow-mass-removal: true for this run.'
    ])
    expect(result.failure).toBeUndefined()
    expect(h.github.data.issues).toHaveLength(1)
  })

  test('an invalid file writes no review', async () => {
    const h = harness({ file: 'version: 1\ngroups: []\n' })

    const result = await runReview(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure: 'The access file is invalid; no review was written.'
    })
    expect(h.io.errors.map((e) => e.location)).toEqual([{ file: CONFIG, line: 2, column: 9 }])
    expect(h.github.calls).toEqual([])
    expect(h.cloudflare.calls).toEqual([])
  })

  test('without a GitHub token it fails before reading Cloudflare', async () => {
    const h = harness({ file: IN_SYNC, withGitHub: false })

    const result = await runReview(h.deps)

    expect(result).toEqual({
      outputs: {},
      failure: 'review needs the github-token input (with issues: write) to write the review issue.'
    })
    expect(h.cloudflare.calls).toEqual([])
  })
})
