/** Reminders on the review issue: who still has grants to decide, on a few days before the due date and daily after. */
import type { InventorySection } from './access-review.js'
import type { DecisionRecord } from './decisions.js'

/** Days before the due date on which owners are reminded; after it, every day. */
export const REMINDER_DAYS_BEFORE: readonly number[] = [7, 3, 1, 0]

export const REMINDER_MARKER_PREFIX = '<!-- cloudflare-access-as-code:review-reminder:'

/** The hidden marker of one day's reminder: a second run the same day finds it and sends nothing. */
export function reminderMarker(periodKey: string, day: string): string {
  return `${REMINDER_MARKER_PREFIX}${periodKey}:${day} -->`
}

export interface OwnerReminder {
  /** As written in the file: a login or @org/team. */
  owner: string
  undecided: number
  /** The groups and roles with undecided grants this owner can decide. */
  sections: InventorySection[]
}

export interface Reminder {
  owners: OwnerReminder[]
  /** Grants nobody decided yet. */
  undecided: number
  /** Mentioned as well once the due date has passed. */
  escalateTo: string[]
  /** Sections with undecided grants and no owner to remind. */
  unowned: InventorySection[]
}

/**
 * Whether today is a reminder day, and whom to remind: only owners with undecided grants. undefined when there is
 * nothing to send (not a reminder day, or every grant decided).
 */
export function planReminder(input: {
  sections: readonly InventorySection[]
  decisions: ReadonlyMap<string, DecisionRecord>
  daysLeft: number
  escalateTo: readonly string[]
}): Reminder | undefined {
  const { daysLeft } = input
  if (daysLeft >= 0 && !REMINDER_DAYS_BEFORE.includes(daysLeft)) return undefined
  const byOwner = new Map<string, OwnerReminder>()
  const unowned: InventorySection[] = []
  let undecided = 0
  for (const section of input.sections) {
    const left = section.items.filter((item) => !input.decisions.has(item.key)).length
    if (left === 0) continue
    undecided += left
    if (section.owners.length === 0) unowned.push(section)
    for (const owner of section.owners) {
      const key = owner.trim().replace(/^@/, '').toLowerCase()
      const entry = byOwner.get(key) ?? { owner, undecided: 0, sections: [] }
      entry.undecided += left
      entry.sections.push(section)
      byOwner.set(key, entry)
    }
  }
  if (undecided === 0) return undefined
  return {
    owners: [...byOwner.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, entry]) => entry),
    undecided,
    escalateTo: daysLeft < 0 ? [...input.escalateTo] : [],
    unowned
  }
}
