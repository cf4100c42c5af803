import type {
  AccessSettings,
  AccountMember,
  AccountSnapshot,
  Change,
  GuardViolation,
  Operation,
  Plan,
  RemovalLimit
} from '../model/index.js'
import { SUPER_ADMIN_ROLE } from '../model/index.js'
import { compareStrings, emailKey } from './email.js'
import type { PlanOptions } from './options.js'

const REMOVAL_ACTIONS = new Set(['remove', 'revoke', 'remove-member'])

export function isRemoval(change: { action: string }): boolean {
  return REMOVAL_ACTIONS.has(change.action)
}

/** Without a configured limit: a quarter of what is managed, but never fewer than 10. */
export function removalLimit(
  configured: RemovalLimit | undefined,
  grantsUnderManagement: number
): number {
  if (configured === undefined) return Math.max(10, Math.ceil(grantsUnderManagement / 4))
  if (configured.kind === 'count') return configured.value
  return Math.ceil((configured.value * grantsUnderManagement) / 100)
}

export function configuredRemovalLimit(
  options: PlanOptions,
  settings: AccessSettings
): RemovalLimit | undefined {
  return options.maxRemovals ?? settings.maxRemovals
}

/** The guards of an assembled plan (or a narrowed one): its changes, its writes and its removal count and limit. */
export function checkGuards(
  plan: Pick<Plan, 'changes' | 'operations' | 'stats'>,
  live: AccountSnapshot,
  options: PlanOptions
): GuardViolation[] {
  const { changes, operations } = plan
  const { removals, removalLimit: limit } = plan.stats
  const guards: GuardViolation[] = []
  if (removals > limit) {
    guards.push({
      guard: 'max-removals',
      message:
        `This plan removes ${removals} grants, more than the limit of ${limit}. If these removals are ` +
        `intended, raise max_removals in the access file settings.`,
      overrideInput: 'allow-mass-removal',
      overridden: options.allowMassRemoval
    })
  }

  const superAdmin = lastSuperAdminGuard(changes, operations, live, options)
  if (superAdmin) guards.push(superAdmin)

  if (live.credentialEmail !== undefined) {
    const self = emailKey(live.credentialEmail)
    const own = changes.filter(
      (c) => (c.action === 'revoke' || c.action === 'remove-member') && emailKey(c.email) === self
    )
    if (own.length > 0) {
      const roles = [...new Set(own.map((c) => `"${c.target.name}"`))].sort(compareStrings)
      const who = live.credentialEmail
      const what = own.some((c) => c.action === 'remove-member')
        ? `removes the account membership of ${who} (revoking ${roles.join(', ')})`
        : `revokes ${roles.join(', ')} from ${who}`
      guards.push({
        guard: 'self-removal',
        message:
          `This plan ${what}; that is the identity whose API credentials this action uses, so it ` +
          `could lose the access it needs to apply or to undo changes. Keep these roles in the ` +
          `access file unless this is intended.`,
        overrideInput: 'allow-lockout',
        overridden: options.allowLockout
      })
    }
  }
  return guards
}

/**
 * Only accepted members count as holders: a pending invitation cannot act as Super Administrator,
 * so inviting a replacement while revoking the last holder still locks the account out.
 */
function lastSuperAdminGuard(
  changes: Change[],
  operations: Operation[],
  live: AccountSnapshot,
  options: PlanOptions
): GuardViolation | undefined {
  if (!changes.some((c) => c.target.kind === 'role' && c.target.id === SUPER_ADMIN_ROLE.id)) {
    return undefined
  }
  // What each member holds after the plan, read from the operations' own deltas (as the executor writes them).
  const writes = new Map<string, { grant: string[]; revoke: string[] }>()
  for (const op of operations) {
    if (op.type === 'update-member') writes.set(op.memberId, op)
    else if (op.type === 'remove-member') writes.set(op.memberId, { grant: [], revoke: op.revoke })
  }
  const holdsAfter = (member: AccountMember): boolean => {
    const write = writes.get(member.id)
    if (write?.grant.includes(SUPER_ADMIN_ROLE.id)) return true
    if (write?.revoke.includes(SUPER_ADMIN_ROLE.id)) return false
    return member.roles.some((r) => r.id === SUPER_ADMIN_ROLE.id)
  }
  const accepted = live.members.filter((m) => m.status === 'accepted')
  const holdersNow = accepted.filter((m) => m.roles.some((r) => r.id === SUPER_ADMIN_ROLE.id))
  const holdersAfter = accepted.filter(holdsAfter)
  if (holdersNow.length === 0 || holdersAfter.length > 0) return undefined
  const names = holdersNow.map((m) => m.email).sort(compareStrings)
  return {
    guard: 'last-super-admin',
    message:
      `This plan leaves no accepted member with the "${SUPER_ADMIN_ROLE.name}" role (held now by ` +
      `${names.join(', ')}), which would lock everyone out of account administration. Keep at least ` +
      `one Super Administrator in the access file unless this is really intended.`,
    overrideInput: 'allow-lockout',
    overridden: options.allowLockout
  }
}
