/** plan: on a pull request, show what merging it would change in Cloudflare, and block the merge on problems. */
import { parseAccessFilesInTurns, sameAccessFiles, type ParsedFiles } from '../config/index.js'
import { planChanges, splitByPullRequest } from '../diff/index.js'
import { approvalScope } from '../diff/required-approvals.js'
import {
  ownerApprovalsForPlan,
  reviewerFactsFrom,
  teamMembershipFrom,
  type UncountedApproval
} from '../github/index.js'
import type { DesiredState, OwnerApproval, Plan, PlanReportInput } from '../model/index.js'
import { inPhase } from '../model/phases.js'
import { errorMessage } from '../action/error-message.js'
import {
  markPlanOutOfDate,
  PLAN_COMMENT_MARKER,
  renderPlanReports,
  renderPlanSummary,
  renderUnchangedFileComment,
  renderUnchangedFileSummary
} from '../report/index.js'
import {
  describeBlockers,
  loadDesiredState,
  planOptions,
  planOutputs,
  readAccountAndPlan,
  readApplicationsOfGroupChanges
} from './common.js'
import { applicationsNote } from '../report/group-applications.js'
import { overridesSet, workflowOverrideRefusal } from './overrides.js'
import type { ModeDeps, ModeResult } from './ports.js'

export async function runPlan(deps: ModeDeps): Promise<ModeResult> {
  try {
    return await planPullRequest(deps)
  } catch (error) {
    await markCommentOutOfDate(deps, error)
    throw error
  }
}

/**
 * A plan that could not be made (Cloudflare unreachable, a refused file, ...) leaves no comment looking current: the
 * earlier plan comment, if any, is marked as the plan of an earlier commit. Best effort: the step fails anyway.
 */
async function markCommentOutOfDate(deps: ModeDeps, error: unknown): Promise<void> {
  const { github, event, inputs, io } = deps
  if (!inputs.comment || !github || event.pullNumber === undefined || event.isFork) return
  const failure = {
    message: errorMessage(error),
    ...(event.headSha ? { headSha: event.headSha } : {}),
    ...(deps.runUrl ? { runUrl: deps.runUrl } : {})
  }
  try {
    const comment = await github.updateStickyComment(
      event.pullNumber,
      PLAN_COMMENT_MARKER,
      (existing) => markPlanOutOfDate(existing, failure)
    )
    if (comment) io.info(`Plan comment ${comment.id} marked out of date.`)
  } catch (markError) {
    io.warning(`Could not mark the plan comment out of date: ${errorMessage(markError)}`)
  }
}

async function planPullRequest(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, event, io } = deps
  const files = await deps.readWorkspaceFiles(inputs.config)
  const baseFiles = await readBaseFiles(deps)
  if (baseFiles && sameAccessFiles(files, baseFiles)) return planUnchangedFile(deps)
  // A file the base branch holds as the pull request does is parsed once, for both.
  const parsedFiles: ParsedFiles = new Map()
  const loaded = loadDesiredState(
    files,
    inputs,
    io,
    deps.inputName?.('cloudflare-account-id'),
    parsedFiles
  )
  const report: PlanReportInput = {
    configErrors: [],
    ownerApprovals: [],
    notes: [],
    runUrl: deps.runUrl,
    ...(event.headSha ? { headSha: event.headSha } : {})
  }

  if (!loaded.ok) {
    report.configErrors = loaded.errors
    report.notes.push('Fix the access file; no live plan was made from an invalid file.')
    const commentId = await publish(deps, report)
    return {
      outputs: { 'comment-id': commentId },
      failure: `The access file has ${loaded.errors.length} error${loaded.errors.length === 1 ? '' : 's'}; see the annotations.`
    }
  }
  const desired = loaded.desired

  if (event.isFork) {
    // GitHub gives fork pull requests a read-only token and no secrets, so there is nothing to read Cloudflare with.
    report.notes.push(
      'This pull request comes from a fork: GitHub withholds secrets from it, so the file was validated offline and no live plan was made. A maintainer can run the plan after merging into a branch of this repository, or with workflow_dispatch.'
    )
    await io.appendSummary(renderPlanSummary(report))
    io.info('Fork pull request: the access file is valid; no live plan without secrets.')
    return { outputs: {} }
  }

  const reading = readAccountAndPlan(deps, desired)
  reading.catch(() => undefined)
  // The base branch's file is parsed once, for the split below and the owners' approvals, while Cloudflare answers
  // (a file per turn of the event loop, so the reads go on between files); a failed read is thrown below.
  const base = hasBaseBranch(event) ? await readBaseDesiredState(baseFiles, parsedFiles) : undefined
  const live = await reading
  const { snapshot, plan } = live
  report.plan = plan
  // The read runs while the base branch is planned, and is awaited (its failure thrown) below.
  const applications = inPhase('reads', () => readApplicationsOfGroupChanges(live))
  applications?.catch(() => undefined)

  if (base) {
    const baseDesired = base.desired
    const basePlan = baseDesired
      ? inPhase('base plan', () =>
          planChanges(baseDesired, snapshot, planOptions(inputs, deps.now()))
        )
      : undefined
    report.requestedByPullRequest = basePlan
      ? splitByPullRequest(plan, basePlan)
      : plan.changes.map((change) => change.key)
  }
  if (applications) {
    report.groupApplications = await applications
    const note = applicationsNote(report.groupApplications)
    if (note) report.notes.push(note)
  }
  if (base?.note) report.notes.push(base.note)
  if (event.kind === 'merge_group') {
    report.notes.push(
      `Planned the merge queue's result for ${event.baseRef ?? 'the base branch'}, commit ${(event.headSha ?? '').slice(0, 7)}. Nothing is applied from the queue: apply runs once the merge lands on ${event.baseRef ?? 'the default branch'} and proves its approval there.`
    )
  }
  if (isPullRequestEvent(event)) {
    const approvals = await ownerApprovalsSoFar(deps, plan, base?.desired, desired)
    report.ownerApprovals = approvals.ownerApprovals
    report.notes.push(
      ...approvals.uncounted.map(
        (entry) => `The approval by @${entry.login} does not count: ${entry.reason}.`
      )
    )
  }

  // Apply refuses a merge that changes workflows while an override is set; the plan says so first.
  const overrideRefusal = await workflowOverrideCheck(deps)
  if (overrideRefusal) report.notes.push(`⛔ ${overrideRefusal} Apply will refuse this merge.`)

  const planFile = await inPhase('outputs', () => io.writePlanFile(plan))
  if (inputs.uploadPlan) await uploadPlan(deps, planFile, report)
  const commentId = await publish(deps, report)
  const blockers = describeBlockers(plan)
  return {
    outputs: { ...planOutputs(plan), 'plan-file': planFile, 'comment-id': commentId },
    failure: overrideRefusal
      ? `${overrideRefusal} Apply will refuse this merge.`
      : blockers
        ? `The plan cannot be applied as it stands:\n${blockers}`
        : undefined
  }
}

/**
 * The base branch's version of the access file(s) on a pull request, read through the API so the checkout stays
 * the pull request's; undefined when there is no base to read.
 */
async function readBaseFiles(
  deps: ModeDeps
): Promise<{ path: string; text: string }[] | undefined> {
  const { event, github, inputs } = deps
  // A merge queue tests base_sha merged with the queued pull requests: that base is what the queue changes.
  if (!hasBaseBranch(event) || !github || !event.baseSha) return undefined
  return github.readFilesAtRef(event.baseSha, inputs.config)
}

async function readBaseDesiredState(
  files: { path: string; text: string }[] | undefined,
  parsedFiles: ParsedFiles
): Promise<{
  desired?: DesiredState
  note?: string
}> {
  if (!files) {
    return {
      note: 'The base branch could not be read, so every change is shown as asked for by this pull request.'
    }
  }
  if (files.length === 0) return { desired: emptyDesiredState() }
  const parsed = await inPhase('file parse', () => parseAccessFilesInTurns(files, parsedFiles))
  if (!parsed.ok) {
    return {
      note: 'The base branch has no valid access file, so every change is shown as asked for by this pull request.'
    }
  }
  return { desired: parsed.desired }
}

/**
 * A pull request that leaves the access file(s) as they are on the base branch changes no access: pass at once,
 * without reading Cloudflare, so the plan can be a required check on every pull request (a path-filtered required
 * workflow never reports and blocks the merge). An earlier plan comment, from a push that did change the file,
 * is corrected instead of left standing.
 */
async function planUnchangedFile(deps: ModeDeps): Promise<ModeResult> {
  const { io, github, event, inputs } = deps
  const report = { config: inputs.config, runUrl: deps.runUrl }
  io.info(
    `The pull request does not change ${inputs.config}; nothing to plan, Cloudflare was not read.`
  )
  await io.appendSummary(renderUnchangedFileSummary(report))
  if (!inputs.comment || !github || event.pullNumber === undefined || event.isFork)
    return { outputs: {} }
  const comment = await github.updateStickyComment(
    event.pullNumber,
    PLAN_COMMENT_MARKER,
    renderUnchangedFileComment(report)
  )
  return { outputs: { 'comment-id': comment ? String(comment.id) : '' } }
}

/** A pull request or a merge queue group: both merge into a base whose file tells requests from drift. */
function hasBaseBranch(event: ModeDeps['event']): boolean {
  return isPullRequestEvent(event) || event.kind === 'merge_group'
}

function isPullRequestEvent(event: ModeDeps['event']): boolean {
  return event.kind === 'pull_request' || event.kind === 'pull_request_target'
}

function emptyDesiredState(): DesiredState {
  return { settings: {}, groups: [], roles: [], files: [] }
}

/**
 * Which owners have approved so far, for the comment: of exactly the groups and roles apply will require (every target
 * with a planned change, drift included, and every target the file change touches; see approvalScope).
 */
async function ownerApprovalsSoFar(
  deps: ModeDeps,
  plan: Plan,
  base: DesiredState | undefined,
  head: DesiredState
): Promise<{ ownerApprovals: OwnerApproval[]; uncounted: UncountedApproval[] }> {
  const { github, event } = deps
  const scope = approvalScope(plan, base, head)
  const touchedTargets = scope.targets.filter((target) => target.owners.length > 0)
  const pullRequest =
    github && event.pullNumber !== undefined && touchedTargets.length > 0
      ? await github.getPullRequest(event.pullNumber)
      : undefined
  if (!github || !pullRequest) {
    return {
      ownerApprovals: touchedTargets.map((target) => ({
        target: { kind: target.kind, name: target.name },
        owners: target.owners,
        approvedBy: []
      })),
      uncounted: []
    }
  }
  return ownerApprovalsForPlan({
    pullRequest,
    reviews: await github.listReviews(pullRequest.number),
    touchedTargets,
    teamMembership: teamMembershipFrom(github),
    reviewers: reviewerFactsFrom(github, pullRequest.number),
    grantees: scope.grantees
  })
}

/**
 * upload-plan: the whole plan as a workflow artifact, linked from the comment. A failed upload is a warning and a
 * note, never a failed plan: the comment then says that no other copy exists.
 */
async function uploadPlan(deps: ModeDeps, path: string, report: PlanReportInput): Promise<void> {
  try {
    report.planArtifact = await deps.io.uploadPlanArtifact(path)
    deps.io.info(`Plan uploaded as the workflow artifact ${report.planArtifact.name}.`)
  } catch (error) {
    const message = `The plan could not be uploaded as a workflow artifact: ${errorMessage(error)}`
    deps.io.warning(message)
    report.notes.push(message)
  }
}

/** On a pull request with an override set: why apply will refuse it, when it changes workflow files. */
async function workflowOverrideCheck(deps: ModeDeps): Promise<string | undefined> {
  const { event, github, inputs } = deps
  const overrides = overridesSet(inputs)
  if (!isPullRequestEvent(event) || overrides.length === 0 || !github) return undefined
  if (event.pullNumber === undefined) return undefined
  const files = await github.pullRequestFiles(event.pullNumber)
  return workflowOverrideRefusal(event.pullNumber, files, overrides)
}

/** Job summary always; the sticky comment when enabled and possible. Returns the comment id or ''. */
async function publish(deps: ModeDeps, report: PlanReportInput): Promise<string> {
  const { io, github, event, inputs } = deps
  const rendered = inPhase('render', () => renderPlanReports(report))
  io.showPlanReport?.(report)
  await inPhase('outputs', () => io.appendSummary(rendered.summary))
  if (!inputs.comment || !github || event.pullNumber === undefined || event.isFork) return ''
  const comment = await github.upsertStickyComment(
    event.pullNumber,
    PLAN_COMMENT_MARKER,
    rendered.comment
  )
  io.info(`Plan comment ${comment.action}: ${comment.id}`)
  return String(comment.id)
}
