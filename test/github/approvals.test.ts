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
  RepositoryPermission,
  Review,
  ReviewerFacts,
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

/** GitHub's answers about reviewers: write access unless listed, commits by the author, no public e-mails. */
function facts(
  options: {
    permissions?: Record<string, RepositoryPermission>
    commitLogins?: string[]
    emails?: Record<string, string>
  } = {},
  calls: string[] = []
): ReviewerFacts {
  return {
    permission: async (login) => {
      calls.push(`permission ${login}`)
      return options.permissions?.[login] ?? 'write'
    },
    commitLogins: async () => {
      calls.push('commitLogins')
      return options.commitLogins ?? ['alice']
    },
    publicEmail: async (login) => {
      calls.push(`publicEmail ${login}`)
      return options.emails?.[login]
    }
  }
}

function input(overrides: Partial<ApprovalInput>): ApprovalInput {
  return {
    pullRequest,
    reviews: [],
    requiredApprovals: 1,
    touchedTargets: [],
    teamMembership: noTeams,
    reviewers: facts(),
    grantees: { emails: new Set() },
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
      approvers: ['bob'],
      uncounted: []
    })
  })

  it('ignores the author approving their own pull request', async () => {
    const decision = await evaluateApprovals(input({ reviews: [review('Alice', 'APPROVED')] }))
    expect(decision.approved).toBe(false)
    expect(decision.reasons).toEqual([
      `${needsOne} Not counted: @Alice (opened this pull request).`
    ])
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
    expect(decision.reasons).toEqual([
      `${needsOne} Not counted: @github-actions[bot] (a bot or app account, not a person).`
    ])
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

describe('evaluateApprovals: who counts as an approver, as GitHub would count and stricter', () => {
  const engineers: ApprovalTarget = { kind: 'group', name: 'Engineers', owners: ['@acme/eng'] }

  async function decide(reviews: Review[], overrides: Partial<ApprovalInput> = {}) {
    return evaluateApprovals(input({ reviews, ...overrides }))
  }

  it('counts an approval by a person with write, maintain or admin access, asking once per reviewer', async () => {
    const calls: string[] = []
    const decision = await decide(
      [review('bob', 'APPROVED'), review('carol', 'APPROVED'), review('dave', 'APPROVED')],
      {
        requiredApprovals: 3,
        reviewers: facts({ permissions: { carol: 'maintain', dave: 'admin' } }, calls)
      }
    )
    expect(decision).toMatchObject({ approved: true, approvers: ['bob', 'carol', 'dave'] })
    expect(calls).toEqual([
      'permission bob',
      'commitLogins',
      'permission carol',
      'commitLogins',
      'permission dave',
      'commitLogins'
    ])
  })

  it('refuses an approval by a reviewer with read or triage access only, or none', async () => {
    const decision = await decide(
      [review('bob', 'APPROVED'), review('carol', 'APPROVED'), review('zed', 'APPROVED')],
      { reviewers: facts({ permissions: { bob: 'read', carol: 'triage', zed: 'none' } }) }
    )
    expect(decision.approved).toBe(false)
    expect(decision.uncounted).toEqual([
      { login: 'bob', reason: 'approved, but has read access only' },
      { login: 'carol', reason: 'approved, but has triage access only' },
      { login: 'zed', reason: 'approved, but has no access to the repository' }
    ])
    expect(decision.reasons).toEqual([
      `${needsOne} Not counted: @bob (approved, but has read access only), @carol (approved, but has triage access only), @zed (approved, but has no access to the repository).`
    ])
  })

  it('refuses a bot by its account type, whatever its login, without asking GitHub about it', async () => {
    const calls: string[] = []
    const decision = await decide(
      [{ ...review('release-helper', 'APPROVED'), userType: 'Bot' }, review('ci[bot]', 'APPROVED')],
      { reviewers: facts({}, calls) }
    )
    expect(decision.approvers).toEqual([])
    expect(decision.uncounted.map((entry) => entry.reason)).toEqual([
      'a bot or app account, not a person',
      'a bot or app account, not a person'
    ])
    expect(calls).toEqual([])
  })

  it('refuses the author, and anyone who authored or committed a commit of the pull request', async () => {
    const decision = await decide(
      [review('alice', 'APPROVED'), review('bob', 'APPROVED'), review('carol', 'APPROVED')],
      { reviewers: facts({ commitLogins: ['alice', 'Bob'] }) }
    )
    expect(decision.approvers).toEqual(['carol'])
    expect(decision.uncounted).toEqual([
      { login: 'alice', reason: 'opened this pull request' },
      { login: 'bob', reason: 'pushed a commit to this pull request' }
    ])
  })

  it("refuses a person the pull request grants access to, through people: or their GitHub account's e-mail", async () => {
    const calls: string[] = []
    const decision = await decide(
      [review('Bob', 'APPROVED'), review('carol', 'APPROVED'), review('dave', 'APPROVED')],
      {
        requiredApprovals: 1,
        reviewers: facts(
          { emails: { carol: 'Carol@Example.com', dave: 'dave@example.com' } },
          calls
        ),
        grantees: {
          emails: new Set(['bob@example.com', 'carol@example.com']),
          people: { bob: ['bob@example.com'] }
        }
      }
    )
    expect(decision.approvers).toEqual(['dave'])
    expect(decision.uncounted).toEqual([
      {
        login: 'Bob',
        reason: "gains access through this pull request (their e-mail in the access file's people:)"
      },
      {
        login: 'carol',
        reason: 'gains access through this pull request (the e-mail of their GitHub account)'
      }
    ])
    expect(calls.filter((call) => call.startsWith('publicEmail'))).toEqual([
      'publicEmail carol',
      'publicEmail dave'
    ])
  })

  it('refuses whoever asked for the access (a request issue), and asks for no e-mail when nothing is granted', async () => {
    const calls: string[] = []
    const decision = await decide([review('bob', 'APPROVED'), review('carol', 'APPROVED')], {
      reviewers: facts({}, calls),
      excludedApprovers: ['BOB']
    })
    expect(decision.approvers).toEqual(['carol'])
    expect(decision.uncounted).toEqual([{ login: 'bob', reason: 'asked for this access' }])
    expect(calls.some((call) => call.startsWith('publicEmail'))).toBe(false)
  })

  it('never counts a dismissed approval, and the latest review on the final head decides', async () => {
    const decision = await decide([
      review('bob', 'APPROVED'),
      review('bob', 'DISMISSED'),
      review('carol', 'APPROVED'),
      review('carol', 'APPROVED', OLD)
    ])
    expect(decision.approvers).toEqual([])
    expect(decision.uncounted).toEqual([
      { login: 'carol', reason: 'approved an earlier commit (def5678), not the final one' }
    ])
    expect(decision.reasons).toEqual([
      `${needsOne} Approved an earlier commit only: @carol (def5678).`
    ])
  })

  it('holds owners to the same rules: an owner-team member with read access does not approve', async () => {
    const decision = await decide([review('bob', 'APPROVED'), review('carol', 'APPROVED')], {
      touchedTargets: [engineers],
      teamMembership: async (_team, login) => login === 'bob',
      reviewers: facts({ permissions: { bob: 'read' } })
    })
    expect(decision.approved).toBe(false)
    expect(decision.approvers).toEqual(['carol'])
    expect(decision.ownerApprovals).toEqual([
      { target: { kind: 'group', name: 'Engineers' }, owners: ['@acme/eng'], approvedBy: [] }
    ])
    expect(decision.reasons).toEqual([
      'Changes to group "Engineers" need an approval on the final commit abc1234 from an owner (@acme/eng); none has approved.'
    ])
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
      teamMembership: noTeams,
      reviewers: facts(),
      grantees: { emails: new Set() }
    })
    expect(owners).toEqual({
      ownerApprovals: [
        {
          target: { kind: 'group', name: 'Engineers' },
          owners: ['bob', 'dave'],
          approvedBy: ['bob']
        }
      ],
      uncounted: [
        { login: 'dave', reason: 'approved an earlier commit (def5678), not the final one' }
      ]
    })
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
