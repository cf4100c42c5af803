import { describe, expect, it } from 'vitest'
import {
  evaluateApprovals,
  ownerApprovalsForPlan,
  teamMembershipFrom
} from '../../src/github/index.js'
import type {
  ApprovalInput,
  ApprovalTarget,
  PullRequestInfo,
  Review,
  TeamMembership
} from '../../src/github/index.js'

const HEAD = 'abc1234000000000000000000000000000000000'
const OLD = 'def5678000000000000000000000000000000000'

const pullRequest: PullRequestInfo = {
  number: 12,
  url: 'http://127.0.0.1/acme/access/pull/12',
  author: 'alice',
  baseRef: 'main',
  baseSha: '0'.repeat(40),
  headSha: HEAD,
  mergeCommitSha: '9'.repeat(40),
  merged: true,
  title: 'Add bob'
}

let nextId = 1
function review(user: string, state: string, commitId = HEAD): Review {
  const id = nextId++
  return {
    id,
    user,
    state,
    commitId,
    submittedAt: `2026-01-05T10:${String(id).padStart(2, '0')}:00Z`
  }
}

const noTeams: TeamMembership = async () => false

function input(overrides: Partial<ApprovalInput>): ApprovalInput {
  return {
    pullRequest,
    reviews: [],
    requiredApprovals: 1,
    touchedTargets: [],
    teamMembership: noTeams,
    ...overrides
  }
}

const needsOne =
  'Needs 1 approval on the final commit abc1234 from someone other than @alice; has 0.'

describe('evaluateApprovals', () => {
  it('approves with one approval of the head commit by someone else', async () => {
    const decision = await evaluateApprovals(input({ reviews: [review('bob', 'APPROVED')] }))
    expect(decision).toEqual({
      approved: true,
      reasons: [],
      ownerApprovals: [],
      approvers: ['bob']
    })
  })

  it('ignores the author approving their own pull request', async () => {
    const decision = await evaluateApprovals(input({ reviews: [review('Alice', 'APPROVED')] }))
    expect(decision.approved).toBe(false)
    expect(decision.reasons).toEqual([needsOne])
  })

  it('ignores an approval of an earlier commit and says so', async () => {
    const decision = await evaluateApprovals(input({ reviews: [review('bob', 'APPROVED', OLD)] }))
    expect(decision.reasons).toEqual([
      `${needsOne} Approved an earlier commit only: @bob (def5678).`
    ])
    expect(decision.approvers).toEqual([])
  })

  it('lets the latest review win: approved then changes requested blocks', async () => {
    const decision = await evaluateApprovals(
      input({
        reviews: [
          review('bob', 'APPROVED'),
          review('carol', 'APPROVED'),
          review('bob', 'CHANGES_REQUESTED')
        ]
      })
    )
    expect(decision.approved).toBe(false)
    expect(decision.approvers).toEqual(['carol'])
    expect(decision.reasons).toEqual([
      '@bob requested changes and has not approved since; their review must be approved or dismissed.'
    ])
  })

  it('lets a later approval clear the reviewer’s own changes request', async () => {
    const decision = await evaluateApprovals(
      input({ reviews: [review('bob', 'CHANGES_REQUESTED', OLD), review('bob', 'APPROVED')] })
    )
    expect(decision.approved).toBe(true)
  })

  it('keeps an approval through later COMMENTED reviews', async () => {
    const decision = await evaluateApprovals(
      input({ reviews: [review('bob', 'APPROVED'), review('bob', 'COMMENTED')] })
    )
    expect(decision.approvers).toEqual(['bob'])
  })

  it('drops a dismissed review', async () => {
    const decision = await evaluateApprovals(
      input({ reviews: [review('bob', 'APPROVED'), review('bob', 'DISMISSED')] })
    )
    expect(decision.reasons).toEqual([needsOne])
  })

  it('does not count bot approvals', async () => {
    const decision = await evaluateApprovals(
      input({ reviews: [review('github-actions[bot]', 'APPROVED')] })
    )
    expect(decision.reasons).toEqual([needsOne])
  })

  it('counts distinct approvers against a requirement of 2', async () => {
    const decision = await evaluateApprovals(
      input({
        requiredApprovals: 2,
        reviews: [review('bob', 'APPROVED'), review('BOB', 'APPROVED')]
      })
    )
    expect(decision.reasons).toEqual([
      'Needs 2 approvals on the final commit abc1234 from someone other than @alice; has 1.'
    ])
    const two = await evaluateApprovals(
      input({
        requiredApprovals: 2,
        reviews: [review('bob', 'APPROVED'), review('carol', 'APPROVED')]
      })
    )
    expect(two.approved).toBe(true)
  })

  it('requires an owner approval for each touched target with owners', async () => {
    const targets: ApprovalTarget[] = [
      { kind: 'group', name: 'Engineers', owners: ['Bob'] },
      { kind: 'role', name: 'Billing', owners: ['dave'] },
      { kind: 'group', name: 'Contractors', owners: [] }
    ]
    const decision = await evaluateApprovals(
      input({ touchedTargets: targets, reviews: [review('bob', 'APPROVED')] })
    )
    expect(decision.approved).toBe(false)
    expect(decision.ownerApprovals).toEqual([
      { target: { kind: 'group', name: 'Engineers' }, owners: ['Bob'], approvedBy: ['bob'] },
      { target: { kind: 'role', name: 'Billing' }, owners: ['dave'], approvedBy: [] }
    ])
    expect(decision.reasons).toEqual([
      'Changes to role "Billing" need an approval on the final commit abc1234 from an owner (@dave); none has approved.'
    ])
  })

  it('accepts an approval from a member of an owner team', async () => {
    const asked: string[] = []
    const teams: TeamMembership = async (team, login) => {
      asked.push(`${team} ${login}`)
      return team === '@acme/security' && login === 'erin'
    }
    const decision = await evaluateApprovals(
      input({
        touchedTargets: [{ kind: 'group', name: 'Admins', owners: ['@acme/security'] }],
        reviews: [review('bob', 'APPROVED'), review('erin', 'APPROVED')],
        teamMembership: teams
      })
    )
    expect(decision.approved).toBe(true)
    expect(decision.ownerApprovals[0]?.approvedBy).toEqual(['erin'])
    expect(asked).toEqual(['@acme/security bob', '@acme/security erin'])
  })

  it('fails closed and names the permission when team membership cannot be read', async () => {
    const decision = await evaluateApprovals(
      input({
        touchedTargets: [{ kind: 'group', name: 'Admins', owners: ['@acme/security'] }],
        reviews: [review('erin', 'APPROVED')],
        teamMembership: async () => 'unknown'
      })
    )
    expect(decision.approved).toBe(false)
    expect(decision.reasons).toEqual([
      'Changes to group "Admins" need an approval on the final commit abc1234 from an owner (@acme/security); none has approved. The membership of @acme/security could not be read: the token needs the organization permission "members: read" (a GitHub App or fine-grained token; the workflow GITHUB_TOKEN cannot read organization teams).'
    ])
  })

  it('does not let an owner’s stale approval satisfy ownership', async () => {
    const decision = await evaluateApprovals(
      input({
        touchedTargets: [{ kind: 'group', name: 'Engineers', owners: ['bob'] }],
        reviews: [review('bob', 'APPROVED', OLD), review('carol', 'APPROVED')]
      })
    )
    expect(decision.ownerApprovals[0]?.approvedBy).toEqual([])
    expect(decision.approved).toBe(false)
  })
})

describe('ownerApprovalsForPlan', () => {
  it('shows which owners approved the current head so far', async () => {
    const owners = await ownerApprovalsForPlan({
      pullRequest: { ...pullRequest, merged: false, mergeCommitSha: null },
      reviews: [review('bob', 'APPROVED'), review('dave', 'APPROVED', OLD)],
      touchedTargets: [
        { kind: 'group', name: 'Engineers', owners: ['bob', 'dave'] },
        { kind: 'group', name: 'Engineers', owners: ['bob', 'dave'] }
      ],
      teamMembership: noTeams
    })
    expect(owners).toEqual([
      { target: { kind: 'group', name: 'Engineers' }, owners: ['bob', 'dave'], approvedBy: ['bob'] }
    ])
  })
})

describe('teamMembershipFrom', () => {
  it('splits @org/team for the port', async () => {
    const calls: string[] = []
    const membership = teamMembershipFrom({
      isTeamMember: async (org, slug, login) => {
        calls.push(`${org}|${slug}|${login}`)
        return true
      }
    })
    expect(await membership('@acme/security', 'erin')).toBe(true)
    expect(await membership('not-a-team', 'erin')).toBe('unknown')
    expect(calls).toEqual(['acme|security|erin'])
  })
})
