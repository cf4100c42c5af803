/** The plan as GitHub Markdown: the sticky pull request comment and the job summary. */
import { renderGroupApplications } from './group-applications.js'
import type {
  Change,
  ConfigError,
  ExpiringGrant,
  Finding,
  FindingKind,
  GuardViolation,
  OwnerApproval,
  Plan,
  PlanReportInput
} from '../model/index.js'
import {
  DEFAULT_MAX_LENGTH,
  SUMMARY_MAX_BYTES,
  measureUtf8Bytes,
  renderKeepingRows,
  type KeptRows,
  type RowDetail
} from './cap.js'
import {
  ACTION_LABEL,
  ambiguousNames,
  causeLabel,
  changesByTarget,
  countChanges,
  formatInstant,
  isoDay,
  targetLabel,
  type TargetChanges
} from './labels.js'
import {
  codeSpan,
  escapeExternal,
  escapeMarkdown,
  escapeTableCell,
  link,
  mention,
  mentionList,
  plural,
  table
} from './markdown.js'

export const PLAN_COMMENT_MARKER = '<!-- cloudflare-access-as-code:plan -->'

const FINDING_LABEL: Record<FindingKind, string> = {
  'unknown-group': 'unknown group',
  'unknown-role': 'unknown role',
  'ambiguous-group': 'ambiguous group',
  'group-id-mismatch': 'group id mismatch',
  'empty-include': 'empty include',
  'group-limit': 'over a Cloudflare group limit',
  'policy-member': 'managed by permission policies',
  'no-zero-trust-user': 'no Zero Trust user'
}

export interface PlanCommentOptions {
  /** Characters; GitHub rejects bodies over 65,536. Default 60,000. */
  maxLength?: number
  /** The job summary of this run lists every change: a shortened comment may send readers there. */
  summaryComplete?: boolean
}

/**
 * The sticky pull request comment; deterministic, and never longer than `maxLength`. Over the limit it keeps the
 * detailed rows: reasons are left out first, then each list is cut with a count of what was left out.
 */
export function renderPlanComment(
  input: PlanReportInput,
  options: PlanCommentOptions = {}
): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH
  const summaryComplete = options.summaryComplete ?? false
  return renderKeepingRows(
    (detail) => renderPlan(input, { detail, marker: true, summaryComplete }),
    listLengths(input),
    maxLength
  ).text
}

/** The job summary (core.summary.addRaw): the same content, up to 1 MiB, cut the same way. */
export function renderPlanSummary(input: PlanReportInput): string {
  return planSummary(input).text
}

/** Both plan reports: the comment points at the summary only when the summary really lists every change. */
export function renderPlanReports(
  input: PlanReportInput,
  options: Omit<PlanCommentOptions, 'summaryComplete'> = {}
): { comment: string; summary: string } {
  const summary = planSummary(input)
  return {
    summary: summary.text,
    comment: renderPlanComment(input, { ...options, summaryComplete: summary.complete })
  }
}

function planSummary(input: PlanReportInput): KeptRows {
  return renderKeepingRows(
    (detail) => renderPlan(input, { detail, marker: false, summaryComplete: false }),
    listLengths(input),
    SUMMARY_MAX_BYTES,
    measureUtf8Bytes
  )
}

/** The changes (or validation errors) are the main list; findings, names and what groups open come after. */
function listLengths(input: PlanReportInput): { rows: number; otherRows: number } {
  const { plan } = input
  return {
    rows: Math.max(input.configErrors.length, plan?.changes.length ?? 0),
    otherRows: Math.max(
      plan ? plan.findings.length + plan.expiring.length : 0,
      plan?.unmanaged.groups.length ?? 0,
      plan?.unmanaged.roles.length ?? 0,
      plan && input.groupApplications ? plan.changes.length : 0
    )
  }
}

interface RenderOptions {
  detail: RowDetail
  marker: boolean
  /** The job summary lists every change (only ever true for the comment). */
  summaryComplete: boolean
}

function renderPlan(input: PlanReportInput, options: RenderOptions): string {
  const { plan } = input
  const blocks: string[] = []
  const head = options.marker ? [PLAN_COMMENT_MARKER] : []
  head.push('### Cloudflare Access plan', '', `**${planVerdict(input)}**`)
  blocks.push(head.join('\n'))
  const context = planContext(input)
  if (context) blocks.push(context)
  const shortened = shortenedNote(input, options)
  if (shortened) blocks.push(shortened)
  const { detail } = options
  if (input.configErrors.length > 0) blocks.push(renderConfigErrors(input.configErrors, detail))
  if (plan) {
    if (plan.guards.length > 0) blocks.push(renderGuards(plan.guards))
    blocks.push(...renderChanges(plan, input.requestedByPullRequest, detail))
  }
  if (plan && input.groupApplications) {
    const opened = renderGroupApplications(plan, input.groupApplications, detail.otherRows)
    if (opened) blocks.push(opened)
  }
  if (input.ownerApprovals.length > 0) blocks.push(renderApprovals(input.ownerApprovals))
  if (plan) {
    const warnings = renderWarnings(plan, detail)
    if (warnings) blocks.push(warnings)
  }
  // Without a plan and without validation errors the verdict already quotes the first note.
  const notes = !plan && input.configErrors.length === 0 ? input.notes.slice(1) : input.notes
  if (notes.length > 0) {
    blocks.push(['#### Notes', '', ...notes.map((note) => `- ${escapeMarkdown(note)}`)].join('\n'))
  }
  const footer = [
    input.runUrl ? link('Workflow run', input.runUrl) : '',
    input.planArtifact ? `the whole plan (JSON): ${artifactLink(input.planArtifact)}` : ''
  ].filter(Boolean)
  if (footer.length > 0) blocks.push(`<sub>${footer.join(' · ')}</sub>`)
  return blocks.join('\n\n') + '\n'
}

function artifactLink(artifact: { name: string; url?: string }): string {
  const name = codeSpan(artifact.name)
  return artifact.url && /^https?:\/\/[^\s<>()]+$/.test(artifact.url)
    ? `[${name}](${artifact.url})`
    : name
}

/** Which commit was planned, against which account, when. */
function planContext(input: PlanReportInput): string | undefined {
  const { plan } = input
  const parts: string[] = []
  if (input.headSha) parts.push(`Commit ${codeSpan(input.headSha.slice(0, 12))}`)
  if (plan) {
    parts.push(
      `account ${codeSpan(plan.accountId)}`,
      `planned at ${escapeMarkdown(formatInstant(plan.generatedAt))}`
    )
  }
  if (parts.length === 0) return undefined
  const text = parts.join(' · ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * Says what a shortened report leaves out and where the rest is, only naming a copy that exists: the job summary
 * when it lists every change, the plan artifact when one was uploaded.
 */
function shortenedNote(input: PlanReportInput, options: RenderOptions): string | undefined {
  const { plan } = input
  const { detail } = options
  const changes = plan?.changes.length ?? 0
  const lengths = listLengths(input)
  const rowsCut = detail.rows < lengths.rows || detail.otherRows < lengths.otherRows
  const reasonsCut = !detail.reasons && (plan?.changes.some((change) => change.reason) ?? false)
  if (!rowsCut && !reasonsCut) return undefined
  const what = options.marker ? 'comment' : 'summary'
  const shown =
    detail.rows < changes
      ? `it shows ${detail.rows} of ${plural(changes, 'change')}${reasonsCut ? ', without their reasons' : ''}, and each list says how much it leaves out`
      : rowsCut
        ? `it shows every change${reasonsCut ? ' without its reason' : ''}, and each other list says how much it leaves out`
        : 'it shows every change without its reason'
  const where: string[] = []
  if (options.summaryComplete) {
    const run = input.runUrl ? link('this workflow run', input.runUrl) : 'this workflow run'
    where.push(`Every change is listed in the job summary of ${run}.`)
  }
  if (input.planArtifact) {
    where.push(
      `The whole plan (JSON) is the workflow artifact ${artifactLink(input.planArtifact)}.`
    )
  } else if (!options.summaryComplete) {
    where.push(
      'No other copy holds what is left out: set `upload-plan: true` to keep the whole plan as a workflow artifact.'
    )
  }
  return `> [!NOTE]\n> This ${what} is shortened to fit GitHub's size limit: ${shown}. ${where.join(' ')}`
}

/** The one-line verdict that leads every plan report. */
export function planVerdict(input: PlanReportInput): string {
  const { plan } = input
  if (input.configErrors.length > 0) {
    return `⛔ Blocked: ${plural(input.configErrors.length, 'validation error')} in the access file.`
  }
  if (!plan) {
    const why = input.notes[0] ?? 'no plan could be made for this run.'
    return `⚠️ No live plan: ${escapeMarkdown(why)}`
  }
  const errors = plan.findings.filter((finding) => finding.severity === 'error')
  if (errors.length > 0) {
    return `⛔ Blocked: ${plural(errors.length, 'problem')} must be fixed before apply.`
  }
  const blocking = plan.guards.filter((guard) => !guard.overridden)
  if (blocking.length > 0) {
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more)` : ''
    return `⛔ Blocked by a guard: ${escapeMarkdown(blocking[0]!.message)}${more}`
  }
  if (plan.changes.length === 0) return '✅ No changes: Cloudflare matches the access file.'
  const { additions, removals } = countChanges(plan.changes)
  const counts = [
    additions > 0 ? plural(additions, 'addition') : '',
    removals > 0 ? plural(removals, 'removal') : ''
  ].filter(Boolean)
  const waiting = input.ownerApprovals.filter((approval) => approval.approvedBy.length === 0).length
  const approvals =
    waiting > 0
      ? ` ⏳ Waiting for owner approval of ${plural(waiting, 'group or role', 'groups and roles')}.`
      : ''
  return `📝 ${counts.join(', ')} (${changeBreakdown(plan.changes, input.requestedByPullRequest)}).${approvals}`
}

function changeBreakdown(changes: readonly Change[], requested?: readonly string[]): string {
  const parts: string[] = []
  const asked = requested ? new Set(requested) : undefined
  const rest = asked ? changes.filter((change) => !asked.has(change.key)) : changes
  if (asked) {
    const count = changes.filter((change) => asked.has(change.key)).length
    parts.push(`${count} asked for by this pull request`)
  } else {
    const count = rest.filter((change) => change.cause === 'requested').length
    if (count > 0) parts.push(`${count} requested`)
  }
  const expired = rest.filter((change) => change.cause === 'expired').length
  if (expired > 0) parts.push(plural(expired, 'expired grant'))
  // Outside the pull request's own changes, a requested change is one the base branch already asked for.
  const drift = rest.filter(
    (change) => change.cause === 'drift' || (asked !== undefined && change.cause === 'requested')
  ).length
  if (drift > 0) parts.push(plural(drift, 'drift correction'))
  return parts.join(', ')
}

function renderConfigErrors(errors: readonly ConfigError[], detail: RowDetail): string {
  const lines = errors
    .slice(0, detail.rows)
    .map(
      (error) =>
        `- ${codeSpan(`${error.file}:${error.line}:${error.column}`)} — ${escapeMarkdown(error.message)}`
    )
  if (errors.length > detail.rows) {
    lines.push(`- … ${plural(errors.length - detail.rows, 'more validation error')} not shown.`)
  }
  return [
    '#### ❌ Validation errors',
    '',
    ...lines,
    '',
    'Fix these in the access file and push again; nothing is planned or applied until the file is valid.'
  ].join('\n')
}

function renderGuards(guards: readonly GuardViolation[]): string {
  const lines = guards.map((guard) => {
    const input = codeSpan(guard.overrideInput)
    return guard.overridden
      ? `- ⚠️ ${escapeMarkdown(guard.message)} Overridden by ${input} here; apply goes ahead only where its step sets it too.`
      : `- ⛔ ${escapeMarkdown(guard.message)} To go ahead anyway, set ${input} (see below).`
  })
  const blocking = [...new Set(guards.filter((g) => !g.overridden).map((g) => g.overrideInput))]
  const blocks = ['#### 🛡️ Guards', '', ...lines]
  if (blocking.length > 0) {
    blocks.push(
      '',
      // The plan check fails too while a guard blocks, so the input must reach the plan step as well as the apply step.
      'Override only after checking the changes below: add this to the action step of both the plan and the apply workflow (for example in this pull request), and remove it after the apply:',
      '',
      '```yaml',
      'with:',
      ...blocking.map((name) => `  ${name}: true`),
      '```'
    )
  }
  return blocks.join('\n')
}

function renderChanges(
  plan: Plan,
  requested: readonly string[] | undefined,
  detail: RowDetail
): string[] {
  if (plan.changes.length === 0) return []
  // One budget across both sections: "shows 400 of 3,000 changes" counts rows wherever they are.
  const budget = { left: detail.rows }
  if (!requested) {
    return [['#### Changes', '', renderTargets(changesByTarget(plan), detail, budget)].join('\n')]
  }
  const asked = new Set(requested)
  const blocks: string[] = []
  const mine = changesByTarget(plan, (change) => asked.has(change.key))
  const others = changesByTarget(plan, (change) => !asked.has(change.key))
  blocks.push(
    [
      '#### Asked for by this pull request',
      '',
      mine.length > 0
        ? renderTargets(mine, detail, budget)
        : '_This pull request asks for no change to Cloudflare access._'
    ].join('\n')
  )
  if (others.length > 0) {
    blocks.push(
      [
        '#### Drift that merging will also correct',
        '',
        "Cloudflare differs from the base branch's file here too; apply makes Cloudflare match the file.",
        '',
        renderTargets(others, detail, budget)
      ].join('\n')
    )
  }
  return blocks
}

/** Each target's changes as a table, as many rows as the budget leaves; the rest are counted, never dropped. */
function renderTargets(
  targets: readonly TargetChanges[],
  detail: RowDetail,
  budget: { left: number }
): string {
  const blocks: string[] = []
  const unshown: string[] = []
  for (const { target, changes } of targets) {
    const all = changes.map((entry) => entry.change)
    const heading = `${targetHeading(target)} — ${countsText(all)}`
    const shown = all.slice(0, Math.max(0, budget.left))
    budget.left -= shown.length
    if (shown.length === 0) {
      unshown.push(`- ${heading}`)
      continue
    }
    const rows = shown.map((change) => {
      const cells = changeCells(change)
      return detail.reasons ? cells : cells.slice(0, -1)
    })
    const header = ['Change', 'Email', 'Cause', 'Expires', ...(detail.reasons ? ['Reason'] : [])]
    const lines = [heading, '', table(header, rows)]
    if (shown.length < all.length) {
      lines.push(
        '',
        `_… ${plural(all.length - shown.length, 'more change')} to this ${target.kind} not shown._`
      )
    }
    blocks.push(lines.join('\n'))
  }
  if (unshown.length > 0) {
    blocks.push(['Not shown, with their counts:', '', ...unshown].join('\n'))
  }
  return blocks.join('\n\n')
}

/**
 * A change's table cells (the reason last), escaped once: renderKeepingRows renders the plan again at each length it
 * tries, a dozen times for a long plan, and the plan's changes do not change in between.
 */
const cellsOfChange = new WeakMap<Change, readonly string[]>()

function changeCells(change: Change): readonly string[] {
  let cells = cellsOfChange.get(change)
  if (!cells) {
    cells = [
      ACTION_LABEL[change.action],
      codeSpan(change.email, { inTable: true }),
      escapeTableCell(causeText(change)),
      change.expires ? escapeTableCell(isoDay(change.expires)) : ' ',
      change.reason ? escapeTableCell(change.reason) : ' '
    ]
    cellsOfChange.set(change, cells)
  }
  return cells
}

function causeText(change: Change): string {
  const label = causeLabel(change)
  if (change.cause === 'requested' && change.source) {
    return `${label} (${change.source.file}:${change.source.line})`
  }
  return label
}

function targetHeading(target: { kind: 'group' | 'role'; name: string }): string {
  return `**${targetLabel(target)} ${escapeMarkdown(target.name)}**`
}

function countsText(changes: readonly Change[]): string {
  const { additions, removals } = countChanges(changes)
  return [
    additions > 0 ? plural(additions, 'addition') : '',
    removals > 0 ? plural(removals, 'removal') : ''
  ]
    .filter(Boolean)
    .join(', ')
}

function renderApprovals(approvals: readonly OwnerApproval[]): string {
  const lines = approvals.map((approval) => {
    const what = `${targetLabel(approval.target)} ${escapeMarkdown(approval.target.name)}`
    if (approval.approvedBy.length > 0) {
      return `- ✅ ${what}: approved by ${approval.approvedBy.map((login) => approverName(login, approval.owners)).join(', ')}`
    }
    if (approval.owners.length === 0) {
      return `- ⏳ ${what}: no owners are listed in the base branch's file`
    }
    return `- ⏳ ${what}: waiting for ${mentionList(approval.owners)}`
  })
  return [
    '#### 👥 Owner approvals',
    '',
    'Owners come from the base branch: a pull request cannot choose its own approvers.',
    '',
    ...lines
  ].join('\n')
}

/**
 * An approver listed as an owner is mentioned like every owner; one who approved as a member of an owner team is
 * named without a ping: reports only ever ping the owners the file lists.
 */
function approverName(login: string, owners: readonly string[]): string {
  const key = login.trim().replace(/^@/, '').toLowerCase()
  const isOwner = owners.some((owner) => owner.trim().replace(/^@/, '').toLowerCase() === key)
  return isOwner ? mention(login) : escapeMarkdown(`@${login.trim().replace(/^@/, '')}`)
}

function renderWarnings(plan: Plan, detail: RowDetail): string | undefined {
  const items: { line: string; kind: string }[] = [
    ...plan.findings.map((finding) => ({
      line: renderFinding(finding),
      kind: findingKind(finding)
    })),
    ...plan.expiring.map((grant) => ({ line: renderExpiring(grant), kind: '⏰ expiring soon' }))
  ]
  const lines = items.slice(0, detail.otherRows).map((item) => item.line)
  if (items.length > detail.otherRows) {
    const byKind = new Map<string, number>()
    for (const { kind } of items.slice(detail.otherRows))
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1)
    const counts = [...byKind].map(([kind, count]) => `${kind}: ${count}`).join(', ')
    lines.push(`- … ${items.length - detail.otherRows} more not shown (${counts}).`)
  }
  const unmanaged = renderUnmanaged(plan, detail)
  if (unmanaged) lines.push(unmanaged)
  if (lines.length === 0) return undefined
  if (plan.findings.some((finding) => finding.severity === 'error')) {
    return [
      '#### ❌ Problems and warnings',
      '',
      'Each ❌ blocks apply until it is fixed in the access file or in Cloudflare.',
      '',
      ...lines
    ].join('\n')
  }
  return ['#### ⚠️ Warnings', '', ...lines].join('\n')
}

function findingKind(finding: Finding): string {
  return `${finding.severity === 'error' ? '❌' : '⚠️'} ${FINDING_LABEL[finding.kind]}`
}

function renderFinding(finding: Finding): string {
  const icon = finding.severity === 'error' ? '❌' : '⚠️'
  // The message already says "Did you mean ...?" (the CLI and the failure text show it too): never add it twice.
  let line = `- ${icon} **${FINDING_LABEL[finding.kind]}**: ${escapeMarkdown(finding.message)}`
  if (finding.source) {
    line += ` (${codeSpan(`${finding.source.file}:${finding.source.line}:${finding.source.column}`)})`
  }
  return line
}

function renderExpiring(grant: ExpiringGrant): string {
  const when =
    grant.daysLeft <= 0 ? 'today' : grant.daysLeft === 1 ? 'tomorrow' : `in ${grant.daysLeft} days`
  return `- ⏰ ${codeSpan(grant.email)} in ${targetLabel(grant.target)} ${escapeMarkdown(grant.target.name)} expires ${escapeMarkdown(isoDay(grant.expires))} (${when})`
}

function renderUnmanaged(plan: Plan, detail: RowDetail): string | undefined {
  const { groups, roles } = plan.unmanaged
  if (groups.length === 0 && roles.length === 0) return undefined
  const ambiguous = ambiguousNames(plan)
  const names = (items: readonly { id: string; name: string }[]) => {
    const shown = items
      .slice(0, detail.otherRows)
      .map((item) =>
        item.id && ambiguous.has(item.name.toLowerCase())
          ? `${escapeExternal(item.name)} (id ${codeSpan(item.id)})`
          : escapeExternal(item.name)
      )
    if (items.length > detail.otherRows) shown.push(`and ${items.length - detail.otherRows} more`)
    return shown.join(', ')
  }
  const parts: string[] = []
  if (groups.length > 0) parts.push(`Access groups ${names(groups)}`)
  if (roles.length > 0) parts.push(`account roles ${names(roles)}`)
  return `- ℹ️ Not managed by this file, untouched: ${parts.join('; ')}.`
}
