/**
 * When may apply write? One pure function over the evidence apply gathered says allowed or refused, and why
 * (actions/checkout's assertSafePrCheckout is the model). It lives with the modes, not the engine: it weighs the event,
 * the inputs and GitHub's answers, which the engine never sees.
 *
 * The checks run in one order, here. While a check needs evidence not yet read, the answer is `gather` with the piece
 * it needs, and apply reads just that and asks again: a pull request event is refused before anything is read, a direct
 * push after one lookup, and nothing is written to Cloudflare before the answer is `allowed`.
 */
import type { ApprovalDecision, EventInfo, PullRequestInfo, PushedFiles } from '../github/index.js'
import type { DesiredState, Plan } from '../model/index.js'
import { describeBlockers } from './common.js'
import { pushWorkflowOverrideRefusal, workflowOverrideRefusal } from './overrides.js'

/** The pieces of evidence, in the order the checks ask for them. */
export type ApplyEvidence =
  | 'file'
  | 'pullRequest'
  | 'pullRequestFiles'
  | 'pushedFiles'
  | 'baseFile'
  | 'workspace'
  | 'approvedHead'
  | 'plan'
  | 'approval'

export interface ApplyFacts {
  event: Pick<EventInfo, 'kind' | 'name' | 'ref' | 'sha' | 'before' | 'forced' | 'defaultBranch'>
  allowUnapproved: boolean
  /** The overriding inputs set on this run (allow-unapproved, allow-mass-removal, allow-lockout). */
  overrides: string[]
  hasGitHubToken: boolean
  /** The checked-out access file(s): valid (with what they ask for) or not. */
  file?: { valid: true; desired: DesiredState } | { valid: false }
  /** push: the merged pull request whose merge commit was pushed; null when there is none (a direct push). */
  pullRequest?: PullRequestInfo | null
  /** The paths the merged pull request changes; read only when an override is set. */
  pullRequestFiles?: string[]
  /**
   * A push accepted without an approved pull request (allow-unapproved): the paths it changed, before...after; null when
   * there is nothing to compare with (a new branch).
   */
  pushedFiles?: PushedFiles | null
  /** The file before the merge, where owners come from: `ref` is the commit read; no desired state when absent. */
  baseFile?: { ref: string; valid: boolean; desired?: DesiredState }
  /** Whether the checked-out file is the pushed commit's (push only) and still the default branch's. */
  workspace?: { isPushedCommit?: boolean; isBranchTip: boolean }
  /** Whether the pushed (merged) file equals the file at the pull request's head commit, the one approved. */
  approvedHead?: { sameFile: boolean }
  /** The plan against the live account, made from the checked-out file. Read-only: nothing is written before `allowed`. */
  plan?: Plan
  /** The pull request's approvals, counted for every target with a planned change (see approvalScope). */
  approval?: ApprovalDecision
}

/** An owner approval the changes need and do not have. */
export interface MissingApproval {
  target: { kind: 'group' | 'role'; name: string }
  /** Who would count: logins and `@org/team`s, from the file before the merge. */
  owners: string[]
}

export type ApplyDecision =
  | { verdict: 'gather'; evidence: ApplyEvidence }
  | {
      verdict: 'refused'
      /** For people: the first line says what happened, the others why (shown as a list). */
      reason: string
      missing: MissingApproval[]
      /** The merged pull request, when known and the refusal concerns it: the refusal is reported there too. */
      pullRequest?: PullRequestInfo
      warnings: string[]
    }
  | {
      verdict: 'allowed'
      /** The merged pull request whose approval counted; absent for overridden pushes and dispatches, and expiries. */
      pullRequest?: PullRequestInfo
      approvers: string[]
      warnings: string[]
    }

const PULL_REQUEST_EVENT =
  'apply never runs for pull request events: it would change Cloudflare before anyone approved. Use mode: plan on pull requests and mode: apply on push to the default branch.'

export function decideApply(facts: ApplyFacts): ApplyDecision {
  const { event, allowUnapproved } = facts
  const warnings: string[] = []
  let pullRequest: PullRequestInfo | undefined
  let approvers: string[] = []
  let approvalsApply = true
  const gather = (evidence: ApplyEvidence): ApplyDecision => ({ verdict: 'gather', evidence })
  const refuse = (
    reason: string,
    missing: MissingApproval[] = [],
    reportOnPullRequest = true
  ): ApplyDecision => ({
    verdict: 'refused',
    reason,
    missing,
    ...(pullRequest && reportOnPullRequest ? { pullRequest } : {}),
    warnings
  })
  const branch = event.defaultBranch ?? ''
  // A push let through by allow-unapproved has no pull request whose files could be read: what it changed is read
  // instead, and the workflow-file rule is the same (never overridable).
  const pushRefusal = (): ApplyDecision | undefined => {
    if (facts.pushedFiles === undefined) return gather('pushedFiles')
    const refusal = pushWorkflowOverrideRefusal(
      event.sha ?? 'unknown',
      facts.pushedFiles ?? undefined,
      facts.overrides
    )
    return refusal ? refuse(`${refusal} Nothing was changed.`) : undefined
  }

  if (event.kind === 'pull_request' || event.kind === 'pull_request_target') {
    return refuse(PULL_REQUEST_EVENT)
  }
  if (event.kind === 'merge_group') {
    return refuse(
      'apply never runs for merge_group events: the queued merge is not on the default branch yet and may still be dropped from the queue. Use mode: plan for merge_group; apply runs on the push once the merge lands.'
    )
  }
  if (!event.defaultBranch || event.ref !== `refs/heads/${event.defaultBranch}`) {
    return refuse(
      `apply only runs on the default branch (${event.defaultBranch ?? 'unknown'}); this run is on ${event.ref ?? 'an unknown ref'}. Nothing was changed.`
    )
  }
  if (event.kind !== 'push' && event.kind !== 'workflow_dispatch') {
    return refuse(
      `apply runs on push or workflow_dispatch, not ${event.name}. Nothing was changed.`
    )
  }

  if (!facts.file) return gather('file')
  if (!facts.file.valid) {
    return refuse('The access file on the default branch is invalid; nothing was changed.')
  }

  if (!facts.hasGitHubToken) {
    return refuse(
      event.kind === 'push'
        ? 'apply needs the github-token input to prove the change was approved. Nothing was changed.'
        : `apply needs the github-token input to check that the checked-out access file is the one on ${branch} now. Nothing was changed.`
    )
  }
  // A dispatch is judged like the push that landed the default branch's head commit (GITHUB_SHA): the pull request
  // merged as that commit must carry the approvals; with none, only expired grants may be removed (checked below).
  let unapprovedHead = false
  if (event.kind === 'workflow_dispatch' && !event.sha) {
    return refuse(
      `This workflow_dispatch run does not say which commit of ${branch} it runs on (GITHUB_SHA), so its approval cannot be checked and nothing was changed.`
    )
  }
  if (event.kind === 'push' && event.forced) {
    // A force push can put back an old approved merge commit: its approvals covered that pull request's change,
    // not this push's, which undoes everything merged since.
    if (!allowUnapproved) {
      return refuse(
        `Commit ${event.sha} was force-pushed to ${branch}, so the approvals of the pull request it came from do not cover what this push changes; nothing was changed. Check the file on ${branch}, then run apply with workflow_dispatch, or set allow-unapproved: true to accept unapproved pushes.`
      )
    }
    const refusal = pushRefusal()
    if (refusal) return refusal
    warnings.push(
      `Commit ${event.sha} was force-pushed to ${branch}; applying anyway because allow-unapproved is true.`
    )
  } else {
    if (facts.pullRequest === undefined) return gather('pullRequest')
    if (facts.pullRequest === null) {
      if (event.kind === 'workflow_dispatch') unapprovedHead = true
      else if (!allowUnapproved) {
        return refuse(
          `Commit ${event.sha} was pushed directly, not merged from an approved pull request, so nothing was changed. Open a pull request, or set allow-unapproved: true to accept direct pushes.`
        )
      } else {
        const refusal = pushRefusal()
        if (refusal) return refusal
        warnings.push(
          `Commit ${event.sha} did not come from a merged pull request; applying anyway because allow-unapproved is true.`
        )
      }
    } else {
      pullRequest = facts.pullRequest
      if (facts.overrides.length > 0) {
        // Never overridable: the override itself is what such a pull request could have set.
        if (!facts.pullRequestFiles) return gather('pullRequestFiles')
        const refusal = workflowOverrideRefusal(
          pullRequest.number,
          facts.pullRequestFiles,
          facts.overrides
        )
        if (refusal) return refuse(`${refusal} Nothing was changed.`)
      }
      if (!facts.baseFile) return gather('baseFile')
      if (!facts.baseFile.valid) {
        // Owners come from the file before the merge; if it cannot be read, nobody can be shown to have approved.
        const what = `The access file before this merge (${facts.baseFile.ref.slice(0, 7)}) is invalid, so the owners who must approve cannot be read`
        if (event.kind === 'push' || !allowUnapproved) {
          return refuse(
            `${what} and nothing was changed. Once an administrator has checked the merged file, run apply with workflow_dispatch and allow-unapproved: true on ${branch}.`
          )
        }
        // An administrator's dispatch with allow-unapproved is the way out the push refusal names.
        warnings.push(`${what}; applying anyway because allow-unapproved is true.`)
        approvalsApply = false
      }
    }
  }

  // Approval was proven for the pushed commit, but the file read is the checked-out one: it must be that commit's,
  // and it must still be the default branch's. A re-run of an older run (or runs finishing out of order) would
  // otherwise apply an old file and undo what later approved pull requests changed.
  if (!facts.workspace) return gather('workspace')
  if (facts.workspace.isPushedCommit === false) {
    const commit =
      event.kind === 'push' ? 'the pushed commit' : 'the commit the run was dispatched on'
    return refuse(
      `The checked-out access file is not the one in commit ${event.sha}, the commit whose approval was checked, so nothing was changed. Check out ${commit} (actions/checkout without a ref input does).`
    )
  }
  if (!facts.workspace.isBranchTip) {
    const since =
      event.kind === 'push' && event.sha ? `commit ${event.sha}` : 'the checked-out commit'
    // Not reported on the pull request: nothing is wrong with it, and the newer run applies it.
    return refuse(
      `The access file on ${branch} has changed since ${since}, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on ${branch} applies the current file; re-run that one, or run apply with workflow_dispatch on ${branch}.`,
      [],
      false
    )
  }

  if (pullRequest) {
    // The approvals were given to the head commit; the merge commit may hold another file (a conflict resolved in
    // the merge, a base that moved under a squash): what nobody saw was not approved.
    if (!facts.approvedHead) return gather('approvedHead')
    if (!facts.approvedHead.sameFile) {
      const what = `The access file merged in commit ${event.sha} is not the file of the approved head commit ${pullRequest.headSha.slice(0, 7)} of pull request #${pullRequest.number} (a merge conflict resolved in the merge, or a base branch that moved since), so what was merged was not approved`
      if (!allowUnapproved) {
        return refuse(
          `${what}, and nothing was changed. Once an administrator has checked the file on ${branch}, run apply with workflow_dispatch and allow-unapproved: true; requiring branches to be up to date before merging avoids this.`
        )
      }
      warnings.push(`${what}; applying anyway because allow-unapproved is true.`)
      // Nobody approved this file: the pull request's approvals are not weighed, nor named as if they covered it.
      approvalsApply = false
    }
  }

  if (!facts.plan) return gather('plan')
  if (unapprovedHead) {
    // Nobody approved the head commit; an expired grant's end date was approved with the grant, so its removal may go.
    const unapproved = facts.plan.changes.filter((change) => change.cause !== 'expired').length
    if (unapproved > 0) {
      const what = `Commit ${event.sha}, the head of ${branch}, was not merged from a pull request, so nobody can be shown to have approved the ${unapproved} planned change${unapproved === 1 ? '' : 's'} that ${unapproved === 1 ? 'is' : 'are'} not the removal of an expired grant`
      if (!allowUnapproved) {
        return refuse(
          `${what}; nothing was changed. Merge the change through an approved pull request (apply runs on its push), or set allow-unapproved: true to accept unapproved content.`
        )
      }
      warnings.push(`${what}; applying anyway because allow-unapproved is true.`)
    }
  }
  if (pullRequest && approvalsApply) {
    // Approval covers every planned change, not only what the pull request changed in the file.
    if (!facts.approval) return gather('approval')
    if (facts.approval.approved) approvers = facts.approval.approvers
    else {
      const { reasons } = facts.approval
      if (!allowUnapproved) {
        return refuse(
          `Pull request #${pullRequest.number} was not approved as required, so nothing was changed:\n- ${reasons.join('\n- ')}`,
          missingApprovals(facts.approval)
        )
      }
      warnings.push(
        `Pull request #${pullRequest.number} is not approved (${reasons.join(' ')}); applying anyway because allow-unapproved is true.`
      )
    }
  }
  const blockers = describeBlockers(facts.plan)
  if (blockers) return refuse(`Nothing was changed; the plan is blocked:\n${blockers}`)

  return { verdict: 'allowed', ...(pullRequest ? { pullRequest } : {}), approvers, warnings }
}

function missingApprovals(approval: ApprovalDecision): MissingApproval[] {
  return approval.ownerApprovals
    .filter((owner) => owner.approvedBy.length === 0)
    .map((owner) => ({ target: owner.target, owners: owner.owners }))
}
