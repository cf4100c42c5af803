import { ACCESS_GROUP_MAX_RULES, ACCESS_NAME_MAX_LENGTH } from '../cloudflare/limits.js'
import type {
  AccessGroup,
  AccountSnapshot,
  Change,
  ExpiringGrant,
  Finding,
  GroupSpec,
  Operation,
  Target
} from '../model/index.js'
import type { PlanParts } from './parts.js'
import { grantDetails, keyOfChange } from './parts.js'
import { compareStrings, emailKey, emailOfRule } from './email.js'
import { daysLeftIfExpiring, grantsByEmail } from './grants.js'
import { didYouMean, suggestNames } from './suggest.js'
import { where } from './where.js'

export interface ResolvedGroup {
  spec: GroupSpec
  group: AccessGroup
}

/**
 * Finds the live group each spec means. Specs that cannot be resolved become error findings and are
 * left out: a group is never created and never guessed.
 */
export function resolveGroups(
  specs: readonly GroupSpec[],
  live: AccountSnapshot
): { resolved: ResolvedGroup[]; findings: Finding[] } {
  const findings: Finding[] = []
  const groups = [...live.groups].sort((a, b) => compareStrings(a.id, b.id))
  const byId = new Map<string, AccessGroup>()
  const byName = new Map<string, AccessGroup[]>()
  for (const group of groups) {
    if (!byId.has(group.id)) byId.set(group.id, group)
    const named = byName.get(group.name)
    if (named) named.push(group)
    else byName.set(group.name, [group])
  }

  const resolved: ResolvedGroup[] = []
  const taken = new Map<string, GroupSpec>()
  for (const spec of specs) {
    const target = { kind: 'group' as const, name: spec.name }
    if (spec.name.length > ACCESS_NAME_MAX_LENGTH) {
      findings.push({
        kind: 'group-limit',
        severity: 'error',
        message:
          `Access group name in ${where(spec.source)} is ${spec.name.length} characters long; Cloudflare ` +
          `allows at most ${ACCESS_NAME_MAX_LENGTH}, so no group can have it. Use the group's name as ` +
          `Cloudflare Zero Trust shows it.`,
        target,
        source: spec.source
      })
      continue
    }
    const group = spec.id !== undefined ? byId.get(spec.id) : undefined
    if (spec.id !== undefined && group === undefined) {
      const sameName = byName.get(spec.name) ?? []
      const hint =
        sameName.length > 0
          ? ` Cloudflare has a group named "${spec.name}" with id ${sameName.map((g) => `"${g.id}"`).join(', ')}: use that id.`
          : ' Copy the id from the group in Cloudflare Zero Trust, or remove `id:` to match by name.'
      findings.push({
        kind: 'unknown-group',
        severity: 'error',
        message: `No Access group has id "${spec.id}" (group "${spec.name}" in ${where(spec.source)}).${hint}`,
        target,
        source: spec.source
      })
      continue
    }
    if (group !== undefined && group.name !== spec.name) {
      findings.push({
        kind: 'group-id-mismatch',
        severity: 'error',
        message:
          `Access group id "${spec.id}" (${where(spec.source)}) is named "${group.name}" in Cloudflare, ` +
          `not "${spec.name}". Correct the name or the id in the access file so both point at the same group.`,
        target,
        source: spec.source
      })
      continue
    }
    let chosen = group
    if (chosen === undefined) {
      const named = byName.get(spec.name) ?? []
      if (named.length > 1) {
        findings.push({
          kind: 'ambiguous-group',
          severity: 'error',
          message:
            `${named.length} Access groups are named "${spec.name}" (ids ${named.map((g) => g.id).join(', ')}). ` +
            `Add \`id:\` with the id of the one to manage to the group in ${where(spec.source)}.`,
          target,
          source: spec.source
        })
        continue
      }
      if (named.length === 0) {
        const suggestions = suggestNames(spec.name, byName.keys())
        findings.push({
          kind: 'unknown-group',
          severity: 'error',
          message:
            `Access group "${spec.name}" (${where(spec.source)}) does not exist in Cloudflare account ` +
            `${live.accountId}.${didYouMean(suggestions)} Groups are never created by this action: ` +
            `create the group in Cloudflare Zero Trust first, or correct the name in the access file.`,
          target,
          suggestions,
          source: spec.source
        })
        continue
      }
      chosen = named[0]
    }
    // Two entries for one group would make two conflicting writes, and dropping either would treat
    // its members as drift: refuse and let people merge them.
    const first = taken.get(chosen.id)
    if (first !== undefined) {
      findings.push({
        kind: 'ambiguous-group',
        severity: 'error',
        message:
          `Access group "${chosen.name}" (id ${chosen.id}) is described twice, at ${where(first.source)} ` +
          `and ${where(spec.source)}. Merge the two entries into one.`,
        target,
        source: spec.source
      })
      const id = chosen.id
      const index = resolved.findIndex((r) => r.group.id === id)
      if (index >= 0) resolved.splice(index, 1)
      continue
    }
    taken.set(chosen.id, spec)
    resolved.push({ spec, group: chosen })
  }
  return { resolved, findings }
}

/**
 * Plans the e-mail rule changes of one managed group; its holdings are the live e-mail grants it has.
 * Only `{email: {email}}` include rules are membership; every other rule stays as it is.
 */
export function planGroup(
  { spec, group }: ResolvedGroup,
  nowMs: number,
  warningDays: number
): PlanParts {
  const findings: Finding[] = []
  const expiring: ExpiringGrant[] = []
  const target: Target = { kind: 'group', name: group.name, id: group.id }
  /** e-mail key -> spelling of its first rule, and how many rules carry it (duplicates all go). */
  const stored = new Map<string, { email: string; rules: number }>()
  for (const rule of group.include) {
    const email = emailOfRule(rule)
    if (email === undefined) continue
    const key = emailKey(email)
    const seen = stored.get(key)
    if (seen === undefined) stored.set(key, { email, rules: 1 })
    else seen.rules++
  }

  const { active, expired } = grantsByEmail(spec.members, nowMs)
  const removed: string[] = []
  const added: string[] = []
  let rulesLeft = group.include.length
  const changes: Omit<Change, 'key' | 'operation'>[] = []

  for (const [key, { email, rules }] of stored) {
    if (active.has(key)) continue
    const expiredGrant = expired.get(key)
    if (expiredGrant === undefined && spec.mode === 'additive') continue
    removed.push(key)
    rulesLeft -= rules
    changes.push(
      expiredGrant === undefined
        ? { action: 'remove', target, email, cause: 'drift' }
        : {
            action: 'remove',
            target,
            email,
            cause: 'expired',
            ...grantDetails(expiredGrant)
          }
    )
  }

  for (const [key, grant] of active) {
    const daysLeft = daysLeftIfExpiring(grant, nowMs, warningDays)
    if (daysLeft !== undefined) {
      expiring.push({ target, email: grant.email, expires: grant.expires!, daysLeft })
    }
    if (stored.has(key)) continue
    added.push(key)
    rulesLeft++
    changes.push({
      action: 'add',
      target,
      email: grant.email,
      cause: 'requested',
      ...grantDetails(grant)
    })
  }

  if (changes.length === 0) {
    return { changes: [], operations: [], findings, expiring, holdings: stored.size }
  }
  // Sorted by key so the operation does not depend on the order of rules or file entries.
  const operation: Operation = {
    type: 'update-group',
    key: `group:${group.id}`,
    groupId: group.id,
    groupName: group.name,
    add: added.sort(compareStrings).map((key) => active.get(key)!.email),
    remove: removed.sort(compareStrings).map((key) => stored.get(key)!.email)
  }
  const keyed: Change[] = changes.map((change) => ({
    key: keyOfChange(target, change.email),
    ...change,
    operation: operation.key
  }))

  const rulesAfter = rulesLeft + group.exclude.length + group.require.length
  if (rulesAfter > ACCESS_GROUP_MAX_RULES) {
    findings.push({
      kind: 'group-limit',
      severity: 'error',
      message:
        `Access group "${group.name}" (${where(spec.source)}) would hold ${rulesAfter} rules across ` +
        `include, exclude and require after adding ${added.length} e-mail(s), and Cloudflare allows at ` +
        `most ${ACCESS_GROUP_MAX_RULES} rules per group. Put these people in an e-mail list (Zero Trust ` +
        `lists, one rule for up to 1,000 addresses) or an identity-provider group and include that instead.`,
      target: { kind: 'group', name: group.name },
      source: spec.source
    })
  }
  if (rulesLeft === 0) {
    findings.push({
      kind: 'empty-include',
      severity: 'error',
      message:
        `Access group "${group.name}" (${where(spec.source)}) would be left with no include rules ` +
        `after removing ${removed.length} e-mail(s), and Cloudflare rejects a group with an ` +
        `empty include. Keep at least one member in the access file, or first add a non-email include ` +
        `rule (an email domain or identity provider group, for example) to the group in Cloudflare.`,
      target: { kind: 'group', name: group.name },
      source: spec.source
    })
  }
  return { changes: keyed, operations: [operation], findings, expiring, holdings: stored.size }
}
