/** Words and symbols for changes, shared by the Markdown and terminal renderers so both read the same. */
import type { Change, ChangeAction, Plan, Target } from '../model/index.js'

export const ACTION_LABEL: Record<ChangeAction, string> = {
  add: '➕ add',
  remove: '➖ remove',
  grant: '➕ role grant',
  revoke: '➖ role revoke',
  invite: '✉️ invite',
  'remove-member': '🚪 remove membership'
}

export const ACTION_WORD: Record<ChangeAction, string> = {
  add: 'add',
  remove: 'remove',
  grant: 'grant',
  revoke: 'revoke',
  invite: 'invite',
  'remove-member': 'remove membership'
}

export function isAddition(change: Pick<Change, 'action'>): boolean {
  return change.action === 'add' || change.action === 'grant' || change.action === 'invite'
}

/** Why a change is in the plan, in words a reviewer can act on. */
export function causeLabel(change: Change): string {
  switch (change.cause) {
    case 'requested':
      return 'requested'
    case 'expired':
      return 'expired'
    case 'drift':
      return isAddition(change)
        ? 'drift (in the file, missing from Cloudflare)'
        : 'drift (in Cloudflare, not in the file)'
  }
}

export function targetLabel(target: Pick<Target, 'kind' | 'name'>): string {
  return target.kind === 'group' ? 'Access group' : 'Account role'
}

/** The date part of an ISO instant: expiry dates are written as days in access files. */
export function isoDay(instant: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(instant) ? instant.slice(0, 10) : instant
}

/** An ISO instant as people read it: `2026-11-14 09:30 UTC`. Anything else is returned as it is. */
export function formatInstant(instant: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(instant)
  return match ? `${match[1]} ${match[2]} UTC` : instant
}

export interface TargetChanges<T extends { change: Change } = { change: Change }> {
  target: Target
  changes: T[]
}

/** Groups changes (or outcomes, or anything carrying a change) by target, keeping their order (the plan's). */
export function groupByTarget<T extends { change: Change }>(
  items: readonly T[]
): TargetChanges<T>[] {
  const byKey = new Map<string, TargetChanges<T>>()
  for (const item of items) {
    const { target } = item.change
    const key = `${target.kind}\u0000${target.id}\u0000${target.name}`
    let entry = byKey.get(key)
    if (!entry) {
      entry = { target, changes: [] }
      byKey.set(key, entry)
    }
    entry.changes.push(item)
  }
  return [...byKey.values()]
}

/** The plan's changes by target, those `include` accepts. */
export function changesByTarget(
  plan: Pick<Plan, 'changes'>,
  include: (change: Change) => boolean = () => true
): TargetChanges[] {
  return groupByTarget(plan.changes.filter(include).map((change) => ({ change })))
}

export function countChanges(changes: readonly Pick<Change, 'action'>[]): {
  additions: number
  removals: number
} {
  const additions = changes.filter(isAddition).length
  return { additions, removals: changes.length - additions }
}

/**
 * Lower-cased names shared by more than one Cloudflare group or role (managed or not), where an unmanaged entry
 * needs its id: "Legacy VPN" is both managed (pinned by id) and untouched otherwise.
 */
export function ambiguousNames(plan: Pick<Plan, 'managed' | 'unmanaged'>): Set<string> {
  const ambiguous = new Set<string>()
  for (const items of [
    [...plan.managed.groups, ...plan.unmanaged.groups],
    [...plan.managed.roles, ...plan.unmanaged.roles]
  ]) {
    const seen = new Set<string>()
    for (const item of items) {
      const key = item.name.toLowerCase()
      if (seen.has(key)) ambiguous.add(key)
      seen.add(key)
    }
  }
  return ambiguous
}
