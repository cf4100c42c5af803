import type {
  AccountMember,
  AccountRole,
  AccountSnapshot,
  Change,
  Finding,
  Grant,
  Operation,
  RoleSpec,
  Target
} from '../model/index.js'
import type { PlanParts } from './parts.js'
import { grantDetails, keyOfChange } from './parts.js'
import { compareStrings, emailKey } from './email.js'
import { daysLeftIfExpiring, grantsByEmail } from './grants.js'
import { didYouMean, suggestNames } from './suggest.js'
import { where } from './where.js'

export interface ResolvedRole {
  spec: RoleSpec
  role: AccountRole
}

/** Finds the live role each spec names; unknown names become error findings with suggestions. */
export function resolveRoles(
  specs: readonly RoleSpec[],
  live: AccountSnapshot
): { resolved: ResolvedRole[]; findings: Finding[] } {
  const findings: Finding[] = []
  const byName = new Map<string, AccountRole>()
  for (const role of [...live.roles].sort((a, b) => compareStrings(a.id, b.id))) {
    if (!byName.has(role.name)) byName.set(role.name, role)
  }
  const resolved = new Map<string, ResolvedRole>()
  for (const spec of specs) {
    const role = byName.get(spec.name)
    if (role === undefined) {
      const suggestions = suggestNames(spec.name, byName.keys())
      findings.push({
        kind: 'unknown-role',
        severity: 'error',
        message:
          `Account role "${spec.name}" (${where(spec.source)}) does not exist in Cloudflare account ` +
          `${live.accountId}.${didYouMean(suggestions)} Use the role's name exactly as Cloudflare lists it.`,
        target: { kind: 'role', name: spec.name },
        suggestions,
        source: spec.source
      })
      continue
    }
    // Several entries for one role (from several files, say) all grant it: their members add up.
    const earlier = resolved.get(role.id)
    if (earlier === undefined) resolved.set(role.id, { spec, role })
    else earlier.spec = { ...earlier.spec, members: [...earlier.spec.members, ...spec.members] }
  }
  return { resolved: [...resolved.values()], findings }
}

/**
 * Plans account role changes: one write per member covering all of that member's role changes.
 * Roles the file does not name are kept in every new role set. Its holdings are the live holdings of managed roles.
 */
export function planRoles(
  resolved: readonly ResolvedRole[],
  live: AccountSnapshot,
  nowMs: number,
  warningDays: number
): PlanParts {
  const parts: Omit<PlanParts, 'holdings'> = {
    changes: [],
    operations: [],
    findings: [],
    expiring: []
  }
  const targets = new Map<string, Target>()
  /** e-mail key -> role id -> the grant that asks for it. */
  const wanted = new Map<string, Map<string, Grant>>()
  /** e-mail key -> role id -> the expired grant, for roles nothing current asks for. */
  const ended = new Map<string, Map<string, Grant>>()
  const put = (map: Map<string, Map<string, Grant>>, key: string, roleId: string, grant: Grant) => {
    let roles = map.get(key)
    if (roles === undefined) map.set(key, (roles = new Map()))
    roles.set(roleId, grant)
  }

  for (const { spec, role } of resolved) {
    const target: Target = { kind: 'role', name: role.name, id: role.id }
    targets.set(role.id, target)
    const { active, expired } = grantsByEmail(spec.members, nowMs)
    for (const [key, grant] of active) {
      put(wanted, key, role.id, grant)
      const daysLeft = daysLeftIfExpiring(grant, nowMs, warningDays)
      if (daysLeft !== undefined) {
        parts.expiring.push({ target, email: grant.email, expires: grant.expires!, daysLeft })
      }
    }
    for (const [key, grant] of expired) put(ended, key, role.id, grant)
  }

  const members = new Map<string, AccountMember>()
  for (const member of [...live.members].sort((a, b) => compareStrings(a.id, b.id))) {
    const key = emailKey(member.email)
    if (!members.has(key)) members.set(key, member)
  }

  let holdings = 0
  for (const member of live.members) {
    for (const id of new Set(member.roles.map((r) => r.id))) if (targets.has(id)) holdings++
  }

  for (const [key, member] of members) {
    const want = wanted.get(key) ?? new Map<string, Grant>()
    if (member.usesPolicies) {
      for (const [roleId, grant] of want) {
        const target = targets.get(roleId)!
        parts.findings.push({
          kind: 'policy-member',
          severity: 'warning',
          message:
            `${member.email} is named for role "${target.name}" (${where(grant.source)}), but their ` +
            `account membership is managed by permission policies` +
            (member.policyReason ? ` (${member.policyReason})` : '') +
            `, which role management never changes. ` +
            `Remove the entry from the access file, or change their policies in Cloudflare.`,
          target: { kind: 'role', name: target.name },
          email: member.email,
          source: grant.source
        })
      }
      // A managed role they hold but the file does not give them would be revoked for anyone else: say it stays.
      for (const role of member.roles) {
        const target = targets.get(role.id)
        if (target === undefined || want.has(role.id)) continue
        parts.findings.push({
          kind: 'policy-member',
          severity: 'warning',
          message:
            `${member.email} holds role "${target.name}", which the access file does not give them, but their ` +
            `account membership is managed by permission policies` +
            (member.policyReason ? ` (${member.policyReason})` : '') +
            `, which role management never changes, so they keep it. ` +
            `Add them to the role in the access file, or change their policies in Cloudflare.`,
          target: { kind: 'role', name: target.name },
          email: member.email
        })
      }
      continue
    }
    const write = planMember(member, want, ended.get(key), targets)
    if (write === undefined) continue
    parts.operations.push(write.operation)
    parts.changes.push(...write.changes)
  }

  for (const [key, want] of wanted) {
    if (members.has(key)) continue
    const roleIds = [...want.keys()].sort(compareStrings)
    const operation = {
      type: 'invite-member' as const,
      key: `invite:${key}`,
      email: want.get(roleIds[0])!.email,
      roleIds
    }
    parts.operations.push(operation)
    for (const roleId of roleIds) {
      const grant = want.get(roleId)!
      const target = targets.get(roleId)!
      parts.changes.push({
        key: keyOfChange(target, grant.email),
        action: 'invite',
        target,
        email: grant.email,
        cause: 'requested',
        ...grantDetails(grant),
        operation: operation.key
      })
    }
  }
  return { ...parts, holdings }
}

/** The one write that gives a member the managed roles the file asks for, and its changes; none when nothing differs. */
function planMember(
  member: AccountMember,
  want: Map<string, Grant>,
  ended: Map<string, Grant> | undefined,
  targets: Map<string, Target>
): { operation: Operation; changes: Change[] } | undefined {
  const held = new Set(member.roles.map((r) => r.id))
  const revoked = [...held].filter((id) => targets.has(id) && !want.has(id)).sort(compareStrings)
  const granted = [...want.keys()].filter((id) => !held.has(id)).sort(compareStrings)
  if (revoked.length === 0 && granted.length === 0) return undefined

  const common = { key: `member:${member.id}`, memberId: member.id, email: member.email }
  const operation =
    granted.length === 0 && revoked.length === held.size
      ? { type: 'remove-member' as const, ...common, revoke: revoked }
      : { type: 'update-member' as const, ...common, grant: granted, revoke: revoked }
  const changes: Change[] = []
  for (const roleId of revoked) {
    const endedGrant = ended?.get(roleId)
    const target = targets.get(roleId)!
    changes.push({
      key: keyOfChange(target, member.email),
      action: operation.type === 'remove-member' ? 'remove-member' : 'revoke',
      target,
      email: member.email,
      cause: endedGrant === undefined ? 'drift' : 'expired',
      ...(endedGrant === undefined ? {} : grantDetails(endedGrant)),
      operation: operation.key
    })
  }
  for (const roleId of granted) {
    const grant = want.get(roleId)!
    const target = targets.get(roleId)!
    changes.push({
      key: keyOfChange(target, grant.email),
      action: 'grant',
      target,
      email: grant.email,
      cause: 'requested',
      ...grantDetails(grant),
      operation: operation.key
    })
  }
  return { operation, changes }
}
