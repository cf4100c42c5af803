import type {
  AccountSnapshot,
  Change,
  DesiredState,
  Finding,
  Plan,
  Target
} from '../model/index.js'
import { emptyDraft } from './draft.js'
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
  const draft = emptyDraft()

  const groups = resolveGroups(desired.groups, live, draft)
  let grantsUnderManagement = 0
  for (const resolved of groups) {
    grantsUnderManagement += planGroup(resolved, nowMs, options.expiryWarningDays, draft)
  }
  const roles = resolveRoles(desired.roles, live, draft)
  grantsUnderManagement += planRoles(roles, live, nowMs, options.expiryWarningDays, draft)
  draft.findings.push(...usersWithoutZeroTrustRecord(desired, live, nowMs))

  const operations = [...draft.operations].sort(compareOperations)
  const changes: Change[] = [...draft.changes].sort(compareChanges)

  const removals = changes.filter(isRemoval).length
  const limit = removalLimit(
    configuredRemovalLimit(options, desired.settings),
    grantsUnderManagement
  )
  const guards = checkGuards(changes, operations, live, removals, limit, options)

  const managedGroups: Target[] = groups
    .map(({ group }) => ({ kind: 'group' as const, name: group.name, id: group.id }))
    .sort(compareNamed)
  const managedRoles: Target[] = roles
    .map(({ role }) => ({ kind: 'role' as const, name: role.name, id: role.id }))
    .sort(compareNamed)
  const managedGroupIds = new Set(managedGroups.map((t) => t.id))
  const managedRoleIds = new Set(managedRoles.map((t) => t.id))

  return {
    accountId: live.accountId,
    generatedAt: options.now.toISOString(),
    changes,
    operations,
    findings: draft.findings.sort(compareFindings),
    guards,
    expiring: draft.expiring.sort(compareExpiring),
    managed: { groups: managedGroups, roles: managedRoles },
    unmanaged: {
      groups: unmanaged(live.groups, managedGroupIds),
      roles: unmanaged(live.roles, managedRoleIds)
    },
    stats: {
      additions: changes.length - removals,
      removals,
      grantsUnderManagement,
      removalLimit: limit
    }
  }
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
