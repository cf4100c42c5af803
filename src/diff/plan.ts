import type {
  AccountSnapshot,
  Change,
  DesiredState,
  Finding,
  Plan,
  Target
} from '../model/index.js'
import { compareStrings, emailKey } from './email.js'
import { isExpired } from './grants.js'
import { planGroup, resolveGroups } from './groups.js'
import { checkGuards, configuredRemovalLimit, isRemoval, removalLimit } from './guards.js'
import type { PlanOptions } from './options.js'
import {
  compareChanges,
  compareExpiring,
  compareFindings,
  compareNamed,
  compareOperations
} from './order.js'
import { joinParts, noParts } from './parts.js'
import { planRoles, resolveRoles } from './roles.js'
import { where } from './where.js'

/**
 * Computes what it takes to make the live account match the access file. Pure and deterministic:
 * the same inputs give the same JSON, whatever order Cloudflare listed things in.
 */
export function planChanges(
  desired: DesiredState,
  live: AccountSnapshot,
  options: PlanOptions
): Plan {
  const nowMs = options.now.getTime()
  const warningDays = options.expiryWarningDays

  const groups = resolveGroups(desired.groups, live)
  const roles = resolveRoles(desired.roles, live)
  const parts = joinParts([
    { ...noParts(), findings: groups.findings },
    ...groups.resolved.map((resolved) => planGroup(resolved, nowMs, warningDays)),
    { ...noParts(), findings: roles.findings },
    planRoles(roles.resolved, live, nowMs, warningDays),
    { ...noParts(), findings: usersWithoutZeroTrustRecord(desired, live, nowMs) }
  ])

  const changes: Change[] = [...parts.changes].sort(compareChanges)
  const removals = changes.filter(isRemoval).length
  const stats = {
    additions: changes.length - removals,
    removals,
    grantsUnderManagement: parts.holdings,
    removalLimit: removalLimit(configuredRemovalLimit(options, desired.settings), parts.holdings)
  }
  const managedGroups: Target[] = groups.resolved
    .map(({ group }) => ({ kind: 'group' as const, name: group.name, id: group.id }))
    .sort(compareNamed)
  const managedRoles: Target[] = roles.resolved
    .map(({ role }) => ({ kind: 'role' as const, name: role.name, id: role.id }))
    .sort(compareNamed)
  const managedGroupIds = new Set(managedGroups.map((t) => t.id))
  const managedRoleIds = new Set(managedRoles.map((t) => t.id))

  // The guards read the assembled plan; `guards: []` only holds their place in the JSON.
  const assembled: Plan = {
    accountId: live.accountId,
    generatedAt: options.now.toISOString(),
    changes,
    operations: [...parts.operations].sort(compareOperations),
    findings: [...parts.findings].sort(compareFindings),
    guards: [],
    expiring: [...parts.expiring].sort(compareExpiring),
    managed: { groups: managedGroups, roles: managedRoles },
    unmanaged: {
      groups: unmanaged(live.groups, managedGroupIds),
      roles: unmanaged(live.roles, managedRoleIds)
    },
    stats
  }
  return { ...assembled, guards: checkGuards(assembled, live, options) }
}

function unmanaged(
  items: { id: string; name: string }[],
  managed: Set<string>
): { id: string; name: string }[] {
  const seen = new Set<string>()
  const result: { id: string; name: string }[] = []
  for (const { id, name } of items) {
    if (managed.has(id) || seen.has(id)) continue
    seen.add(id)
    result.push({ id, name })
  }
  return result.sort(compareNamed)
}

/** One warning per e-mail (not per group): a group grant does nothing until the person has logged in. */
function usersWithoutZeroTrustRecord(
  desired: DesiredState,
  live: AccountSnapshot,
  nowMs: number
): Finding[] {
  const known = new Set(live.users.map((u) => emailKey(u.email)))
  const missing = new Map<string, Finding>()
  for (const spec of desired.groups) {
    for (const grant of spec.members) {
      const key = grant.key || emailKey(grant.email)
      if (known.has(key) || missing.has(key) || isExpired(grant, nowMs)) continue
      missing.set(key, {
        kind: 'no-zero-trust-user',
        severity: 'warning',
        message:
          `${grant.email} (${where(grant.source)}) has no Zero Trust user record: they have not logged ` +
          `in through Cloudflare Access yet, or the address is misspelled. The group grant takes effect ` +
          `once they log in with exactly this address.`,
        email: grant.email,
        source: grant.source
      })
    }
  }
  return [...missing.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([, f]) => f)
}
