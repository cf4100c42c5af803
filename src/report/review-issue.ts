/** The access-review issue: one per period, re-rendered in place, with ticks that reviewers set kept. */
import type { ApplyResult, Change, OperationResult, Target } from '../model/index.js'
import type { AccessReview, InventoryItem, InventorySection } from '../review/access-review.js'
import { certificationComment, type CertificationState } from '../review/certifications.js'
import type { ReviewPeriod } from '../review/period.js'
import { DEFAULT_MAX_LENGTH, renderWithinLimit } from './cap.js'
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
  /** Ticks read from this period's issue before it is re-rendered. */
  certifications?: CertificationState
  /** Result of revoking expired grants in this run. */
  revokedExpired?: ApplyResult
  /**
   * The expired changes that run revoked, from the plan made before revoking. Without them the review's own
   * expired list is used, and writes it does not explain (it was re-read after revoking) are listed as they are.
   */
  revokedChanges?: Change[]
  /** Where the untruncated review can be found when the body must be shortened. */
  runUrl?: string
  /** Characters; default 60,000. */
  maxLength?: number
}

export function renderReviewIssue(
  review: AccessReview,
  options: ReviewIssueOptions
): { title: string; body: string } {
  const title = `Cloudflare access review: ${options.period.title}`
  const body = renderWithinLimit(
    (level, shortened) => renderBody(review, options, level, shortened),
    2,
    options.maxLength ?? DEFAULT_MAX_LENGTH
  )
  return { title, body }
}

function renderBody(
  review: AccessReview,
  options: ReviewIssueOptions,
  level: number,
  shortened: boolean
): string {
  const { period } = options
  const ticks = options.certifications ?? {}
  const isCertified = (item: InventoryItem) => ticks[item.key] === true
  const blocks: string[] = []
  blocks.push(
    [
      reviewMarker(period.key),
      `## Cloudflare access review: ${escapeMarkdown(period.title)}`,
      '',
      `Period ${period.start} to ${period.end} · account ${codeSpan(review.accountId)} · updated ${escapeMarkdown(formatInstant(review.generatedAt))}`
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
  blocks.push(
    [
      '**How to review:** owners, tick each person below whose access is still needed in the groups and roles you own.',
      'For anyone who no longer needs it, remove them from the access file in a pull request; unticked people are not removed automatically.',
      'Ticks are kept when this issue is updated during the period.'
    ].join(' ')
  )
  blocks.push(renderProgress(review.inventory, isCertified))
  if (options.revokedExpired) {
    blocks.push(renderRevoked(options.revokedChanges ?? review.expired, options.revokedExpired))
  }
  blocks.push(...renderFindings(review, level, options.revokedExpired !== undefined))
  blocks.push(renderInventory(review.inventory, isCertified))
  return blocks.join('\n\n') + '\n'
}

function renderProgress(
  sections: readonly InventorySection[],
  isCertified: (item: InventoryItem) => boolean
): string {
  const byOwner = new Map<
    string,
    { label: string; certified: number; total: number; what: string[] }
  >()
  for (const section of sections) {
    const owners = section.owners.length > 0 ? section.owners : ['']
    const certified = section.items.filter(isCertified).length
    for (const owner of owners) {
      const key = owner.trim().replace(/^@/, '').toLowerCase()
      const entry = byOwner.get(key) ?? {
        label: owner === '' ? '_no owner listed_' : mentionList([owner]),
        certified: 0,
        total: 0,
        what: []
      }
      entry.certified += certified
      entry.total += section.items.length
      entry.what.push(`${targetLabel(section.target)} ${escapeTableCell(section.target.name)}`)
      byOwner.set(key, entry)
    }
  }
  const rows = [...byOwner.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]) => [
      entry.label,
      `${progressIcon(entry.certified, entry.total)} ${entry.certified} of ${entry.total}`,
      entry.what.join(', ')
    ])
  const total = sections.reduce((sum, section) => sum + section.items.length, 0)
  const certified = sections.reduce(
    (sum, section) => sum + section.items.filter(isCertified).length,
    0
  )
  return [
    '### Certification progress',
    '',
    `${progressIcon(certified, total)} Certified ${certified} of ${plural(total, 'grant')} in ${plural(sections.length, 'managed group or role', 'managed groups and roles')}.`,
    '',
    rows.length > 0
      ? table(['Owner', 'Certified', 'Groups and roles'], rows)
      : '_Nothing to certify._'
  ].join('\n')
}

function progressIcon(certified: number, total: number): string {
  return certified >= total ? '✅' : '⏳'
}

function renderRevoked(expired: readonly Change[], result: ApplyResult): string {
  const explained = new Set<OperationResult>()
  const lines = expired.map((change) => {
    const outcome = findOutcome(change, result)
    if (outcome) explained.add(outcome)
    const what = `${ACTION_WORD[change.action]} ${codeSpan(change.email)} from ${targetLabel(change.target)} ${escapeMarkdown(change.target.name)}`
    const expiredOn = change.expires ? ` (expired ${escapeMarkdown(isoDay(change.expires))})` : ''
    if (!outcome) return `- ⏭️ not attempted: ${what}${expiredOn}`
    const reason = outcome.reason ? `: ${escapeMarkdown(outcome.reason)}` : ''
    switch (outcome.status) {
      case 'applied':
        return result.dryRun ? `- 🧪 would ${what}${expiredOn}` : `- ✅ ${what}${expiredOn}`
      case 'failed':
        return `- ❌ failed to ${what}${expiredOn}${reason}`
      case 'skipped':
        return `- ⏭️ skipped: ${what}${expiredOn}${reason}`
    }
  })
  for (const outcome of result.operations) {
    if (!explained.has(outcome)) lines.push(...operationLines(outcome, result.dryRun))
  }
  const heading = result.dryRun
    ? '### Expired grants (dry run: nothing was revoked)'
    : '### Expired grants revoked by this run'
  const totals = `${result.applied} ${result.dryRun ? 'would be revoked' : 'revoked'}, ${result.failed} failed, ${result.skipped} skipped.`
  return [heading, '', totals, '', ...(lines.length > 0 ? lines : ['_No expired grants._'])].join(
    '\n'
  )
}

/** A write no listed change explains, described from the write itself so the section never reads empty. */
function operationLines(outcome: OperationResult, dryRun: boolean): string[] {
  const { operation } = outcome
  const whats =
    operation.type === 'update-group'
      ? operation.remove.map(
          (email) =>
            `remove ${codeSpan(email)} from Access group ${escapeMarkdown(operation.groupName)}`
        )
      : operation.type === 'remove-member'
        ? [`remove the account membership of ${codeSpan(operation.email)}`]
        : operation.type === 'update-member'
          ? [`revoke an expired account role of ${codeSpan(operation.email)}`]
          : [`invite ${codeSpan(operation.email)}`]
  const reason = outcome.reason ? `: ${escapeMarkdown(outcome.reason)}` : ''
  return whats.map((what) => {
    switch (outcome.status) {
      case 'applied':
        return dryRun ? `- 🧪 would ${what}` : `- ✅ ${what}`
      case 'failed':
        return `- ❌ failed to ${what}${reason}`
      case 'skipped':
        return `- ⏭️ skipped: ${what}${reason}`
    }
  })
}

/** Finds the write that carried a change, by what it does rather than by index: the result may come from a plan of its own. */
function findOutcome(change: Change, result: ApplyResult): OperationResult | undefined {
  const email = change.email.trim().toLowerCase()
  return result.operations.find(({ operation }) => {
    switch (operation.type) {
      case 'update-group':
        return (
          change.target.kind === 'group' &&
          operation.groupId === change.target.id &&
          operation.remove.some((candidate) => candidate.trim().toLowerCase() === email)
        )
      case 'update-member':
        return (
          change.target.kind === 'role' &&
          operation.email.trim().toLowerCase() === email &&
          !operation.roleIds.includes(change.target.id)
        )
      case 'remove-member':
        return change.target.kind === 'role' && operation.email.trim().toLowerCase() === email
      case 'invite-member':
        return false
    }
  })
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
      'Last login is the last successful Cloudflare Access login. Consider removing access nobody uses.',
      review.stale.map(
        (entry) => `- ${codeSpan(entry.email)} — ${loginText(entry)} · ${where(entry.targets)}`
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
    section(
      'Members managed by permission policies',
      'Role management never changes these members; review their policies in the Cloudflare dashboard.',
      review.policyMembers.map((entry) => `- ${codeSpan(entry.email)}`)
    )
  ]
  return blocks.filter((block): block is string => block !== undefined)
}

function renderInventory(
  sections: readonly InventorySection[],
  isCertified: (item: InventoryItem) => boolean
): string {
  const blocks = ['### Inventory']
  for (const section of sections) {
    const certified = section.items.filter(isCertified).length
    const lines = section.items.map((item) => {
      const details = [loginText(item)]
      if (item.expires) details.push(`expires ${escapeMarkdown(isoDay(item.expires))}`)
      if (!item.inFile) details.push('not in the file')
      if (item.memberStatus && item.memberStatus !== 'accepted') {
        details.push(`membership ${escapeMarkdown(item.memberStatus)}`)
      }
      const box = isCertified(item) ? '[x]' : '[ ]'
      return `- ${box} ${codeSpan(item.email)} — ${details.join(' · ')} ${certificationComment(item.key)}`
    })
    blocks.push(
      [
        `#### ${targetLabel(section.target)} ${escapeMarkdown(section.target.name)}`,
        '',
        `${progressIcon(certified, section.items.length)} Certified ${certified} of ${section.items.length} · owners: ${mentionList(section.owners)}`,
        '',
        ...(lines.length > 0 ? lines : ['_No members._'])
      ].join('\n')
    )
  }
  if (sections.length === 0) blocks.push('_The access file manages no groups or roles._')
  return blocks.join('\n\n')
}

function loginText(login: {
  hasZeroTrustUser: boolean
  lastLogin: string | null
  daysSinceLogin: number | null
}): string {
  if (!login.hasZeroTrustUser) return 'no Zero Trust user'
  if (login.lastLogin === null || login.daysSinceLogin === null) return 'never logged in'
  const days = login.daysSinceLogin
  const ago = days <= 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`
  return `last login ${escapeMarkdown(isoDay(login.lastLogin))} (${ago})`
}

function daysLeftText(daysLeft: number): string {
  return daysLeft <= 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`
}
