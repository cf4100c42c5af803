/**
 * Which Access applications each group matters to: a policy names a group as `{group: {id}}` in include (membership
 * opens the app), require (membership is required) or exclude (membership takes access away). A group included in
 * another group (`{group: {id}}` in that group's include) passes the outer group's uses on to its own members.
 */
import type { AccessGroup, AccessRule, GroupApplicationUse } from '../model/index.js'
import { compareStrings } from './email.js'

export interface ApplicationPolicy {
  id: string
  name: string
  /** allow, deny, bypass, non_identity */
  decision: string
  include: AccessRule[]
  exclude: AccessRule[]
  require: AccessRule[]
}

export interface AccessApplication {
  id: string
  /** What people know the app by: its domain when it has one, else its name. */
  name: string
  domain?: string
  policies: ApplicationPolicy[]
}

function groupIds(rules: readonly AccessRule[]): string[] {
  const ids: string[] = []
  for (const rule of rules) {
    const value = (rule as Record<string, unknown>)['group']
    if (typeof value === 'object' && value !== null) {
      const id = (value as Record<string, unknown>)['id']
      if (typeof id === 'string') ids.push(id)
    }
  }
  return ids
}

/** Whether membership of the group opens the application (include of an allow policy, not taken away). */
export function opens(use: GroupApplicationUse): boolean {
  return use.role === 'include' && use.policy.decision !== 'deny'
}

/** Group id -> its uses, sorted by application name then policy; groups no application uses are absent. */
export function mapGroupsToApplications(
  applications: readonly AccessApplication[],
  groups: readonly AccessGroup[]
): Map<string, GroupApplicationUse[]> {
  const names = new Map(groups.map((g) => [g.id, g.name]))
  /** outer group id -> groups its include names (their members are its members). */
  const inner = new Map<string, string[]>()
  for (const group of groups) inner.set(group.id, groupIds(group.include))

  const uses = new Map<string, GroupApplicationUse[]>()
  const record = (groupId: string, use: GroupApplicationUse): void => {
    const list = uses.get(groupId)
    if (list) list.push(use)
    else uses.set(groupId, [use])
  }
  for (const app of applications) {
    for (const policy of app.policies) {
      for (const role of ['include', 'require', 'exclude'] as const) {
        for (const outer of new Set(groupIds(policy[role]))) {
          const base = {
            application: { id: app.id, name: app.name },
            policy: { id: policy.id, name: policy.name, decision: policy.decision },
            role
          }
          record(outer, base)
          // Members of nested groups carry the outer group's use; the seen set stops include cycles.
          const seen = new Set([outer])
          const queue = [...(inner.get(outer) ?? [])]
          while (queue.length > 0) {
            const id = queue.shift()!
            if (seen.has(id)) continue
            seen.add(id)
            record(id, { ...base, via: names.get(outer) ?? outer })
            queue.push(...(inner.get(id) ?? []))
          }
        }
      }
    }
  }
  for (const list of uses.values()) {
    list.sort(
      (a, b) =>
        compareStrings(a.application.name, b.application.name) ||
        compareStrings(a.policy.name, b.policy.name) ||
        compareStrings(a.role, b.role)
    )
  }
  return uses
}

/** The applications membership of the group opens, by name, once each. */
export function applicationsOpenedBy(uses: readonly GroupApplicationUse[] | undefined): string[] {
  return [...new Set((uses ?? []).filter(opens).map((u) => u.application.name))].sort(
    compareStrings
  )
}
