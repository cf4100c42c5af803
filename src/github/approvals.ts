/** Whether a merged pull request was approved the way the access file demands. Pure: I/O comes in as a callback. */
import type { OwnerApproval } from '../model/index.js'
import { isBotLogin, normalizeLogin, parseTeamOwner, sameLogin } from './logins.js'
import type { GitHubPort, PullRequestInfo, Review } from './repo.js'
import type { RepositoryPermission } from './reviewers.js'

/** Answers whether `login` is an active member of `team` (written `@org/team`); 'unknown' when it cannot be read. */
export type TeamMembership = (team: string, login: string) => Promise<boolean | 'unknown'>

export interface ApprovalTarget {
  kind: 'group' | 'role'
  name: string
  /** From the base branch's file. Logins (`octocat`) or teams (`@org/team`). */
  owners: string[]
  /** Why the target needs approval when the pull request does not change it, for the refusal. */
  note?: string
}

/** What the rules need to know about the people who approved; each read at most once per login. */
export interface ReviewerFacts {
  permission(login: string): Promise<RepositoryPermission>
  /** Logins that authored or committed any commit of the pull request. */
  commitLogins(): Promise<string[]>
  /** The account's public e-mail, when GitHub shows one. */
  publicEmail(login: string): Promise<string | undefined>
}

/** Whose access the pull request grants: their approval of it never counts. */
export interface Grantees {
  /** E-mail keys (trimmed, lower case) the pull request gives a grant, or a longer one. */
  emails: ReadonlySet<string>
  /** The access file's people: login (lower case) -> e-mail keys. */
  people?: Record<string, string[]>
}

/** An approval of the pull request that does not count, and why, in words for the plan comment. */
export interface UncountedApproval {
  login: string
  reason: string
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
  reviewers: ReviewerFacts
  grantees: Grantees
}

export interface ApprovalDecision {
  approved: boolean
  /** Why it is not approved, one sentence each; empty when approved. */
  reasons: string[]
  ownerApprovals: OwnerApproval[]
  /** Everyone whose latest review approves the final commit and who may approve (see countedApprovals). */
  approvers: string[]
  /** Standing approvals that do not count, with the reason. */
  uncounted: UncountedApproval[]
}

/** The permission owner-team checks need, named in every message about an unreadable team. */
export const TEAM_PERMISSION_HINT =
  'the token needs the organization permission "members: read" (a GitHub App or fine-grained token; the workflow GITHUB_TOKEN cannot read organization teams)'

interface ReviewerState {
  login: string
  userType?: string
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
      byReviewer.set(key, {
        login: review.user,
        ...(review.userType ? { userType: review.userType } : {}),
        state,
        commitId: review.commitId
      })
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

  const { approvers, uncounted } = await countedApprovals(states, input)
  if (approvers.length < requiredApprovals) {
    const needed = `${requiredApprovals} approval${requiredApprovals === 1 ? '' : 's'}`
    const notCounting = uncounted.filter((entry) => !entry.reason.startsWith(STALE))
    reasons.push(
      `Needs ${needed} on the final commit ${short} from someone other than @${pullRequest.author}; has ${approvers.length}.` +
        staleNote(states, pullRequest) +
        (notCounting.length > 0
          ? ` Not counted: ${notCounting.map((entry) => `@${entry.login} (${entry.reason})`).join(', ')}.`
          : '')
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
      `Changes to ${target.kind} "${target.name}"${owner.note ? ` (${owner.note})` : ''} need an approval on the final commit ${short} from an owner ` +
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
    approvers,
    uncounted
  }
}

/**
 * Which owners approved so far, for the plan comment on an open pull request. Same rules as evaluateApprovals:
 * only approvals of the current head commit by someone other than the author count.
 */
export async function ownerApprovalsForPlan(
  input: Omit<ApprovalInput, 'requiredApprovals'>
): Promise<{ ownerApprovals: OwnerApproval[]; uncounted: UncountedApproval[] }> {
  const { approvers, uncounted } = await countedApprovals(latestReviewStates(input.reviews), input)
  const owners = await collectOwnerApprovals(input.touchedTargets, approvers, input.teamMembership)
  return { ownerApprovals: owners.map((owner) => owner.approval), uncounted }
}

/** The port's reads behind ReviewerFacts, for one pull request; the commit list is read at most once. */
export function reviewerFactsFrom(
  github: Pick<GitHubPort, 'repositoryPermission' | 'pullRequestCommitLogins' | 'publicEmail'>,
  pullNumber: number
): ReviewerFacts {
  let commits: Promise<string[]> | undefined
  return {
    permission: (login) => github.repositoryPermission(login),
    commitLogins: () => (commits ??= github.pullRequestCommitLogins(pullNumber)),
    publicEmail: (login) => github.publicEmail(login)
  }
}

/** Adapts the port's isTeamMember to the `@org/team` owner strings approvals work with. */
export function teamMembershipFrom(github: Pick<GitHubPort, 'isTeamMember'>): TeamMembership {
  return async (team, login) => {
    const parsed = parseTeamOwner(team)
    if (!parsed) return 'unknown'
    return github.isTeamMember(parsed.org, parsed.slug, login)
  }
}

const STALE = 'approved an earlier commit'
const MAY_APPROVE: readonly RepositoryPermission[] = ['admin', 'maintain', 'write']

/**
 * Approvals that count, as GitHub's required reviews would count them and stricter: a standing APPROVED on the head
 * commit by a person (not a bot: a workflow allowed to approve pull requests must not unlock access changes) with
 * write access, who neither opened the pull request, nor authored or committed any of its commits, nor gains access
 * through it. The cheap checks come first, so GitHub is asked only about approvals that could still count.
 */
async function countedApprovals(
  states: ReviewerState[],
  input: Pick<ApprovalInput, 'pullRequest' | 'reviewers' | 'grantees' | 'excludedApprovers'>
): Promise<{ approvers: string[]; uncounted: UncountedApproval[] }> {
  const approvers: string[] = []
  const uncounted: UncountedApproval[] = []
  for (const state of states) {
    if (state.state !== 'APPROVED') continue
    const reason = await whyNotCounted(state, input)
    if (reason) uncounted.push({ login: state.login, reason })
    else approvers.push(state.login)
  }
  return { approvers, uncounted }
}

async function whyNotCounted(
  state: ReviewerState,
  {
    pullRequest,
    reviewers,
    grantees,
    excludedApprovers
  }: Pick<ApprovalInput, 'pullRequest' | 'reviewers' | 'grantees' | 'excludedApprovers'>
): Promise<string | undefined> {
  const { login } = state
  if (isBotLogin(login) || (state.userType !== undefined && state.userType !== 'User')) {
    return 'a bot or app account, not a person'
  }
  if (sameLogin(login, pullRequest.author)) return 'opened this pull request'
  if (excludedApprovers?.some((other) => sameLogin(other, login))) return 'asked for this access'
  if (state.commitId !== pullRequest.headSha) {
    return `${STALE} (${state.commitId.slice(0, 7)}), not the final one`
  }
  const permission = await reviewers.permission(login)
  if (!MAY_APPROVE.includes(permission)) {
    return permission === 'none'
      ? 'approved, but has no access to the repository'
      : `approved, but has ${permission} access only`
  }
  if ((await reviewers.commitLogins()).some((committer) => sameLogin(committer, login))) {
    return 'pushed a commit to this pull request'
  }
  return granteeReason(login, grantees, reviewers)
}

async function granteeReason(
  login: string,
  grantees: Grantees,
  reviewers: ReviewerFacts
): Promise<string | undefined> {
  if (grantees.emails.size === 0) return undefined
  const mapped = grantees.people?.[normalizeLogin(login)] ?? []
  if (mapped.some((email) => grantees.emails.has(email))) {
    return "gains access through this pull request (their e-mail in the access file's people:)"
  }
  const email = await reviewers.publicEmail(login)
  if (email && grantees.emails.has(email.trim().toLowerCase())) {
    return 'gains access through this pull request (the e-mail of their GitHub account)'
  }
  return undefined
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
  note?: string
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
      ...(target.note ? { note: target.note } : {}),
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
