/** apply: after an approved merge, make Cloudflare match the access file on the default branch. */
import { errorMessage } from '../action/error-message.js'
import { parseAccessFiles, sameAccessFiles } from '../config/index.js'
import { applyPlan, type CloudflareClient } from '../cloudflare/index.js'
import { approvalScope, describeUnaskedChanges } from '../diff/required-approvals.js'
import { requestIssueNumber } from './request.js'
import {
  evaluateApprovals,
  reviewerFactsFrom,
  teamMembershipFrom,
  type GitHubPort,
  type PullRequestInfo
} from '../github/index.js'
import type { ApplyReportInput, DesiredState } from '../model/index.js'
import {
  APPLY_REFUSED_MARKER,
  renderApplyComment,
  renderApplyRefusal,
  renderApplyRefusedComment,
  renderApplySummary
} from '../report/index.js'
import {
  decideApply,
  type ApplyDecision,
  type ApplyEvidence,
  type ApplyFacts
} from './apply-gate.js'
import { overridesSet } from './overrides.js'
import { loadDesiredState, planOutputs, readAccountAndPlan } from './common.js'
import type { ActionIO, ModeDeps, ModeResult } from './ports.js'

export async function runApply(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io } = deps
  const evidence = evidenceReader(deps)
  let facts: ApplyFacts = {
    event: deps.event,
    allowUnapproved: inputs.allowUnapproved,
    overrides: overridesSet(inputs),
    hasGitHubToken: deps.github !== undefined
  }
  let decision: ApplyDecision
  while ((decision = decideApply(facts)).verdict === 'gather') {
    facts = { ...facts, ...(await evidence.read(decision.evidence, facts)) }
  }
  for (const warning of decision.warnings) io.warning(warning)
  const plan = facts.plan
  const outputs = plan ? { ...planOutputs(plan), 'plan-file': evidence.planFile } : {}
  if (decision.verdict === 'refused') return refuse(deps, outputs, decision)
  if (!plan) throw new Error('apply was allowed without a plan')
  const { pullRequest } = decision
  if (pullRequest && decision.approvers.length > 0) {
    io.info(`Pull request #${pullRequest.number} approved by ${decision.approvers.join(', ')}.`)
  }

  const result = await applyPlan(evidence.client(), plan, {
    dryRun: inputs.dryRun,
    onProgress: (message) => io.info(message)
  })
  const report: ApplyReportInput = {
    plan,
    result,
    pullRequest: pullRequest ? { number: pullRequest.number, url: pullRequest.url } : undefined,
    runUrl: deps.runUrl
  }
  await io.appendSummary(renderApplySummary(report))
  let commentId = ''
  if (inputs.comment && deps.github && pullRequest && plan.changes.length > 0) {
    commentId = await postResultComment(
      deps.github,
      io,
      pullRequest.number,
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

/**
 * Every refusal takes this path: the job summary says why (the log is not where people look), and so does, best
 * effort, a comment on the merged pull request, where its author and approvers will see it; then the step fails.
 */
async function refuse(
  deps: ModeDeps,
  outputs: ModeResult['outputs'],
  decision: Extract<ApplyDecision, { verdict: 'refused' }>
): Promise<ModeResult> {
  const { reason, pullRequest } = decision
  await deps.io.appendSummary(renderApplyRefusal(reason))
  if (deps.inputs.comment && deps.github && pullRequest) {
    await postRefusalComment(deps, deps.github, pullRequest.number, reason)
  }
  return { outputs, failure: reason }
}

/**
 * Its own comment, not an edit of the plan comment: that one records what was approved, and an edit notifies nobody.
 * One per pull request (by marker), so a re-run that is refused again edits it. A comment GitHub refuses is a warning:
 * the step fails for the refusal, never for the comment.
 */
async function postRefusalComment(
  deps: ModeDeps,
  github: GitHubPort,
  pullNumber: number,
  reason: string
): Promise<void> {
  try {
    await github.upsertStickyComment(
      pullNumber,
      APPLY_REFUSED_MARKER,
      renderApplyRefusedComment({ reason, commit: deps.event.sha, runUrl: deps.runUrl })
    )
  } catch (error) {
    deps.io.warning(
      `The refusal was not commented on pull request #${pullNumber}; the job summary says why nothing was changed. ${errorMessage(error)}`
    )
  }
}

/**
 * The reads behind each piece of evidence the gate asks for. Each reads GitHub or Cloudflare only; the Cloudflare
 * client and the plan file's path are kept for the writes that follow an allowed decision.
 */
function evidenceReader(deps: ModeDeps) {
  const { event, inputs, io } = deps
  let client: CloudflareClient | undefined
  let planFile = ''
  let workspaceFiles: { path: string; text: string }[] = []
  const github = () => {
    if (!deps.github) throw new Error('apply asked GitHub without a github-token')
    return deps.github
  }
  const readers: Record<ApplyEvidence, (facts: ApplyFacts) => Promise<Partial<ApplyFacts>>> = {
    file: async () => {
      workspaceFiles = await deps.readWorkspaceFiles(inputs.config)
      const loaded = loadDesiredState(workspaceFiles, inputs, io)
      return { file: loaded.ok ? { valid: true, desired: loaded.desired } : { valid: false } }
    },
    pullRequest: async () => ({
      pullRequest:
        (event.sha
          ? await github().findMergedPullRequest(event.sha, event.defaultBranch ?? '')
          : undefined) ?? null
    }),
    pullRequestFiles: async (facts) => ({
      pullRequestFiles: await github().pullRequestFiles(facts.pullRequest!.number)
    }),
    pushedFiles: async () => {
      const { before, sha } = event
      if (!before || /^0+$/.test(before) || !sha) return { pushedFiles: null }
      return { pushedFiles: await github().pushedFiles(before, sha) }
    },
    baseFile: async (facts) => {
      // The file before this push, from the same place the merge started: owners come from there.
      const ref =
        event.before && !/^0+$/.test(event.before) ? event.before : facts.pullRequest!.baseSha
      const files = await github().readFilesAtRef(ref, inputs.config)
      if (files.length === 0) return { baseFile: { ref, valid: true } }
      const parsed = parseAccessFiles(files)
      return {
        baseFile: parsed.ok ? { ref, valid: true, desired: parsed.desired } : { ref, valid: false }
      }
    },
    workspace: async () => {
      const files = workspaceFiles
      const port = github()
      // A dispatch's approval was checked for the commit it ran on (GITHUB_SHA), as a push's for the pushed one.
      const isPushedCommit = event.sha
        ? sameAccessFiles(files, await port.readFilesAtRef(event.sha, inputs.config))
        : undefined
      const isBranchTip = sameAccessFiles(
        files,
        await port.readFilesAtRef(event.defaultBranch ?? '', inputs.config)
      )
      return {
        workspace: { ...(isPushedCommit === undefined ? {} : { isPushedCommit }), isBranchTip }
      }
    },
    approvedHead: async (facts) => {
      const head = await github().readFilesAtRef(facts.pullRequest!.headSha, inputs.config)
      // The checkout was proven to be the pushed commit's file before this is asked.
      return { approvedHead: { sameFile: sameAccessFiles(workspaceFiles, head) } }
    },
    plan: async (facts) => {
      const live = await readAccountAndPlan(deps, desiredOf(facts))
      client = live.client
      planFile = await io.writePlanFile(live.plan)
      return { plan: live.plan }
    },
    approval: async (facts) => {
      const pullRequest = facts.pullRequest!
      const base = facts.baseFile?.desired
      const desired = desiredOf(facts)
      const scope = approvalScope(facts.plan!, base, desired)
      const port = github()
      return {
        approval: await evaluateApprovals({
          pullRequest,
          reviews: await port.listReviews(pullRequest.number),
          requiredApprovals: inputs.requiredApprovals,
          touchedTargets: scope.targets.map((target) => {
            const note = describeUnaskedChanges(target)
            return {
              kind: target.kind,
              name: target.name,
              owners: target.owners,
              ...(note ? { note } : {})
            }
          }),
          teamMembership: teamMembershipFrom(port),
          excludedApprovers: await requesterOf(port, pullRequest),
          reviewers: reviewerFactsFrom(port, pullRequest.number),
          grantees: scope.grantees
        })
      }
    }
  }
  return {
    read: (evidence: ApplyEvidence, facts: ApplyFacts) => readers[evidence](facts),
    client: () => client!,
    get planFile() {
      return planFile
    }
  }
}

function desiredOf(facts: ApplyFacts): DesiredState {
  if (!facts.file?.valid) throw new Error('apply read evidence before the access file was valid')
  return facts.file.desired
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
