/** The access-review issue: one per period, re-rendered in place, with ticks that reviewers set kept. */
import type { ApplyResult, Change, Target } from '../model/index.js'
import type { AccessReview, InventoryItem, InventorySection } from '../review/access-review.js'
import {
  decisionBoxComment,
  type Decision,
  type DecisionRecord,
  type RefusedTick
} from '../review/decisions.js'
import type { ReviewPeriod } from '../review/period.js'
import type { RevocationSet } from '../review/revocations.js'
import { DEFAULT_MAX_LENGTH, renderWithinLimit } from './cap.js'
import { sanitizeExternalText } from './untrusted-text.js'
import { ACTION_WORD, formatInstant, isoDay, targetLabel } from './labels.js'
import {
  codeSpan,
  escapeMarkdown,
  escapeTableCell,
  link,
  mentionList,
  plural,
  table
} from './markdown.js'

export const REVIEW_MARKER_PREFIX = '<!-- cloudflare-access-as-code:review:'
const MARKER_PATTERN = /<!-- cloudflare-access-as-code:review:([A-Za-z0-9-]+) -->/

/** In a review issue whose inventory is in child issues: runs keep it split for the rest of the period. */
export const REVIEW_SPLIT_MARKER = '<!-- cloudflare-access-as-code:review-split -->'

/** The hidden marker that finds this period's issue again; `key` is a period key such as 2026-Q4. */
export function reviewMarker(key: string): string {
  if (!/^[A-Za-z0-9-]+$/.test(key)) {
    throw new Error(`Review period key "${key}" may only contain letters, digits and "-".`)
  }
  return `${REVIEW_MARKER_PREFIX}${key} -->`
}

/** The period key in an issue body's marker, or undefined when the body has none. */
export function parseReviewMarker(body: string): string | undefined {
  return MARKER_PATTERN.exec(body)?.[1]
}

export interface ReviewIssueOptions {
  period: ReviewPeriod
  previousIssue?: { number: number; url: string }
  /** The latest decision per grant key, from the decision records. */
  decisions?: ReadonlyMap<string, DecisionRecord>
  /** Every decision that counted and every tick that did not, for the collapsed log. */
  log?: { decisions: readonly DecisionRecord[]; refused: readonly RefusedTick[] }
  /** Ticks this run undid, and why: shown at the top so the person who ticked sees it. */
  notCounted?: readonly NotCounted[]
  /** Comments carrying the decision-record marker that were ignored (not ours, or edited since). */
  ignoredRecords?: number
  /** When the review is due and what happens then to grants nobody decided. */
  due?: ReviewDue
  /** The grants this review revokes and the pull request that removes them from the access file. */
  revocations?: ReviewRevocations
  /** Result of revoking expired grants in this run. */
  revokedExpired?: ApplyResult
  /** Where the untruncated review can be found when the body must be shortened. */
  runUrl?: string
  /** Characters; default 60,000. */
  maxLength?: number
  /**
   * The child issues that hold the inventory when one body cannot (see splitInventory): this issue is then the
   * tracking issue, and shows the parts with their progress instead of the decision boxes.
   */
  parts?: readonly ReviewPartLink[]
}

/** One child issue of a split review, as the tracking issue links it. */
export interface ReviewPartLink {
  number: number
  /** The grants it holds: whole sections, or one slice of a section too large for one body. */
  sections: readonly InventorySection[]
}

/** Split: each group or role to the child issues holding it (a large one can span several), so owners see where to go. */
export function partNumbersOf(parts: readonly ReviewPartLink[]): Map<Target, number[]> {
  const partsOf = new Map<Target, number[]>()
  for (const part of parts) {
    for (const slice of part.sections) {
      const numbers = partsOf.get(slice.target) ?? []
      if (!numbers.includes(part.number)) numbers.push(part.number)
      partsOf.set(slice.target, numbers)
    }
  }
  return partsOf
}

/** Levels of detail: 0 full; 1 findings as counts; 2 also undecided, revocations and the log as counts. */
const LEVELS = 3
/** Decision-log entries a shortened body still lists (the newest). */
const SHORT_LOG_ENTRIES = 50

export interface NotCounted {
  key: string
  decision: Decision
  /** Who ticked, when known. */
  by?: string
  reason: string
}

export interface ReviewDue {
  /** YYYY-MM-DD. */
  date: string
  /** Whole days left; negative once passed. */
  daysLeft: number
  onNoDecision: 'keep' | 'revoke'
}

export interface ReviewRevocations {
  set: RevocationSet
  pullRequest?: { number: number; url: string }
  /** Why no pull request could be written, when it could not. */
  problem?: string
}

export function renderReviewIssue(
  review: AccessReview,
  options: ReviewIssueOptions
): { title: string; body: string } {
  const title = `Cloudflare access review: ${options.period.title}`
  const body = renderWithinLimit(
    (level, shortened) => renderBody(review, options, level, shortened),
    LEVELS,
    options.maxLength ?? DEFAULT_MAX_LENGTH
  )
  return { title, body }
}

/**
 * Whether the review fits one issue with every decision box: its least detailed rendering is within the limit. When
 * it is not, the inventory goes to child issues (splitInventory) and this issue tracks them.
 */
export function reviewFitsOneIssue(review: AccessReview, options: ReviewIssueOptions): boolean {
  const body = renderBody(review, { ...options, parts: undefined }, LEVELS - 1, true)
  return body.length <= (options.maxLength ?? DEFAULT_MAX_LENGTH)
}

function renderBody(
  review: AccessReview,
  options: ReviewIssueOptions,
  level: number,
  shortened: boolean
): string {
  const { period } = options
  const decisions = options.decisions ?? new Map<string, DecisionRecord>()
  const decisionOf = (item: InventoryItem) => decisions.get(item.key)
  const blocks: string[] = []
  const due = options.due
  blocks.push(
    [
      reviewMarker(period.key) + (options.parts ? `\n${REVIEW_SPLIT_MARKER}` : ''),
      `## Cloudflare access review: ${escapeMarkdown(period.title)}`,
      '',
      `Period ${period.start} to ${period.end}${due ? ` · due ${due.date} (${dueText(due.daysLeft)})` : ''} · account ${codeSpan(review.accountId)} · updated ${escapeMarkdown(formatInstant(review.generatedAt))}`
    ].join('\n')
  )
  if (options.previousIssue) {
    // A bare #number is GitHub's own issue reference: it renders as a link with the issue's title and state.
    blocks.push(`Previous review: #${options.previousIssue.number}`)
  }
  if (shortened) {
    const where = options.runUrl ? link('this workflow run', options.runUrl) : 'the workflow run'
    blocks.push(
      `> [!NOTE]\n> This issue is shortened to fit GitHub's size limit; lists are reduced to counts. The full review is in the job summary of ${where}.`
    )
  }
  const notCounted = renderNotCounted(review.inventory, options.notCounted ?? [])
  if (notCounted) blocks.push(notCounted)
  if (options.ignoredRecords) {
    blocks.push(
      `> [!CAUTION]\n> ${plural(options.ignoredRecords, 'comment')} carrying a decision record ${options.ignoredRecords === 1 ? 'was' : 'were'} ignored: only records the Action wrote and nobody edited count.`
    )
  }
  const afterDue = afterDueText(due)
  blocks.push(howToReview(afterDue, options.parts))
  blocks.push(renderProgress(review.inventory, decisionOf, options.parts))
  const overdue =
    due && due.daysLeft < 0 ? renderUndecided(review.inventory, decisionOf, due, level) : undefined
  if (overdue) blocks.push(overdue)
  const revocations = options.revocations
    ? renderRevocations(options.revocations, level)
    : undefined
  if (revocations) blocks.push(revocations)
  if (options.revokedExpired) {
    blocks.push(renderRevoked(options.revokedExpired))
  }
  blocks.push(...renderFindings(review, level, options.revokedExpired !== undefined))
  blocks.push(
    options.parts
      ? renderPartsTable(options.parts, decisionOf)
      : renderInventory(review.inventory, decisionOf)
  )
  if (options.log) blocks.push(renderLog(review.inventory, options.log, level))
  return blocks.join('\n\n') + '\n'
}

/** The instructions at the top of the review (and of each of its parts). */
export function howToReview(afterDue: string, parts?: readonly ReviewPartLink[]): string {
  return [
    parts
      ? `**How to review:** the grants are in ${plural(parts.length, 'child issue')} listed under Parts (one issue holds at most 65,536 characters); owners, open the parts that hold the groups and roles you own and tick **keep** if the access is still needed or **revoke** if it is not.`
      : '**How to review:** owners, for each grant below in the groups and roles you own, tick **keep** if the access is still needed or **revoke** if it is not.',
    'A tick counts only from an owner of that group or role, and never for your own grant (another owner decides it); the Action records who decided and when, and undoes any tick that does not count.',
    'To change a decision, tick the other box.',
    `Grants nobody decides by the due date are ${afterDue}.`
  ].join(' ')
}

/** What happens to undecided grants after the due date, as the instructions say it. */
export function afterDueText(due: ReviewDue | undefined): string {
  return due?.onNoDecision === 'revoke'
    ? 'revoked (they still need approval in the pull request that removes them)'
    : 'kept and listed as exceptions'
}

export type DecisionOf = (item: InventoryItem) => DecisionRecord | undefined

interface Tally {
  kept: number
  revoked: number
  total: number
}

export function tally(sections: readonly InventorySection[], decisionOf: DecisionOf): Tally {
  const count: Tally = { kept: 0, revoked: 0, total: 0 }
  for (const section of sections) {
    for (const item of section.items) {
      count.total += 1
      const decision = decisionOf(item)?.decision
      if (decision === 'keep') count.kept += 1
      if (decision === 'revoke') count.revoked += 1
    }
  }
  return count
}

function renderProgress(
  sections: readonly InventorySection[],
  decisionOf: DecisionOf,
  parts?: readonly ReviewPartLink[]
): string {
  const partsOf = partNumbersOf(parts ?? [])
  const byOwner = new Map<string, { label: string; sections: InventorySection[] }>()
  for (const section of sections) {
    const owners = section.owners.length > 0 ? section.owners : ['']
    for (const owner of owners) {
      const key = owner.trim().replace(/^@/, '').toLowerCase()
      const entry = byOwner.get(key) ?? {
        label: owner === '' ? '_no owner listed_' : mentionList([owner]),
        sections: []
      }
      entry.sections.push(section)
      byOwner.set(key, entry)
    }
  }
  const rows = [...byOwner.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => {
      const count = tally(entry.sections, decisionOf)
      const left = count.total - count.kept - count.revoked
      return [
        entry.label,
        `${progressIcon(left)} ${left} of ${count.total}`,
        String(count.kept),
        String(count.revoked),
        parts
          ? [...new Set(entry.sections.flatMap((section) => partsOf.get(section.target) ?? []))]
              .sort((a, b) => a - b)
              .map((number) => `#${number}`)
              .join(', ')
          : entry.sections
              .map(
                (section) =>
                  `${targetLabel(section.target)} ${escapeTableCell(section.target.name)}`
              )
              .join(', ')
      ]
    })
  const total = tally(sections, decisionOf)
  const left = total.total - total.kept - total.revoked
  return [
    '### Progress',
    '',
    `${progressIcon(left)} Decided ${total.kept + total.revoked} of ${plural(total.total, 'grant')} in ${plural(sections.length, 'managed group or role', 'managed groups and roles')}: ${total.kept} kept, ${total.revoked} revoked, ${left} left.`,
    '',
    rows.length > 0
      ? table(['Owner', 'Left', 'Kept', 'Revoked', parts ? 'Parts' : 'Groups and roles'], rows)
      : '_Nothing to decide._'
  ].join('\n')
}

export function progressIcon(left: number): string {
  return left <= 0 ? '✅' : '⏳'
}

export function dueText(daysLeft: number): string {
  if (daysLeft < 0) return daysLeft === -1 ? 'passed yesterday' : `passed ${-daysLeft} days ago`
  return daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`
}

function grantIndex(
  sections: readonly InventorySection[]
): Map<string, { item: InventoryItem; section: InventorySection }> {
  const grants = new Map<string, { item: InventoryItem; section: InventorySection }>()
  for (const section of sections) {
    for (const item of section.items) grants.set(item.key, { item, section })
  }
  return grants
}

function grantText(
  grants: ReadonlyMap<string, { item: InventoryItem; section: InventorySection }>,
  key: string,
  inTable = false
): string {
  const grant = grants.get(key)
  if (!grant) return 'a grant no longer in this review'
  const name = inTable
    ? escapeTableCell(grant.section.target.name)
    : escapeMarkdown(grant.section.target.name)
  return `${codeSpan(grant.item.email, { inTable })} in ${targetLabel(grant.section.target)} ${name}`
}

export function renderNotCounted(
  sections: readonly InventorySection[],
  entries: readonly NotCounted[]
): string | undefined {
  if (entries.length === 0) return undefined
  const grants = grantIndex(sections)
  const lines = entries.map((entry) => {
    const who = entry.by ? `${codeSpan(entry.by)} ticked` : 'A tick on'
    return `> - ${who} **${entry.decision}** for ${grantText(grants, entry.key)}: ${escapeMarkdown(entry.reason)}`
  })
  return ['> [!WARNING]', '> These ticks did not count and were undone:', ...lines].join('\n')
}

function renderUndecided(
  sections: readonly InventorySection[],
  decisionOf: DecisionOf,
  due: ReviewDue,
  level: number
): string | undefined {
  const lines: string[] = []
  for (const section of sections) {
    for (const item of section.items) {
      if (decisionOf(item)) continue
      lines.push(
        `- ${codeSpan(item.email)} in ${targetLabel(section.target)} ${escapeMarkdown(section.target.name)} · owners: ${mentionList(section.owners)}`
      )
    }
  }
  if (lines.length === 0) return undefined
  const [heading, intro] =
    due.onNoDecision === 'revoke'
      ? [
          'Undecided after the due date: to be revoked',
          `The due date ${due.date} passed without a decision (on_no_decision: revoke); these are removed through the review revocations pull request, which still needs approval.`
        ]
      : [
          'Exceptions: undecided after the due date',
          `The due date ${due.date} passed without a decision (on_no_decision: keep); these grants stay and are recorded as exceptions.`
        ]
  const listed = level >= 2 ? [`${plural(lines.length, 'grant')}; each part shows its own.`] : lines
  return [`### ${heading}`, '', intro, '', ...listed].join('\n')
}

function renderRevocations(revocations: ReviewRevocations, level: number): string | undefined {
  const { set, pullRequest, problem } = revocations
  const list = (items: RevocationSet['inFile']) =>
    level >= 2 ? `${plural(items.length, 'grant')}.` : items.map(line).join('\n')
  if (set.inFile.length === 0 && set.notInFile.length === 0) return undefined
  const line = (revocation: RevocationSet['inFile'][number]) =>
    `- ${codeSpan(revocation.email)} in ${targetLabel(revocation.target)} ${escapeMarkdown(revocation.target.name)} · ${
      revocation.decision
        ? `revoked by ${codeSpan(revocation.decision.by)}`
        : 'no decision by the due date'
    }`
  const blocks = ['### Revocations']
  if (set.inFile.length > 0) {
    blocks.push(
      problem
        ? `> [!WARNING]\n> No revocations pull request could be written: ${escapeMarkdown(problem)}`
        : pullRequest
          ? `Pull request #${pullRequest.number} removes these from the access file; once owners approve it and it is merged, apply removes them from Cloudflare.`
          : 'These are to be removed from the access file.',
      list(set.inFile)
    )
  }
  if (set.notInFile.length > 0) {
    blocks.push(
      'Not in the access file (drift): the next apply removes these from authoritative groups and roles.',
      list(set.notInFile)
    )
  }
  return blocks.join('\n\n')
}

function renderLog(
  sections: readonly InventorySection[],
  log: { decisions: readonly DecisionRecord[]; refused: readonly RefusedTick[] },
  level: number
): string {
  const grants = grantIndex(sections)
  const entries = [
    ...log.decisions.map((record) => ({ ...record, reason: undefined as string | undefined })),
    ...log.refused
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  const shown = level >= 2 ? entries.slice(-SHORT_LOG_ENTRIES) : entries
  const rows = shown.map((entry) => [
    escapeTableCell(formatInstant(entry.at)),
    codeSpan(entry.by, { inTable: true }),
    entry.reason === undefined
      ? entry.decision === 'keep'
        ? 'kept'
        : 'revoked'
      : `not counted (${entry.decision}): ${escapeTableCell(entry.reason)}`,
    grantText(grants, entry.key, true)
  ])
  return [
    `<details><summary>Decision log (${plural(entries.length, 'entry', 'entries')})</summary>`,
    '',
    ...(shown.length < entries.length
      ? [
          `The newest ${shown.length}; every entry is in the decision-record comments below and in the evidence record.`,
          ''
        ]
      : []),
    rows.length > 0 ? table(['When', 'Who', 'Decision', 'Grant'], rows) : '_No decisions yet._',
    '',
    '</details>'
  ].join('\n')
}

/** Lists the executor's outcome for each expired change it was given: no re-matching of writes to changes. */
function renderRevoked(result: ApplyResult): string {
  const lines = result.outcomes.map(({ change, status, reason }) => {
    const what = `${ACTION_WORD[change.action]} ${codeSpan(change.email)} from ${targetLabel(change.target)} ${escapeMarkdown(change.target.name)}`
    const expiredOn = change.expires ? ` (expired ${escapeMarkdown(isoDay(change.expires))})` : ''
    const why = reason ? `: ${escapeMarkdown(reason)}` : ''
    switch (status) {
      case 'applied':
        return result.dryRun ? `- 🧪 would ${what}${expiredOn}` : `- ✅ ${what}${expiredOn}`
      case 'failed':
        return `- ❌ failed to ${what}${expiredOn}${why}`
      case 'skipped':
        return `- ⏭️ skipped: ${what}${expiredOn}${why}`
    }
  })
  const heading = result.dryRun
    ? '### Expired grants (dry run: nothing was revoked)'
    : '### Expired grants revoked by this run'
  const totals = `${result.applied} ${result.dryRun ? 'would be revoked' : 'revoked'}, ${result.failed} failed, ${result.skipped} skipped.`
  return [heading, '', totals, '', ...(lines.length > 0 ? lines : ['_No expired grants._'])].join(
    '\n'
  )
}

function renderFindings(review: AccessReview, level: number, revoked: boolean): string[] {
  const where = (targets: readonly Target[]) =>
    targets.map((target) => `${targetLabel(target)} ${escapeMarkdown(target.name)}`).join(', ')
  const changeLine = (change: Change) =>
    `- ${codeSpan(change.email)} in ${targetLabel(change.target)} ${escapeMarkdown(change.target.name)}` +
    (change.expires
      ? ` (${change.cause === 'expired' ? 'expired' : 'until'} ${escapeMarkdown(isoDay(change.expires))})`
      : '')
  const section = (heading: string, intro: string, lines: string[]): string | undefined => {
    if (lines.length === 0) return undefined
    const body = level >= 1 ? [plural(lines.length, 'entry', 'entries') + '.'] : lines
    return [`### ${heading}`, '', intro, '', ...body].join('\n')
  }
  const blocks = [
    section(
      'Drift: in Cloudflare, not in the file',
      'The next apply removes these; add them to the file if they should stay.',
      review.drift.notInFile.map(changeLine)
    ),
    section(
      'Drift: in the file, missing from Cloudflare',
      'The next apply adds these.',
      review.drift.notInCloudflare.map(changeLine)
    ),
    revoked
      ? undefined
      : section(
          'Expired grants still in Cloudflare',
          'Their end date in the file has passed; the next apply removes them.',
          review.expired.map(changeLine)
        ),
    section(
      `Expiring within ${plural(review.expiryWarningDays, 'day')}`,
      'Extend the end date in the file if the access is still needed.',
      review.expiringSoon.map(
        (grant) =>
          `- ${codeSpan(grant.email)} in ${targetLabel(grant.target)} ${escapeMarkdown(grant.target.name)} expires ${escapeMarkdown(isoDay(grant.expires))} (${daysLeftText(grant.daysLeft)})`
      )
    ),
    section(
      `Stale access: no Zero Trust login in ${plural(review.staleAfterDays, 'day')}`,
      `Last login is the last successful Cloudflare Access login. Consider removing access nobody uses. ${staleSeatsText(review.stale)}`,
      review.stale.map(
        (entry) =>
          `- ${codeSpan(entry.email)} — ${loginText(entry)} · ${where(entry.targets)}` +
          (entry.seats.length > 0 ? ` · seats: ${entry.seats.join(', ')}` : '')
      )
    ),
    section(
      'No Zero Trust user',
      'These e-mails never signed in through Cloudflare Access; check the spelling.',
      review.noZeroTrustUser.map((entry) => `- ${codeSpan(entry.email)} · ${where(entry.targets)}`)
    ),
    section(
      'Pending invitations',
      'Invited to the account but not accepted yet.',
      review.pendingInvitations.map(
        (entry) =>
          `- ${codeSpan(entry.email)} · ${entry.roles.map(escapeMarkdown).join(', ') || 'no roles'}`
      )
    ),
    review.applications?.status === 'forbidden'
      ? `### Applications\n\nThe token cannot read Access applications, so this review does not say what each group opens; grant "${escapeMarkdown(review.applications.permission)}" to add it.`
      : undefined,
    section(
      'Managed groups no application uses',
      'No Access application policy names these groups: membership of them opens nothing. Consider retiring them.',
      review.unusedGroups.map((target) => `- ${targetLabel(target)} ${escapeMarkdown(target.name)}`)
    ),
    section(
      'Members managed by permission policies',
      'Role management never changes these members; review their policies in the Cloudflare dashboard.',
      review.policyMembers.map((entry) => `- ${codeSpan(entry.email)}`)
    )
  ]
  return blocks.filter((block): block is string => block !== undefined)
}

function renderInventory(sections: readonly InventorySection[], decisionOf: DecisionOf): string {
  const blocks = ['### Inventory']
  for (const section of sections) blocks.push(renderInventorySection(section, decisionOf))
  if (sections.length === 0) blocks.push('_The access file manages no groups or roles._')
  return blocks.join('\n\n')
}

export interface SectionStyle {
  /** Days since the last login beside its date; child issues leave it out so they change only with decisions. */
  relativeLogin: boolean
  /** Heading suffix, e.g. " (grants 1 to 240 of 1,000)" for a slice of a large section. */
  headingSuffix?: string
}

/** One group or role with its grants and their keep and revoke boxes. */
export function renderInventorySection(
  section: InventorySection,
  decisionOf: DecisionOf,
  style: SectionStyle = { relativeLogin: true }
): string {
  const count = tally([section], decisionOf)
  const left = count.total - count.kept - count.revoked
  const lines = section.items.map((item) => renderInventoryItem(item, decisionOf(item), style))
  return [
    `#### ${targetLabel(section.target)} ${escapeMarkdown(section.target.name)}${style.headingSuffix ?? ''}`,
    '',
    `${progressIcon(left)} ${left} of ${count.total} left (${count.kept} kept, ${count.revoked} revoked) · owners: ${mentionList(section.owners)}`,
    ...sectionContext(section),
    '',
    ...(lines.length > 0 ? lines : ['_No members._'])
  ].join('\n')
}

export function renderInventoryItem(
  item: InventoryItem,
  decided: DecisionRecord | undefined,
  style: SectionStyle = { relativeLogin: true }
): string {
  const details = [loginText(item, style.relativeLogin)]
  if (item.expires) details.push(`expires ${escapeMarkdown(isoDay(item.expires))}`)
  if (!item.inFile) details.push('not in the file')
  if (item.memberStatus && item.memberStatus !== 'accepted') {
    details.push(`membership ${escapeMarkdown(item.memberStatus)}`)
  }
  if (item.policyManaged) details.push('managed elsewhere (permission policies)')
  if (decided) {
    details.push(
      `**${decided.decision === 'keep' ? 'kept' : 'revoked'}** by ${codeSpan(decided.by)} ${escapeMarkdown(formatInstant(decided.at))}`
    )
  }
  const box = (decision: Decision) =>
    `  - [${decided?.decision === decision ? 'x' : ' '}] ${decision} ${decisionBoxComment(decision, item.key)}`
  return [`- ${codeSpan(item.email)} — ${details.join(' · ')}`, box('keep'), box('revoke')].join(
    '\n'
  )
}

/** What a group opens and who it lets in besides the grants listed, under its heading. */
export function sectionContext(section: InventorySection): string[] {
  const lines: string[] = []
  if (section.opens) {
    lines.push(
      section.opens.length > 0
        ? `Opens: ${section.opens.map((name) => codeSpan(sanitizeExternalText(name, 120))).join(', ')}`
        : 'Opens: no application uses this group.'
    )
  }
  if (section.managedElsewhere) {
    lines.push(
      `Managed elsewhere (not listed as grants, no boxes): ${section.managedElsewhere
        .map((rule) => codeSpan(sanitizeExternalText(rule, 120)))
        .join(', ')}`
    )
  }
  return lines.length > 0 ? ['', ...lines] : []
}

/** The tracking issue's list of child issues, each with its groups and roles and what is left to decide in it. */
function renderPartsTable(parts: readonly ReviewPartLink[], decisionOf: DecisionOf): string {
  const rows = parts.map((part) => {
    const count = tally(part.sections, decisionOf)
    const left = count.total - count.kept - count.revoked
    const first = part.sections[0]
    const last = part.sections[part.sections.length - 1]
    const name = (section: InventorySection | undefined) =>
      section ? `${targetLabel(section.target)} ${escapeTableCell(section.target.name)}` : ''
    const what =
      part.sections.length <= 1
        ? name(first)
        : `${name(first)} … ${name(last)} (${part.sections.length})`
    return [
      `#${part.number}`,
      what,
      `${progressIcon(left)} ${left} of ${count.total}`,
      String(count.kept),
      String(count.revoked)
    ]
  })
  return [
    '### Parts',
    '',
    `The inventory, with the keep and revoke boxes, is in ${plural(parts.length, 'child issue')}; each links back here.`,
    '',
    table(['Part', 'Groups and roles', 'Left', 'Kept', 'Revoked'], rows)
  ].join('\n')
}

function staleSeatsText(stale: AccessReview['stale']): string {
  const seats = stale.reduce((sum, entry) => sum + entry.seats.length, 0)
  const holders = stale.filter((entry) => entry.seats.length > 0).length
  return seats === 0
    ? 'They hold no Zero Trust seats.'
    : `${plural(holders, 'of them holds', 'of them hold')} ${plural(seats, 'Zero Trust seat')}.`
}

function loginText(
  login: {
    hasZeroTrustUser: boolean
    lastLogin: string | null
    daysSinceLogin: number | null
  },
  relative = true
): string {
  if (!login.hasZeroTrustUser) return 'no Zero Trust user'
  if (login.lastLogin === null || login.daysSinceLogin === null) return 'never logged in'
  if (!relative) return `last login ${escapeMarkdown(isoDay(login.lastLogin))}`
  const days = login.daysSinceLogin
  const ago = days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`
  return `last login ${escapeMarkdown(isoDay(login.lastLogin))} (${ago})`
}

function daysLeftText(daysLeft: number): string {
  return daysLeft <= 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`
}
