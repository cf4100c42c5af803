/** review: a periodic user access review as one GitHub issue per period, updated in place by re-runs. */
import { errorMessage } from '../action/error-message.js'
import { plural } from '../report/markdown.js'
import { applyPlan } from '../cloudflare/index.js'
import { selectChanges } from '../diff/index.js'
import {
  TEAM_PERMISSION_HINT,
  latestReviewStates,
  sameLogin,
  teamMembershipFrom,
  type GitHubPort,
  type CommentInfo,
  type IssueInfo
} from '../github/index.js'
import type {
  AccountSnapshot,
  ApplyResult,
  DesiredState,
  GroupApplications,
  Plan
} from '../model/index.js'
import {
  parseReviewMarker,
  parseReviewPartMarker,
  renderRetiredPart,
  renderReviewIssue,
  renderReviewPart,
  reviewFitsOneIssue,
  reviewMarker,
  reviewPartsPrefix,
  splitInventory,
  REVIEW_MARKER_PREFIX,
  REVIEW_SPLIT_MARKER,
  type ReviewIssueOptions,
  type ReviewPartLink,
  renderDecisionComment,
  renderEvidenceReport,
  renderSignoffComment,
  APPLY_COMMENT_MARKER,
  renderReminderComment,
  renderApplySummary,
  type NotCounted,
  type ReviewRevocations
} from '../report/index.js'
import {
  attributeTicks,
  buildAccessReview,
  newTicks,
  periodFromKey,
  planReminder,
  reminderMarker,
  readDecisionLedger,
  buildEvidenceRecord,
  evidenceCsv,
  evaluateSignoff,
  isReviewComplete,
  type EvidenceInput,
  removeGrants,
  reviewRevocations,
  reviewDue,
  reviewPeriod,
  unexplainedTicks,
  type AccessReview,
  type Attribution,
  type DecisionLedger,
  type DecisionRecord,
  type ReviewPeriod,
  type Tick
} from '../review/index.js'
import {
  describeBlockers,
  loadDesiredState,
  planOptions,
  planOutputs,
  readAccountAndPlan,
  readGroupApplications
} from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'

const DEFAULT_STALE_AFTER_DAYS = 90
const CLOSED_REASON = 'this review is closed; its decisions are final.'
/** An edit time later than this past the run's clock is not believed (clock skew, or a forged payload). */
const MAX_CLOCK_SKEW_MS = 5 * 60_000
const UNEXPLAINED_REASON =
  'no run attributed this tick to anyone (its edit was not seen, for example because a newer edit replaced its queued run); tick it again.'

export async function runReview(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io, github } = deps
  const loaded = loadDesiredState(await deps.readWorkspaceFiles(inputs.config), inputs, io)
  if (!loaded.ok) {
    return { outputs: {}, failure: 'The access file is invalid; no review was written.' }
  }
  if (!github) {
    return {
      outputs: {},
      failure: 'review needs the github-token input (with issues: write) to write the review issue.'
    }
  }
  const desired = loaded.desired
  if (deps.event.kind === 'issues') return runReviewEdit(deps, desired, github)
  const now = deps.now()
  let { client, snapshot, plan } = await readAccountAndPlan(deps, desired)

  let revokedExpired: ApplyResult | undefined
  let expiredPlan: Plan | undefined
  const offDefaultBranch = revokeRefusal(deps)
  if (inputs.revokeExpired && offDefaultBranch) {
    io.warning(`Expired grants were not revoked: ${offDefaultBranch}`)
  } else if (inputs.revokeExpired && plan.changes.some((change) => change.cause === 'expired')) {
    expiredPlan = selectChanges(plan, (change) => change.cause === 'expired', {
      live: snapshot,
      options: planOptions(inputs, now)
    })
    const blockers = describeBlockers(expiredPlan)
    if (blockers) {
      io.warning(`Expired grants were not revoked; the plan is blocked:\n${blockers}`)
    } else {
      revokedExpired = await applyPlan(client, expiredPlan, {
        dryRun: inputs.dryRun,
        onProgress: (message) => io.info(message)
      })
      io.info(
        `Revoked expired grants: ${revokedExpired.applied} applied, ${revokedExpired.failed} failed.`
      )
      if (revokedExpired.applied > 0 && !inputs.dryRun) {
        // Review what the account holds now, so revoked people are not listed for certification again.
        ;({ client, snapshot, plan } = await readAccountAndPlan(deps, desired))
      }
    }
  }
  const planFile = await io.writePlanFile(plan)
  try {
    return await writeReview(deps, github, {
      desired,
      snapshot,
      plan,
      applications: await readGroupApplications(client, snapshot),
      planFile,
      now,
      revokedExpired
    })
  } catch (error) {
    if (!revokedExpired || !expiredPlan) throw error
    // Cloudflare was written: the outputs and the summary say what was revoked, whatever GitHub did afterwards.
    await io.appendSummary(
      renderApplySummary({ plan: expiredPlan, result: revokedExpired, runUrl: deps.runUrl })
    )
    return {
      outputs: {
        ...planOutputs(plan),
        'plan-file': planFile,
        applied: String(revokedExpired.applied),
        failed: String(revokedExpired.failed)
      },
      failure: `Expired grants were revoked (${revokedExpired.applied} applied, ${revokedExpired.failed} failed; see the job summary), but the review issue was not written: ${errorMessage(error)}`
    }
  }
}

/** Writes this period's review issue (and its reminders, evidence and revocations) from the account as read. */
async function writeReview(
  deps: ModeDeps,
  github: GitHubPort,
  {
    desired,
    snapshot,
    plan,
    applications,
    planFile,
    now,
    revokedExpired
  }: {
    desired: DesiredState
    snapshot: AccountSnapshot
    plan: Plan
    applications: GroupApplications
    planFile: string
    now: Date
    revokedExpired: ApplyResult | undefined
  }
): Promise<ModeResult> {
  const { inputs, io } = deps
  const period = reviewPeriod(now, inputs.reviewPeriod)
  const marker = reviewMarker(period.key)
  const existing = await github.findIssueByMarker(inputs.reviewLabel, marker)
  const previous = await github.findLatestIssueWithLabel(
    inputs.reviewLabel,
    REVIEW_MARKER_PREFIX,
    marker
  )
  const review = buildReview(deps, desired, snapshot, plan, applications)
  // Decisions and reminders live in the comments of this period's issue, so a new issue has none to read.
  const self = existing ? await github.whoAmI() : ''
  const comments = existing ? await github.listIssueComments(existing.number) : []
  const ledger = existing ? ledgerOf(comments, self, period.key) : undefined
  const decided = decisionOptions(
    desired,
    period,
    now,
    ledger,
    existing && ledger ? unexplained(existing.body, ledger) : []
  )
  const revocations =
    existing && ledger
      ? await syncRevocations(deps, github, {
          desired,
          review,
          ledger,
          due: decided.due,
          period,
          issueNumber: existing.number
        })
      : undefined
  const published = await publishReview(deps, github, {
    review,
    options: {
      period,
      previousIssue: previous ? { number: previous.number, url: previous.url } : undefined,
      ...decided,
      revocations,
      revokedExpired,
      runUrl: deps.runUrl
    },
    existing,
    notCountedIn: (body) => (ledger ? unexplained(body, ledger) : [])
  })
  const issueNumber = published.number
  // A new issue mentions every owner already; a closed one is finished.
  if (existing && existing.state !== 'closed' && ledger) {
    const complete = await proposeEvidence(deps, github, {
      review,
      snapshot,
      period,
      due: decided.due,
      decisions: ledger.decisions,
      pullRequest: revocations?.pullRequest,
      merged: revocations?.merged,
      issueNumber
    })
    // Only a complete review has evidence to sign off.
    const signed =
      complete &&
      (await closeOnSignoff(deps, github, {
        issueNumber,
        period,
        parts: published.parts ?? [],
        signoff: desired.settings.review?.signoff ?? []
      }))
    if (!signed)
      await remind(deps, github, self, {
        issueNumber,
        periodKey: period.key,
        review,
        decisions: ledger?.decisions ?? new Map(),
        comments,
        due: decided.due,
        escalateTo: desired.settings.review?.escalateTo ?? [],
        parts: published.parts
      })
  }
  await io.appendSummary(published.body)

  return {
    outputs: {
      ...planOutputs(plan),
      'plan-file': planFile,
      'issue-number': String(issueNumber),
      applied: String(revokedExpired?.applied ?? 0),
      failed: String(revokedExpired?.failed ?? 0)
    },
    failure:
      revokedExpired && revokedExpired.failed > 0
        ? `${revokedExpired.failed} expired grant${revokedExpired.failed === 1 ? '' : 's'} could not be revoked; see the review issue.`
        : revocations?.failure
  }
}

/**
 * Revoking writes to Cloudflare on the strength of the end dates in the file, so the file must be the default branch's:
 * a feature branch could give an approved grant an end date in the past. Scheduled runs are always on the default
 * branch; other events must say so.
 */
function revokeRefusal({ event }: ModeDeps): string | undefined {
  if (event.kind === 'schedule') return undefined
  if (event.defaultBranch && event.ref === `refs/heads/${event.defaultBranch}`) return undefined
  return `revoke-expired only acts on the default branch (${event.defaultBranch ?? 'unknown'}), and this run is on ${event.ref ?? 'an unknown ref'}.`
}

/**
 * An edit of a review issue: attribute the boxes it ticked to its sender, record the ticks that count, and re-render
 * the issue from the records so every tick that did not count is undone with a note. Runs must be serialised per
 * repository (`concurrency` in the workflow) so two edits never re-render over each other.
 */
async function runReviewEdit(
  deps: ModeDeps,
  desired: DesiredState,
  github: GitHubPort
): Promise<ModeResult> {
  const { event, io } = deps
  const nothing = (why: string): ModeResult => {
    io.info(why)
    return { outputs: {} }
  }
  if (event.action !== 'edited' || !event.issue || event.bodyBefore === undefined) {
    return nothing('Not an edit of an issue body: nothing to decide.')
  }
  if (!event.sender || event.sender.isBot) {
    return nothing('The edit was made by a bot (or by nobody GitHub names); bots never decide.')
  }
  const self = await github.whoAmI()
  const found = await findEditedReview(github, self, event.issue.number, event.bodyBefore)
  if (!found) {
    return nothing(`Issue #${event.issue.number} is not an access review this Action wrote.`)
  }
  const { tracking, period, part } = found

  const now = deps.now()
  const at = editTime(event.issue.updatedAt, now)
  const { client, snapshot, plan } = await readAccountAndPlan(deps, desired)
  const review = buildReview(
    deps,
    desired,
    snapshot,
    plan,
    await readGroupApplications(client, snapshot)
  )
  // Decisions are recorded on the review (tracking) issue, wherever the box was ticked: one place to read them from.
  const ledger = ledgerOf(await github.listIssueComments(tracking.number), self, period.key)
  const sender = event.sender.login
  const ticks = newTicks(event.bodyBefore, event.issue.body)
  // A closed review (signed off, or closed by hand) takes no more decisions: its record is final.
  const closed = tracking.state === 'closed'
  const attribution: Attribution = closed
    ? {
        accepted: [],
        refused: ticks.map((tick) => ({ ...tick, by: sender, at, reason: CLOSED_REASON }))
      }
    : await attributeTicks({
        ticks,
        sections: review.inventory,
        sender,
        senderEmails: peopleEmails(desired, sender),
        at,
        current: ledger.decisions,
        teamMembership: teamMembershipFrom(github),
        teamHint: TEAM_PERMISSION_HINT
      })
  if (!closed && (attribution.accepted.length > 0 || attribution.refused.length > 0)) {
    await github.createComment(
      tracking.number,
      renderDecisionComment(review, period.key, attribution)
    )
    addToLedger(ledger, attribution)
  }
  io.info(
    `@${sender} ticked ${ticks.length} box${ticks.length === 1 ? '' : 'es'}: ${attribution.accepted.length} recorded, ${attribution.refused.length} not counted.`
  )
  const notCounted: NotCounted[] = [
    ...attribution.refused,
    ...unexplained(event.issue.body, ledger, ticks)
  ]
  const decided = decisionOptions(desired, period, now, ledger, part ? [] : notCounted)
  const revocations = await syncRevocations(deps, github, {
    desired,
    review,
    ledger,
    due: decided.due,
    period,
    issueNumber: tracking.number
  })
  await publishReview(deps, github, {
    review,
    options: { period, ...decided, revocations, runUrl: deps.runUrl },
    existing: tracking,
    notCountedIn: (body) => unexplained(body, ledger),
    edited: part ? { number: event.issue.number, notCounted } : undefined
  })
  return {
    outputs: { ...planOutputs(plan), 'issue-number': String(tracking.number) },
    failure: revocations?.failure
  }
}

/**
 * The review an edited issue belongs to: the review issue itself, or a part of it (then the review issue is the one
 * its marker names, checked to be ours and of the same period). The body before the edit must carry the same marker,
 * so an edit that pastes a marker into another issue decides nothing.
 */
async function findEditedReview(
  github: GitHubPort,
  self: string,
  number: number,
  bodyBefore: string
): Promise<{ tracking: IssueInfo; period: ReviewPeriod; part?: IssueInfo } | undefined> {
  const issue = await github.getIssue(number)
  if (!issue || !sameLogin(issue.author, self)) return undefined
  const part = parseReviewPartMarker(issue.body)
  if (part) {
    const before = parseReviewPartMarker(bodyBefore)
    if (!before || JSON.stringify(before) !== JSON.stringify(part)) return undefined
    const tracking = await github.getIssue(part.tracking)
    const period = periodFromKey(part.key)
    if (!tracking || !period || !sameLogin(tracking.author, self)) return undefined
    if (parseReviewMarker(tracking.body) !== part.key) return undefined
    return { tracking, period, part: issue }
  }
  const key = parseReviewMarker(issue.body)
  const period = key === undefined ? undefined : periodFromKey(key)
  if (!period || parseReviewMarker(bodyBefore) !== key) return undefined
  return { tracking: issue, period }
}

/**
 * Writes the review: one issue when every grant's boxes fit in one body; otherwise (and, once split, for the rest
 * of the period) the review issue tracks child issues, one per slice of the inventory (splitInventory), each linking
 * back to it. Only issues whose title or body changed are edited; a part the cut no longer needs is emptied and
 * closed. Returns the review issue, its body and the parts.
 */
async function publishReview(
  deps: ModeDeps,
  github: GitHubPort,
  input: {
    review: AccessReview
    options: ReviewIssueOptions
    existing?: IssueInfo
    /** Ticks in a body that no decision explains (undone, with a note). */
    notCountedIn: (body: string) => NotCounted[]
    /** The part an edit was made in, with the ticks of that edit that did not count. */
    edited?: { number: number; notCounted: NotCounted[] }
  }
): Promise<{ number: number; body: string; parts?: ReviewPartLink[] }> {
  const { review, options, existing } = input
  const label = deps.inputs.reviewLabel
  const write = async (title: string, body: string, current?: IssueInfo): Promise<IssueInfo> => {
    if (!current) return github.createIssue(title, body, [label])
    if (current.body !== body || current.title !== title) {
      await github.updateIssue(current.number, { title, body })
    }
    return current
  }
  const split = existing?.body.includes(REVIEW_SPLIT_MARKER) || !reviewFitsOneIssue(review, options)
  if (!split) {
    const single = renderReviewIssue(review, options)
    const issue = await write(single.title, single.body, existing)
    deps.io.info(`${existing ? 'Updated' : 'Opened'} access review #${issue.number}.`)
    return { number: issue.number, body: single.body }
  }

  const slices = splitInventory(review.inventory)
  // The review issue first: the parts link to its number.
  const provisional = renderReviewIssue(review, { ...options, parts: [] })
  const tracking = existing ?? (await write(provisional.title, provisional.body))
  const listed = new Map<number, IssueInfo>()
  for (const issue of await github.listIssuesWithMarker(
    label,
    reviewPartsPrefix(options.period.key)
  )) {
    const marker = parseReviewPartMarker(issue.body)
    if (marker?.tracking === tracking.number && !listed.has(marker.index)) {
      listed.set(marker.index, issue)
    }
  }
  const parts: ReviewPartLink[] = []
  let written = 0
  for (const [offset, sections] of slices.entries()) {
    const current = listed.get(offset + 1)
    const rendered = renderReviewPart(review, sections, {
      period: options.period,
      index: offset + 1,
      count: slices.length,
      tracking: tracking.number,
      decisions: options.decisions,
      due: options.due,
      notCounted:
        current && input.edited?.number === current.number
          ? input.edited.notCounted
          : current
            ? input.notCountedIn(current.body)
            : []
    })
    if (!current || current.body !== rendered.body || current.title !== rendered.title) written++
    const issue = await write(rendered.title, rendered.body, current)
    parts.push({ number: issue.number, sections })
  }
  for (const [index, issue] of listed) {
    if (index <= slices.length) continue
    const retired = renderRetiredPart(options.period, index, tracking.number)
    if (issue.body !== retired.body || issue.state !== 'closed') {
      await github.updateIssue(issue.number, { ...retired, state: 'closed' })
    }
  }
  const body = renderReviewIssue(review, { ...options, parts }).body
  if (tracking.body !== body || tracking.title !== provisional.title) {
    await github.updateIssue(tracking.number, { title: provisional.title, body })
  }
  deps.io.info(
    `${existing ? 'Updated' : 'Opened'} access review #${tracking.number} with ${plural(parts.length, 'part')} (${written} written).`
  )
  return { number: tracking.number, body, parts }
}

/**
 * When a decision was made: the edit's own time (the issue's updated_at in the event), which a queued run can start
 * long after; the run's clock when the event has none or names a time in the future.
 */
function editTime(updatedAt: string | undefined, now: Date): string {
  const edited = updatedAt === undefined ? NaN : Date.parse(updatedAt)
  if (Number.isNaN(edited) || edited > now.getTime() + MAX_CLOCK_SKEW_MS) return now.toISOString()
  return new Date(edited).toISOString()
}

function buildReview(
  deps: ModeDeps,
  desired: DesiredState,
  snapshot: Parameters<typeof buildAccessReview>[1],
  plan: Parameters<typeof buildAccessReview>[2],
  applications: GroupApplications
): AccessReview {
  return buildAccessReview(desired, snapshot, plan, {
    now: deps.now(),
    applications,
    staleAfterDays:
      deps.inputs.staleAfterDays ?? desired.settings.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
    expiryWarningDays: deps.inputs.expiryWarningDays
  })
}

/**
 * Once a review is complete (every grant decided or, past the due date, an exception, and every revocation carried
 * out), proposes its evidence: `access-reviews/<period>/` with record.json, record.csv and report.md, in a pull request
 * for the sign-off. Written once: the record is the account as it was when the review completed, and a branch or a
 * merged record already there is left alone. Returns whether the review is complete.
 */
async function proposeEvidence(
  deps: ModeDeps,
  github: GitHubPort,
  input: Omit<EvidenceInput, 'readAt' | 'apply'> & { issueNumber: number }
): Promise<boolean> {
  const readAt = deps.now().toISOString()
  if (!isReviewComplete(buildEvidenceRecord({ ...input, readAt }))) return false
  const base = deps.event.defaultBranch
  if (!base) {
    deps.io.warning(
      'The review is complete, but the event does not name the default branch for its evidence.'
    )
    return true
  }
  const folder = `access-reviews/${input.period.key}`
  const branch = `access-review/${input.period.key}-evidence`
  for (const ref of [base, branch]) {
    if ((await github.readFilesAtRef(ref, `${folder}/record.json`)).length > 0) return true
  }
  // The apply of the merged revocations pull request: the run and result its apply comment names.
  const apply = input.merged ? await readApplyComment(github, input.merged.number) : undefined
  const record = buildEvidenceRecord({ ...input, readAt, apply })
  const files = [
    { path: `${folder}/report.md`, content: renderEvidenceReport(record) },
    { path: `${folder}/record.csv`, content: evidenceCsv(record) },
    // Last: its presence on the branch means the evidence is complete there.
    { path: `${folder}/record.json`, content: `${JSON.stringify(record, null, 2)}\n` }
  ]
  const title = `Access review ${input.period.title}: evidence`
  const body = [
    `The evidence of access review #${input.issueNumber}: the population read, every grant with its decision, decider and time, the revocations and the exceptions (schema: \`schema/access-review-record.schema.json\` of the Action).`,
    '',
    `${record.totals.kept} kept, ${record.totals.revoked} revoked (${record.totals.removed} carried out), ${record.totals.exceptions} exceptions, of ${record.population.counts.grants + record.totals.removed} grants.`,
    '',
    'Approving and merging this pull request signs the review off.'
  ].join('\n')
  let pullRequest: { number: number; url: string } | undefined
  for (const file of files) {
    pullRequest = await github.createPullRequestWithFile({ branch, base, title, body, ...file })
  }
  deps.io.info(`The review is complete: evidence pull request #${pullRequest!.number}.`)
  return true
}

/**
 * What the apply run said about a merged pull request: our apply comment on it, its verdict and its run link. The
 * comment is ours, but people with write access can edit comments: the record says what it said, and the account read
 * (every revoked grant absent) is what proves the revocations were carried out.
 */
async function readApplyComment(
  github: GitHubPort,
  pullNumber: number
): Promise<EvidenceInput['apply']> {
  const self = await github.whoAmI()
  const comment = [...(await github.listIssueComments(pullNumber))]
    .reverse()
    .find((entry) => sameLogin(entry.author, self) && entry.body.includes(APPLY_COMMENT_MARKER))
  if (!comment) return undefined
  const verdict = /^\*\*(.+)\*\*$/m.exec(comment.body)?.[1] ?? ''
  const run = /\[Workflow run\]\((https:\/\/[^\s)]+)\)/.exec(comment.body)?.[1] ?? null
  return {
    commentId: comment.id,
    commentUpdatedAt: comment.updatedAt,
    edited: comment.updatedAt !== comment.createdAt,
    verdict,
    run
  }
}

/**
 * Closes the review once its evidence is signed off (evaluateSignoff): a comment says who signed off, then every
 * part and the review issue are closed. Returns whether it was.
 */
async function closeOnSignoff(
  deps: ModeDeps,
  github: GitHubPort,
  input: {
    issueNumber: number
    period: ReviewPeriod
    parts: readonly ReviewPartLink[]
    signoff: readonly string[]
  }
): Promise<boolean> {
  const base = deps.event.defaultBranch
  if (!base) return false
  const pull = await github.findPullRequestFromBranch(
    `access-review/${input.period.key}-evidence`,
    base
  )
  if (!pull) return false
  const reviewers =
    input.signoff.length === 0 ? [] : latestReviewStates(await github.listReviews(pull.number))
  const result = await evaluateSignoff({
    signoff: input.signoff,
    pull,
    reviewers,
    teamMembership: teamMembershipFrom(github),
    mayApprove: async (login) =>
      ['admin', 'maintain', 'write'].includes(await github.repositoryPermission(login))
  })
  if (!result.signed) {
    deps.io.info(`Evidence pull request #${pull.number} is not signed off yet: ${result.why}`)
    return false
  }
  await github.createComment(
    input.issueNumber,
    renderSignoffComment({ ...result, pullRequest: pull.number, at: deps.now().toISOString() })
  )
  for (const part of input.parts) await github.updateIssue(part.number, { state: 'closed' })
  await github.updateIssue(input.issueNumber, { state: 'closed' })
  deps.io.info(`Access review #${input.issueNumber} is signed off by ${result.by} and closed.`)
  return true
}

function ledgerOf(comments: CommentInfo[], self: string, periodKey: string): DecisionLedger {
  return readDecisionLedger(comments, (login) => sameLogin(login, self), periodKey)
}

/**
 * Reminds the owners who still have grants to decide, on the reminder days (a few before the due date, every day
 * after it, then escalating). One reminder a day at most: today's is found by its marker among our comments.
 */
async function remind(
  deps: ModeDeps,
  github: GitHubPort,
  self: string,
  input: {
    issueNumber: number
    periodKey: string
    review: AccessReview
    decisions: ReadonlyMap<string, DecisionRecord>
    comments: CommentInfo[]
    due: { date: string; daysLeft: number }
    escalateTo: string[]
    parts?: readonly ReviewPartLink[]
  }
): Promise<void> {
  const reminder = planReminder({
    sections: input.review.inventory,
    decisions: input.decisions,
    daysLeft: input.due.daysLeft,
    escalateTo: input.escalateTo
  })
  if (!reminder) return
  const today = deps.now().toISOString().slice(0, 10)
  const marker = reminderMarker(input.periodKey, today)
  if (
    input.comments.some(
      (comment) => sameLogin(comment.author, self) && comment.body.includes(marker)
    )
  ) {
    deps.io.info(`Today's reminder is already on #${input.issueNumber}.`)
    return
  }
  await github.createComment(
    input.issueNumber,
    renderReminderComment(reminder, {
      periodKey: input.periodKey,
      today,
      due: input.due.date,
      daysLeft: input.due.daysLeft,
      parts: input.parts
    })
  )
  deps.io.info(
    `Reminded ${reminder.owners.length} owner${reminder.owners.length === 1 ? '' : 's'} of ${reminder.undecided} undecided grant${reminder.undecided === 1 ? '' : 's'} on #${input.issueNumber}.`
  )
}

function addToLedger(ledger: DecisionLedger, attribution: Attribution): void {
  for (const record of attribution.accepted) {
    ledger.decisions.set(record.key, record)
    ledger.log.push(record)
  }
  ledger.refused.push(...attribution.refused)
}

function unexplained(body: string, ledger: DecisionLedger, explained: Tick[] = []): NotCounted[] {
  return unexplainedTicks(body, ledger.decisions, explained).map((tick) => ({
    ...tick,
    reason: UNEXPLAINED_REASON
  }))
}

/**
 * Keeps the review revocations pull request in step with the decisions: it removes from the access file every grant
 * revoked so far (and, past the due date with on_no_decision: revoke, every undecided one). It is written from the
 * checked-out default branch each time, so a revoke changed back to keep drops out of it again. Merging it is an
 * ordinary access change: the plan check, owner approvals and apply's guards all hold.
 */
async function syncRevocations(
  deps: ModeDeps,
  github: GitHubPort,
  input: {
    desired: DesiredState
    review: AccessReview
    ledger: DecisionLedger
    due: { daysLeft: number; onNoDecision: 'keep' | 'revoke' }
    period: ReviewPeriod
    issueNumber: number
  }
): Promise<
  | (ReviewRevocations & {
      failure?: string
      /** The revocations pull request merged earlier in the review, when one was. */
      merged?: { number: number; url: string; mergeCommitSha: string | null }
    })
  | undefined
> {
  const { io } = deps
  const revokeUndecided = input.due.daysLeft < 0 && input.due.onNoDecision === 'revoke'
  const set = reviewRevocations(input.review, input.ledger.decisions, revokeUndecided)
  // Once any revoke was recorded a pull request may exist, and it must follow a revoke changed back to keep.
  const mayExist =
    revokeUndecided || input.ledger.log.some((record) => record.decision === 'revoke')
  if (set.inFile.length === 0 && !mayExist) return set.notInFile.length > 0 ? { set } : undefined
  const base = deps.event.defaultBranch
  if (!base) {
    return { set, problem: 'the event does not name the default branch to propose it to.' }
  }
  const branch = `access-review/${input.period.key}-revocations`
  // Merged already: its grants are out of the file. Only revocations decided since need a pull request again, on
  // the branch started afresh from the default branch.
  const latest = await github.findPullRequestFromBranch(branch, base)
  const merged =
    latest?.merged === true
      ? { number: latest.number, url: latest.url, mergeCommitSha: latest.mergeCommitSha }
      : undefined
  if (merged && set.inFile.length === 0) return { set, pullRequest: merged, merged }
  const files = await deps.readWorkspaceFiles(deps.inputs.config)
  const edit = removeGrants(files, input.desired, set.inFile)
  if (!edit.ok) {
    io.warning(`The review revocations pull request was not written: ${edit.reason}`)
    return { set, problem: edit.reason }
  }
  const edited = new Map(edit.files.map((file) => [file.path, file.text]))
  const count = set.inFile.length
  // The title and body stay as first written (an open pull request is reused), so they carry no counts.
  const title = `Access review ${input.period.title}: revocations`
  const body = [
    `Removes from the access file the grants revoked in the access review #${input.issueNumber}: each was revoked by an owner there${revokeUndecided ? ', or nobody decided it by the due date (on_no_decision: revoke)' : ''}. The issue records who decided what, and when.`,
    '',
    'Kept in step with the review: the Action rewrites this branch as decisions arrive. Approve and merge it like any access change; apply then removes these grants from Cloudflare.'
  ].join('\n')
  let pullRequest: { number: number; url: string } | undefined
  try {
    for (const file of files) {
      pullRequest = await github.createPullRequestWithFile({
        branch,
        base,
        ...(merged && file === files[0] ? { reset: true } : {}),
        path: file.path,
        content: edited.get(file.path) ?? file.text,
        title,
        body,
        message: `Access review ${input.period.title}: revoke ${count} grant${count === 1 ? '' : 's'} (access review #${input.issueNumber})`
      })
    }
  } catch (error) {
    // The decisions are recorded already: the issue still shows them, says what failed, and the step fails.
    const failure = `The review revocations pull request could not be written: ${errorMessage(error)}`
    return { set, problem: errorMessage(error), failure }
  }
  if (pullRequest)
    io.info(`Review revocations pull request #${pullRequest.number}: ${count} grant(s).`)
  return { set, pullRequest, ...(merged ? { merged } : {}) }
}

function decisionOptions(
  desired: DesiredState,
  period: ReviewPeriod,
  now: Date,
  ledger: DecisionLedger | undefined,
  notCounted: NotCounted[]
) {
  return {
    decisions: ledger?.decisions,
    log: { decisions: ledger?.log ?? [], refused: ledger?.refused ?? [] },
    notCounted,
    ignoredRecords: ledger?.ignored.length ?? 0,
    due: reviewDue(desired.settings.review, period, now)
  }
}

/** The sender's e-mail addresses from `people:`; undefined when the file does not name them. */
function peopleEmails(desired: DesiredState, login: string): ReadonlySet<string> | undefined {
  const emails = desired.people?.[login.trim().toLowerCase()]
  return emails ? new Set(emails) : undefined
}
