/**
 * Once Cloudflare has been written, what GitHub does afterwards cannot change what the run reports: the outputs and the
 * job summary describe the writes, and a comment GitHub refuses is a warning, not a failed step.
 */
import { describe, expect, test } from 'vitest'
import { GitHubApiError } from '../../src/github/index.js'
import { runApply } from '../../src/modes/apply.js'
import { runExpire } from '../../src/modes/expire.js'
import { runReview } from '../../src/modes/review.js'
import type { EventInfo } from '../../src/github/index.js'
import {
  CONFIG,
  ENG_ID,
  PUSH_EVENT,
  approval,
  fakeGitHub,
  harness,
  inputs,
  pullRequest,
  type FakeGitHub
} from './fakes.js'
import { ADD_ERIN, IN_SYNC } from './files.js'

const REFUSED = new GitHubApiError(
  'Could not comment on #42: GitHub answered 403 (Resource not accessible by integration).',
  403
)
const refuse = async (): Promise<never> => {
  throw REFUSED
}

const SCHEDULE: EventInfo = {
  kind: 'schedule',
  name: 'schedule',
  isFork: false,
  defaultBranch: 'main'
}

/** alice's Engineering grant ended on 1 March (NOW is 15 March); it came from request issue #5. */
const ALICE_EXPIRED = `version: 1
groups:
  Engineering:
    members:
      - email: alice@example.com
        expires: 2026-03-01
        reason: 'on-call cover (request #5)'
      - bob@example.com
  Ops:
    members: [olga@example.com]
roles:
  Administrator Read Only:
    members: [carol@example.com, dave@example.com]
`

function approvedMerge(): FakeGitHub {
  const github = fakeGitHub({
    filesAtRef: {
      'before-sha': { [CONFIG]: IN_SYNC },
      'merge-sha': { [CONFIG]: ADD_ERIN },
      'head-sha': { [CONFIG]: ADD_ERIN },
      main: { [CONFIG]: ADD_ERIN }
    },
    pullRequests: [pullRequest()],
    reviews: { 42: [approval('octocat')] }
  })
  return github
}

describe('apply: the result comment fails after Cloudflare was written', () => {
  test('the step succeeds with a warning; outputs and summary say what was applied', async () => {
    const github = approvedMerge()
    github.port.createComment = refuse
    const h = harness({ file: ADD_ERIN, event: PUSH_EVENT, github })

    const result = await runApply(h.deps)

    expect(result).toEqual({
      outputs: {
        'has-changes': 'true',
        additions: '1',
        removals: '0',
        'plan-file': '/tmp/runner/cloudflare-access-plan.json',
        'comment-id': '',
        applied: '1',
        failed: '0'
      },
      failure: undefined
    })
    expect(h.cloudflare.writes.map((write) => write.call)).toEqual(['putGroup'])
    expect(h.io.warnings).toEqual([
      'The result comment on pull request #42 was not written; the job summary and the outputs say what was applied. Could not comment on #42: GitHub answered 403 (Resource not accessible by integration).'
    ])
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('Applied 1 change')
    expect(h.io.summaries[0]).toContain('erin@example.com')
  })

  test('a failed Cloudflare write still fails the step when the comment fails too', async () => {
    const github = approvedMerge()
    github.port.createComment = refuse
    const h = harness({ file: ADD_ERIN, event: PUSH_EVENT, github })
    h.cloudflare.failWritesTo.add(ENG_ID)

    const result = await runApply(h.deps)

    expect(result.outputs).toMatchObject({ applied: '0', failed: '1', 'has-changes': 'true' })
    expect(result.failure).toBe('1 change failed; the others were applied. Re-running converges.')
    expect(h.io.warnings).toHaveLength(1)
  })
})

describe('expire: closing the request issue fails after the grant was revoked', () => {
  test('the revocation is reported in outputs and summary; the issue is a warning', async () => {
    const github = fakeGitHub({
      issues: [
        {
          number: 5,
          url: 'https://github.com/acme/access/issues/5',
          title: 'Access request',
          body: '',
          state: 'open',
          author: 'alice',
          labels: ['access-request']
        }
      ]
    })
    github.port.createComment = refuse
    const h = harness({
      file: ALICE_EXPIRED,
      event: SCHEDULE,
      inputs: inputs({ mode: 'expire' }),
      github
    })

    const result = await runExpire(h.deps)

    expect(result).toEqual({
      outputs: { 'has-changes': 'true', removals: '1', applied: '1', failed: '0' },
      failure: undefined
    })
    expect(h.cloudflare.writes).toEqual([
      {
        call: 'putGroup',
        id: ENG_ID,
        body: {
          name: 'Engineering',
          include: [{ email: { email: 'bob@example.com' } }],
          exclude: [],
          require: []
        }
      }
    ])
    expect(h.io.warnings).toEqual([
      'Request #5 was not closed; its grant ended and was revoked. Could not comment on #42: GitHub answered 403 (Resource not accessible by integration).'
    ])
    expect(github.data.issues[0]!.state).toBe('open')
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('Applied 1 change')
    expect(h.io.summaries[0]).toContain('alice@example.com')
  })
})

describe('review: the review issue fails after expired grants were revoked', () => {
  test('outputs and summary say what was revoked; the step fails naming both', async () => {
    const github = fakeGitHub()
    github.port.createIssue = refuse
    const h = harness({
      file: ALICE_EXPIRED,
      event: SCHEDULE,
      inputs: inputs({ 'revoke-expired': 'true' }),
      github
    })

    const result = await runReview(h.deps)

    expect(h.cloudflare.writes.map((write) => write.call)).toEqual(['putGroup'])
    expect(result.outputs).toMatchObject({
      'plan-file': '/tmp/runner/cloudflare-access-plan.json',
      applied: '1',
      failed: '0'
    })
    expect(result.failure).toBe(
      'Expired grants were revoked (1 applied, 0 failed; see the job summary), but the review issue was not written: Could not comment on #42: GitHub answered 403 (Resource not accessible by integration).'
    )
    expect(h.io.summaries).toHaveLength(1)
    expect(h.io.summaries[0]).toContain('Applied 1 change')
    expect(h.io.summaries[0]).toContain('alice@example.com')
  })

  test('without a revocation, a GitHub failure is the failure it always was', async () => {
    const github = fakeGitHub()
    github.port.createIssue = refuse
    const h = harness({ file: ALICE_EXPIRED, event: SCHEDULE, github })

    await expect(runReview(h.deps)).rejects.toBe(REFUSED)
    expect(h.cloudflare.writes).toEqual([])
  })
})
