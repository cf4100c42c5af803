/**
 * A review too large for one issue: its inventory in child issues ("parts"), each under GitHub's body limit, every
 * grant with its boxes in exactly one of them, and the review issue tracking them. Pure: the mode creates and edits
 * the issues.
 */
import type { AccessReview, InventoryItem, InventorySection } from '../review/access-review.js'
import type { DecisionRecord } from '../review/decisions.js'
import type { ReviewPeriod } from '../review/period.js'
import { codeSpan, escapeMarkdown, plural } from './markdown.js'
import {
  afterDueText,
  howToReview,
  renderInventoryItem,
  renderInventorySection,
  renderNotCounted,
  sectionContext,
  type NotCounted,
  type ReviewDue
} from './review-issue.js'

export const REVIEW_PART_MARKER_PREFIX = '<!-- cloudflare-access-as-code:review-part:'
const PART_MARKER_PATTERN =
  /<!-- cloudflare-access-as-code:review-part:([A-Za-z0-9-]+):(\d+):(\d+) -->/

/**
 * Characters the grants of one part may take. The rest of GitHub's 65,536 is the heading, the instructions, the
 * due-date note and the ticks that did not count (at most NOT_COUNTED_LISTED lines).
 */
export const PART_BUDGET = 55_000
/** Ticks that did not count listed in one part; the rest are counted. */
const NOT_COUNTED_LISTED = 10
/** The longest GitHub login: a team owner's member can decide, and their login is not known in advance. */
const MAX_LOGIN = 39

/** The hidden marker of part `index` (1-based) of period `key`, whose tracking issue is `tracking`. */
export function reviewPartMarker(key: string, index: number, tracking: number): string {
  return `${REVIEW_PART_MARKER_PREFIX}${key}:${index}:${tracking} -->`
}

/** Every part of period `key` carries this in its marker. */
export function reviewPartsPrefix(key: string): string {
  return `${REVIEW_PART_MARKER_PREFIX}${key}:`
}

export function parseReviewPartMarker(
  body: string
): { key: string; index: number; tracking: number } | undefined {
  const match = PART_MARKER_PATTERN.exec(body)
  if (!match) return undefined
  return { key: match[1]!, index: Number(match[2]), tracking: Number(match[3]) }
}

/**
 * A grant's share of a part's budget: its line as first rendered plus all it can gain as the review goes on (a
 * decision by the longest login that may decide it, "not in the file", a membership status). Parts are cut on these
 * upper bounds, so a decision never makes a part overflow and never moves a grant to another issue.
 */
function itemCost(item: InventoryItem, longestDecider: number): number {
  const line = renderInventoryItem({ ...item, lastLogin: '2026-01-01T00:00:00Z' }, undefined, {
    relativeLogin: false
  })
  const decision = ' · **revoked** by ``'.length + longestDecider + ' 2026-12-05 12:00 UTC'.length
  const notInFile = item.inFile ? ' · not in the file'.length : 0
  const status =
    item.memberStatus === undefined
      ? 0
      : ' · membership invitation-pending'.length +
        ' · managed elsewhere (permission policies)'.length
  return line.length + 1 + decision + notInFile + status
}

/** A section's heading and progress line. */
function sectionCost(section: InventorySection): number {
  return (
    200 +
    section.target.name.length +
    section.owners.join(', ').length * 2 +
    sectionContext(section).join('\n').length
  )
}

/** Who can decide a section's grants: its owners, or any member of an owner team. */
function longestDecider(section: InventorySection): number {
  if (section.owners.some((owner) => owner.includes('/'))) return MAX_LOGIN
  return Math.max(0, ...section.owners.map((owner) => owner.trim().replace(/^@/, '').length))
}

/**
 * The inventory cut into parts: groups and roles with the same owners together (so an owner has as few parts to open
 * as can be), then in inventory order, as many whole ones as fit the budget; one too large for a part is sliced. The
 * cut depends only on the grants and owners, not on decisions, so parts keep their grants while owners decide; a
 * grant entering or leaving the account can shift it, and a tick counts wherever its grant is.
 */
export function splitInventory(
  sections: readonly InventorySection[],
  budget = PART_BUDGET
): InventorySection[][] {
  const ownersKey = (section: InventorySection) =>
    section.owners.length === 0
      ? '\uffff'
      : section.owners
          .map((owner) => owner.trim().replace(/^@/, '').toLowerCase())
          .sort()
          .join(',')
  const ordered = sections
    .map((section, index) => ({ section, index, owners: ownersKey(section) }))
    .sort((a, b) => (a.owners === b.owners ? a.index - b.index : a.owners < b.owners ? -1 : 1))
    .map((entry) => entry.section)
  const parts: InventorySection[][] = []
  let current: InventorySection[] = []
  let used = 0
  const close = (): void => {
    if (current.length > 0) parts.push(current)
    current = []
    used = 0
  }
  for (const section of ordered) {
    const decider = longestDecider(section)
    const costs = section.items.map((item) => itemCost(item, decider))
    const overhead = sectionCost(section)
    const total = overhead + costs.reduce((sum, cost) => sum + cost, 0)
    if (total <= budget) {
      if (used + total > budget) close()
      current.push(section)
      used += total
      continue
    }
    // Too large for any one part: slices of it, each starting a part of its own.
    close()
    let start = 0
    while (start < section.items.length) {
      let end = start
      let size = overhead
      while (end < section.items.length && size + costs[end]! <= budget) size += costs[end++]!
      if (end === start) end = start + 1
      current.push({ ...section, items: section.items.slice(start, end) })
      used = size
      close()
      start = end
    }
  }
  close()
  return parts
}

export interface ReviewPartOptions {
  period: ReviewPeriod
  /** 1-based. */
  index: number
  count: number
  /** The tracking issue's number. */
  tracking: number
  decisions?: ReadonlyMap<string, DecisionRecord>
  due?: ReviewDue
  notCounted?: readonly NotCounted[]
}

/**
 * One child issue. It carries only what changes with decisions (no run time, no "days ago"), so a run edits just the
 * parts whose grants were decided.
 */
export function renderReviewPart(
  review: AccessReview,
  sections: readonly InventorySection[],
  options: ReviewPartOptions
): { title: string; body: string } {
  const { period, due, index, count } = options
  const decisions = options.decisions ?? new Map<string, DecisionRecord>()
  const decisionOf = (item: InventoryItem) => decisions.get(item.key)
  const title = `Cloudflare access review: ${period.title} (part ${index} of ${count})`
  const blocks = [
    [
      reviewPartMarker(period.key, index, options.tracking),
      `## Cloudflare access review: ${escapeMarkdown(period.title)}, part ${index} of ${count}`,
      '',
      `Part of #${options.tracking}: its progress, reminders, revocations and decision log cover every part. Period ${period.start} to ${period.end}${due ? ` · due ${due.date}` : ''} · account ${codeSpan(review.accountId)}`
    ].join('\n')
  ]
  const notCounted = options.notCounted ?? []
  const shown = renderNotCounted(sections, notCounted.slice(0, NOT_COUNTED_LISTED))
  if (shown) {
    blocks.push(
      notCounted.length > NOT_COUNTED_LISTED
        ? `${shown}\n> - … and ${notCounted.length - NOT_COUNTED_LISTED} more ticks that did not count.`
        : shown
    )
  }
  blocks.push(howToReview(afterDueText(due)))
  if (due && due.daysLeft < 0) {
    blocks.push(
      due.onNoDecision === 'revoke'
        ? `> [!IMPORTANT]\n> The due date ${due.date} has passed: grants still undecided here are revoked through the review revocations pull request (on_no_decision: revoke).`
        : `> [!IMPORTANT]\n> The due date ${due.date} has passed: grants still undecided here are kept and recorded as exceptions (on_no_decision: keep).`
    )
  }
  const grants = sections.reduce((sum, section) => sum + section.items.length, 0)
  const inventory = [`### Inventory: ${plural(grants, 'grant')}`]
  for (const section of sections) {
    const whole = review.inventory.find((candidate) => candidate.target === section.target)
    const sliced = whole !== undefined && whole.items.length !== section.items.length
    const first = sliced ? whole.items.indexOf(section.items[0]!) + 1 : 0
    inventory.push(
      renderInventorySection(section, decisionOf, {
        relativeLogin: false,
        headingSuffix: sliced
          ? ` (grants ${first} to ${first + section.items.length - 1} of ${whole.items.length})`
          : undefined
      })
    )
  }
  blocks.push(inventory.join('\n\n'))
  return { title, body: blocks.join('\n\n') + '\n' }
}

/** The body a part gets when the cut no longer needs it: its grants are in the other parts now. */
export function renderRetiredPart(
  period: ReviewPeriod,
  index: number,
  tracking: number
): { title: string; body: string } {
  return {
    title: `Cloudflare access review: ${period.title} (part ${index}, no longer used)`,
    body: `${reviewPartMarker(period.key, index, tracking)}\nThis part of #${tracking} holds no grants any more: the review's grants are in the parts listed there.\n`
  }
}
