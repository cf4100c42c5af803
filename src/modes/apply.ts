/** apply: after an approved merge, make Cloudflare match the access file on the default branch. */
import { errorMessage } from '../action/error-message.js'
import { parseAccessFiles, sameAccessFiles } from '../config/index.js'
import { applyPlan } from '../cloudflare/index.js'
import { grantedEmails } from '../diff/granted-emails.js'
import { findTouchedTargets } from '../diff/touched-targets.js'
import { requestIssueNumber } from './request.js'
import {
  evaluateApprovals,
  reviewerFactsFrom,
  teamMembershipFrom,
  type GitHubPort,
  type PullRequestInfo
} from '../github/index.js'
import type { ApplyReportInput, DesiredState } from '../model/index.js'
import { escapeMarkdown, renderApplyComment, renderApplySummary } from '../report/index.js'
import { describeBlockers, loadDesiredState, planOutputs, readAccountAndPlan } from './common.js'
import type { ActionIO, ModeDeps, ModeResult } from './ports.js'

export async function runApply(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, event, io } = deps
  if (event.kind === 'pull_request' || event.kind === 'pull_request_target') {
    return {
      outputs: {},
      failure:
        'apply never runs for pull request events: it would change Cloudflare before anyone approved. Use mode: plan on pull requests and mode: apply on push to the default branch.'
    }
  }
  if (event.kind === 'merge_group') {
    return {
      outputs: {},
      failure:
        'apply never runs for merge_group events: the queued merge is not on the default branch yet and may still be dropped from the queue. Use mode: plan for merge_group; apply runs on the push once the merge lands.'
    }
  }
  if (!event.defaultBranch || event.ref !== `refs/heads/${event.defaultBranch}`) {
    return {
      outputs: {},
      failure: `apply only runs on the default branch (${event.defaultBranch ?? 'unknown'}); this run is on ${event.ref ?? 'an unknown ref'}. Nothing was changed.`
    }
  }

  const files = await deps.readWorkspaceFiles(inputs.config)
  const loaded = loadDesiredState(files, inputs, io)
  if (!loaded.ok) {
    return {
      outputs: {},
      failure: 'The access file on the default branch is invalid; nothing was changed.'
    }
  }

  const approval = await checkApproval(deps, loaded.desired)
  if (!approval.ok) return refuse(deps, {}, approval.reason)
  const outdated = await checkWorkspaceIsCurrent(deps, files)
  if (outdated) return refuse(deps, {}, outdated)

  const { client, plan } = await readAccountAndPlan(deps, loaded.desired)
  const planFile = await io.writePlanFile(plan)
  const outputs = { ...planOutputs(plan), 'plan-file': planFile }
  const blockers = describeBlockers(plan)
  if (blockers)
    return refuse(deps, outputs, `Nothing was changed; the plan is blocked:\n${blockers}`)

  const result = await applyPlan(client, plan, { dryRun: inputs.dryRun })
  const report: ApplyReportInput = {
    plan,
    result,
    pullRequest: approval.pullRequest
      ? { number: approval.pullRequest.number, url: approval.pullRequest.url }
      : undefined,
    runUrl: deps.runUrl
  }
  await io.appendSummary(renderApplySummary(report))
  let commentId = ''
  if (inputs.comment && deps.github && approval.pullRequest && plan.changes.length > 0) {
    commentId = await postResultComment(
      deps.github,
      io,
      approval.pullRequest.number,
      renderApplyComment(report)
    )
  }
  return {
    outputs: {
      ...outputs,
      'comment-id': commentId,
      applied: String(result.applied),
      failed: String(result.failed)
    },
    failure:
      result.failed > 0
        ? `${result.failed} change${result.failed === 1 ? '' : 's'} failed; the others were applied. Re-running converges.`
        : undefined
  }
}

/**
 * Cloudflare has been written by now: the outputs and the summary say what was written, so a comment GitHub refuses (a
 * read-only token, a rate limit, an outage) is a warning, not a failed step that reports nothing changed.
 */
async function postResultComment(
  github: GitHubPort,
  io: ActionIO,
  pullNumber: number,
  body: string
): Promise<string> {
  try {
    return String((await github.createComment(pullNumber, body)).id)
  } catch (error) {
    io.warning(
      `The result comment on pull request #${pullNumber} was not written; the job summary and the outputs say what was applied. ${errorMessage(error)}`
    )
    return ''
  }
}

/** A refusal is written to the job summary too: the log is not where people look for why access did not change. */
async function refuse(
  deps: ModeDeps,
  outputs: ModeResult['outputs'],
  reason: string
): Promise<ModeResult> {
  const lines = reason.split('\n').map((line) => escapeMarkdown(line.replace(/^- /, '')))
  await deps.io.appendSummary(
    `## ⛔ Apply refused\n\n${lines[0]}\n${lines
      .slice(1)
      .map((line) => `\n- ${line}`)
      .join('')}\n`
  )
  return { outputs, failure: reason }
}

type ApprovalCheck = { ok: true; pullRequest?: PullRequestInfo } | { ok: false; reason: string }

/**
 * Proves the pushed commit is an approved pull request's merge before anything is written. workflow_dispatch converges
 * to the file as it already is on the default branch, which only an approved merge (or an allowed push) could put there.
 */
async function checkApproval(deps: ModeDeps, desired: DesiredState): Promise<ApprovalCheck> {
  const { event, github, inputs, io } = deps
  if (event.kind === 'workflow_dispatch') return { ok: true }
  if (event.kind !== 'push') {
    return {
      ok: false,
      reason: `apply runs on push or workflow_dispatch, not ${event.kind}. Nothing was changed.`
    }
  }
  if (!github) {
    return {
      ok: false,
      reason:
        'apply needs the github-token input to prove the change was approved. Nothing was changed.'
    }
  }
  if (event.forced) {
    // A force push can put back an old approved merge commit: its approvals covered that pull request's change, not
    // this push's, which undoes everything merged since.
    if (inputs.allowUnapproved) {
      io.warning(
        `Commit ${event.sha} was force-pushed to ${event.defaultBranch}; applying anyway because allow-unapproved is true.`
      )
      return { ok: true }
    }
    return {
      ok: false,
      reason: `Commit ${event.sha} was force-pushed to ${event.defaultBranch}, so the approvals of the pull request it came from do not cover what this push changes; nothing was changed. Check the file on ${event.defaultBranch}, then run apply with workflow_dispatch, or set allow-unapproved: true to accept unapproved pushes.`
    }
  }
  const pullRequest = event.sha
    ? await github.findMergedPullRequest(event.sha, event.defaultBranch ?? '')
    : undefined
  if (!pullRequest) {
    if (inputs.allowUnapproved) {
      io.warning(
        `Commit ${event.sha} did not come from a merged pull request; applying anyway because allow-unapproved is true.`
      )
      return { ok: true }
    }
    return {
      ok: false,
      reason: `Commit ${event.sha} was pushed directly, not merged from an approved pull request, so nothing was changed. Open a pull request, or set allow-unapproved: true to accept direct pushes.`
    }
  }

  // The file before this push, from the same place the merge started: owners come from there.
  const baseRef = event.before && !/^0+$/.test(event.before) ? event.before : pullRequest.baseSha
  const baseFiles = await github.readFilesAtRef(baseRef, inputs.config)
  const base = baseFiles.length > 0 ? parseAccessFiles(baseFiles) : undefined
  if (base && !base.ok) {
    // Owners come from the file before the merge; if it cannot be read, nobody can be shown to have approved.
    return {
      ok: false,
      reason: `The access file before this merge (${baseRef.slice(0, 7)}) is invalid, so the owners who must approve cannot be read and nothing was changed. Once an administrator has checked the merged file, run apply with workflow_dispatch on ${event.defaultBranch}.`
    }
  }
  const decision = await evaluateApprovals({
    pullRequest,
    reviews: await github.listReviews(pullRequest.number),
    requiredApprovals: inputs.requiredApprovals,
    touchedTargets: findTouchedTargets(base?.desired, desired),
    teamMembership: teamMembershipFrom(github),
    excludedApprovers: await requesterOf(github, pullRequest),
    reviewers: reviewerFactsFrom(github, pullRequest.number),
    // Who is who comes from the base file too: a pull request cannot rename itself out of the grantee rule.
    grantees: {
      emails: grantedEmails(base?.desired, desired),
      people: peopleOf(base?.desired, desired)
    }
  })
  if (!decision.approved) {
    if (inputs.allowUnapproved) {
      io.warning(
        `Pull request #${pullRequest.number} is not approved (${decision.reasons.join(' ')}); applying anyway because allow-unapproved is true.`
      )
      return { ok: true, pullRequest }
    }
    return {
      ok: false,
      reason: `Pull request #${pullRequest.number} was not approved as required, so nothing was changed:\n- ${decision.reasons.join('\n- ')}`
    }
  }
  io.info(`Pull request #${pullRequest.number} approved by ${decision.approvers.join(', ')}.`)
  return { ok: true, pullRequest }
}

/** people: of both versions of the file: a person named in either is known, whichever side maps them. */
function peopleOf(base: DesiredState | undefined, head: DesiredState): Record<string, string[]> {
  const people: Record<string, string[]> = {}
  for (const state of [base, head]) {
    for (const [login, emails] of Object.entries(state?.people ?? {})) {
      people[login] = [...new Set([...(people[login] ?? []), ...emails])]
    }
  }
  return people
}

/**
 * A request pull request (branch access-request/<issue>) is opened by a bot for the issue's author: the author of the
 * issue asked for the access and cannot approve it. The branch name, unlike the body, cannot be edited afterwards.
 */
async function requesterOf(
  github: NonNullable<ModeDeps['github']>,
  pullRequest: PullRequestInfo
): Promise<string[]> {
  const issueNumber = requestIssueNumber(pullRequest.headRef)
  if (issueNumber === undefined) return []
  const issue = await github.getIssue(issueNumber)
  return issue ? [issue.author] : []
}

/**
 * Approval was proven for the pushed commit, but the file read is the checked-out one: it must be that commit's, and it
 * must still be the default branch's. A re-run of an older run (or runs finishing out of order) would otherwise apply
 * an old file and undo what later approved pull requests changed.
 */
async function checkWorkspaceIsCurrent(
  deps: ModeDeps,
  files: { path: string; text: string }[]
): Promise<string | undefined> {
  const { event, github, inputs } = deps
  const branch = event.defaultBranch ?? ''
  if (!github) {
    return `apply needs the github-token input to check that the checked-out access file is the one on ${branch} now. Nothing was changed.`
  }
  if (event.kind === 'push' && event.sha) {
    if (!sameAccessFiles(files, await github.readFilesAtRef(event.sha, inputs.config))) {
      return `The checked-out access file is not the one in commit ${event.sha}, the commit whose approval was checked, so nothing was changed. Check out the pushed commit (actions/checkout without a ref input does).`
    }
  }
  if (!sameAccessFiles(files, await github.readFilesAtRef(branch, inputs.config))) {
    const since =
      event.kind === 'push' && event.sha ? `commit ${event.sha}` : 'the checked-out commit'
    return `The access file on ${branch} has changed since ${since}, so this run is out of date and nothing was changed: applying the older file would undo what was merged since. The run for the newest commit on ${branch} applies the current file; re-run that one, or run apply with workflow_dispatch on ${branch}.`
  }
  return undefined
}
