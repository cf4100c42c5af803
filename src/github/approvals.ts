/** Whether a merged pull request was approved the way the access file demands. Pure: I/O comes in as a callback. */
import type { OwnerApproval } from '../model/index.js'
import { isBotLogin, normalizeLogin, parseTeamOwner, sameLogin } from './logins.js'
import type { GitHubPort, PullRequestInfo, Review } from './repo.js'

/** Answers whether `login` is an active member of `team` (written `@org/team`); 'unknown' when it cannot be read. */
export type TeamMembership = (team: string, login: string) => Promise<boolean | 'unknown'>

export interface ApprovalTarget {
  kind: 'group' | 'role'
  name: string
  /** From the base branch's file. Logins (`octocat`) or teams (`@org/team`). */
  owners: string[]
}

export interface ApprovalInput {
  pullRequest: PullRequestInfo
  /** Chronological, as GitHub lists them. */
  reviews: Review[]
  requiredApprovals: number
  touchedTargets: ApprovalTarget[]
  teamMembership: TeamMembership
  /** Logins whose approval cannot count besides the author's, e.g. whoever asked for the access in a request issue. */
  excludedApprovers?: string[]
}

export interface ApprovalDecision {
  approved: boolean
  /** Why it is not approved, one sentence each; empty when approved. */
  reasons: string[]
  ownerApprovals: OwnerApproval[]
  /** Everyone whose latest review approves the final commit, other than the author. */
  approvers: string[]
}

/** The permission owner-team checks need, named in every message about an unreadable team. */
export const TEAM_PERMISSION_HINT =
  'the token needs the organization permission "members: read" (a GitHub App or fine-grained token; the workflow GITHUB_TOKEN cannot read organization teams)'

interface ReviewerState {
  login: string
  state: 'APPROVED' | 'CHANGES_REQUESTED'
  commitId: string
}

/**
 * Each reviewer's standing review: the latest APPROVED or CHANGES_REQUESTED. A COMMENTED review leaves it as it was;
 * DISMISSED (GitHub rewrites a dismissed review's state) clears it; PENDING reviews are drafts and do not count.
 */
export function latestReviewStates(reviews: Review[]): ReviewerState[] {
  const byReviewer = new Map<string, ReviewerState>()
  for (const review of chronological(reviews)) {
    const key = normalizeLogin(review.user)
    const state = review.state.toUpperCase()
    if (state === 'APPROVED' || state === 'CHANGES_REQUESTED') {
      byReviewer.set(key, { login: review.user, state, commitId: review.commitId })
    } else if (state === 'DISMISSED') {
      byReviewer.delete(key)
    }
  }
  return [...byReviewer.values()]
}

function chronological(reviews: Review[]): Review[] {
  // GitHub lists reviews oldest first; sorting again guards callers that merged several lists.
  return reviews
    .map((review, index) => ({ review, index }))
    .sort((a, b) => {
      const at = a.review.submittedAt ?? ''
      const bt = b.review.submittedAt ?? ''
      if (at && bt && at !== bt) return at < bt ? -1 : 1
      return a.index - b.index
    })
    .map(({ review }) => review)
}

export async function evaluateApprovals(input: ApprovalInput): Promise<ApprovalDecision> {
  const { pullRequest, requiredApprovals } = input
  const head = pullRequest.headSha
  const short = head.slice(0, 7)
  const states = latestReviewStates(input.reviews)
  const reasons: string[] = []

  const excluded = input.excludedApprovers ?? []
  const approvers = validApprovers(states, pullRequest).filter(
    (login) => !excluded.some((other) => sameLogin(other, login))
  )
  const excludedNote = excluded
    .filter((login) =>
      states.some((state) => state.state === 'APPROVED' && sameLogin(state.login, login))
    )
    .map((login) => ` @${login} asked for this access, so their approval does not count.`)
    .join('')
  if (approvers.length < requiredApprovals) {
    const needed = `${requiredApprovals} approval${requiredApprovals === 1 ? '' : 's'}`
    reasons.push(
      `Needs ${needed} on the final commit ${short} from someone other than @${pullRequest.author}; has ${approvers.length}.` +
        staleNote(states, pullRequest) +
        excludedNote
    )
  }

  for (const state of states) {
    if (state.state === 'CHANGES_REQUESTED') {
      reasons.push(
        `@${state.login} requested changes and has not approved since; their review must be approved or dismissed.`
      )
    }
  }

  const owners = await collectOwnerApprovals(input.touchedTargets, approvers, input.teamMembership)
  for (const owner of owners) {
    if (owner.approval.approvedBy.length > 0) continue
    const { target, owners: list } = owner.approval
    let reason =
      `Changes to ${target.kind} "${target.name}" need an approval on the final commit ${short} from an owner ` +
      `(${list.map(displayOwner).join(', ')}); none has approved.`
    if (owner.unreadableTeams.length > 0) {
      reason += ` The membership of ${owner.unreadableTeams.map(displayOwner).join(', ')} could not be read: ${TEAM_PERMISSION_HINT}.`
    }
    reasons.push(reason)
  }

  return {
    approved: reasons.length === 0,
    reasons,
    ownerApprovals: owners.map((owner) => owner.approval),
    approvers
  }
}

/**
 * Which owners approved so far, for the plan comment on an open pull request. Same rules as evaluateApprovals:
 * only approvals of the current head commit by someone other than the author count.
 */
export async function ownerApprovalsForPlan(input: {
  pullRequest: PullRequestInfo
  reviews: Review[]
  touchedTargets: ApprovalTarget[]
  teamMembership: TeamMembership
}): Promise<OwnerApproval[]> {
  const approvers = validApprovers(latestReviewStates(input.reviews), input.pullRequest)
  const owners = await collectOwnerApprovals(input.touchedTargets, approvers, input.teamMembership)
  return owners.map((owner) => owner.approval)
}

/** Adapts the port's isTeamMember to the `@org/team` owner strings approvals work with. */
export function teamMembershipFrom(github: Pick<GitHubPort, 'isTeamMember'>): TeamMembership {
  return async (team, login) => {
    const parsed = parseTeamOwner(team)
    if (!parsed) return 'unknown'
    return github.isTeamMember(parsed.org, parsed.slug, login)
  }
}

/**
 * Approvals that count: standing APPROVED on the head commit, not by the author. Bot approvals never count: an
 * approval is a person's decision, and a workflow allowed to approve pull requests must not unlock access changes.
 */
function validApprovers(states: ReviewerState[], pullRequest: PullRequestInfo): string[] {
  return states
    .filter(
      (state) =>
        state.state === 'APPROVED' &&
        state.commitId === pullRequest.headSha &&
        !sameLogin(state.login, pullRequest.author) &&
        !isBotLogin(state.login)
    )
    .map((state) => state.login)
}

function staleNote(states: ReviewerState[], pullRequest: PullRequestInfo): string {
  const stale = states.filter(
    (state) =>
      state.state === 'APPROVED' &&
      state.commitId !== pullRequest.headSha &&
      !sameLogin(state.login, pullRequest.author) &&
      !isBotLogin(state.login)
  )
  if (stale.length === 0) return ''
  return ` Approved an earlier commit only: ${stale.map((state) => `@${state.login} (${state.commitId.slice(0, 7)})`).join(', ')}.`
}

interface CollectedOwnerApproval {
  approval: OwnerApproval
  /** Owner teams whose membership could not be read for some approver. */
  unreadableTeams: string[]
}

async function collectOwnerApprovals(
  targets: ApprovalTarget[],
  approvers: string[],
  teamMembership: TeamMembership
): Promise<CollectedOwnerApproval[]> {
  const seen = new Set<string>()
  const collected: CollectedOwnerApproval[] = []
  for (const target of targets) {
    const key = `${target.kind}\u0000${target.name}`
    if (target.owners.length === 0 || seen.has(key)) continue
    seen.add(key)
    const approvedBy: string[] = []
    const unreadable = new Set<string>()
    for (const approver of approvers) {
      if (await ownsTarget(target.owners, approver, teamMembership, unreadable)) {
        approvedBy.push(approver)
      }
    }
    collected.push({
      approval: {
        target: { kind: target.kind, name: target.name },
        owners: [...target.owners],
        approvedBy
      },
      unreadableTeams: [...unreadable]
    })
  }
  return collected
}

async function ownsTarget(
  owners: string[],
  login: string,
  teamMembership: TeamMembership,
  unreadable: Set<string>
): Promise<boolean> {
  const teams: string[] = []
  for (const owner of owners) {
    if (parseTeamOwner(owner)) teams.push(owner)
    else if (sameLogin(owner, login)) return true
  }
  for (const team of teams) {
    const member = await teamMembership(team, login)
    if (member === true) return true
    if (member === 'unknown') unreadable.add(team)
  }
  return false
}

function displayOwner(owner: string): string {
  return owner.startsWith('@') ? owner : `@${owner}`
}
