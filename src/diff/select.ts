/** Narrowing a plan: the changes a predicate keeps, with their writes rebuilt and the guards re-run on what remains. */
import type { AccountSnapshot, Change, Finding, Operation, Plan } from '../model/index.js'
import { keyOfChange } from './parts.js'
import { emailKey, emailOfRule } from './email.js'
import { checkGuards, isRemoval } from './guards.js'
import type { PlanOptions } from './options.js'

/**
 * The plan of only the changes `keep` accepts (octoDNS's plan processors are the model): each operation is cut down
 * to the deltas of the kept changes, a member write that now empties or no longer empties the membership changes
 * type, and the guards and the empty-include check run again, so a narrowed plan is refused where it would be unsafe
 * even when the full plan was not. `live` and `options` are the ones the plan was made with.
 */
export function selectChanges(
  plan: Plan,
  keep: (change: Change) => boolean,
  context: { live: AccountSnapshot; options: PlanOptions }
): Plan {
  const { live, options } = context
  const kept = new Map(plan.changes.filter(keep).map((change) => [change.key, change]))
  const keyOf = (kind: 'group' | 'role', id: string, email: string) =>
    keyOfChange({ kind, id, name: '' }, email)
  const has = (kind: 'group' | 'role', id: string, email: string) =>
    kept.has(keyOf(kind, id, email))

  const operations: Operation[] = []
  const actionOf = new Map<string, Change['action']>()
  const findings: Finding[] = plan.findings.filter((finding) => finding.kind !== 'empty-include')
  for (const op of plan.operations) {
    if (op.type === 'update-group') {
      const add = op.add.filter((email) => has('group', op.groupId, email))
      const remove = op.remove.filter((email) => has('group', op.groupId, email))
      if (add.length + remove.length === 0) continue
      operations.push({ ...op, add, remove })
      const emptied = emptyInclude(op.groupId, add, remove, live, plan)
      if (emptied) findings.push(emptied)
    } else if (op.type === 'invite-member') {
      const roleIds = op.roleIds.filter((id) => has('role', id, op.email))
      if (roleIds.length > 0) operations.push({ ...op, roleIds })
    } else {
      const grant =
        op.type === 'update-member' ? op.grant.filter((id) => has('role', id, op.email)) : []
      const revoke = op.revoke.filter((id) => has('role', id, op.email))
      if (grant.length + revoke.length === 0) continue
      const held = new Set(live.members.find((m) => m.id === op.memberId)?.roles.map((r) => r.id))
      const removes =
        grant.length === 0 && held.size > 0 && [...held].every((id) => revoke.includes(id))
      const common = { key: op.key, memberId: op.memberId, email: op.email }
      operations.push(
        removes
          ? { type: 'remove-member', ...common, revoke }
          : { type: 'update-member', ...common, grant, revoke }
      )
      for (const id of revoke)
        actionOf.set(keyOf('role', id, op.email), removes ? 'remove-member' : 'revoke')
    }
  }
  const changes = plan.changes
    .filter((change) => kept.has(change.key))
    .map((change) => {
      const action = actionOf.get(change.key)
      return action && action !== change.action ? { ...change, action } : change
    })
  const removals = changes.filter(isRemoval).length
  const narrowed: Plan = {
    ...plan,
    changes,
    operations,
    findings,
    stats: { ...plan.stats, additions: changes.length - removals, removals }
  }
  return { ...narrowed, guards: checkGuards(narrowed, live, options) }
}

/** The planner's empty-include finding, for a group write cut down by a selection. */
function emptyInclude(
  groupId: string,
  add: string[],
  remove: string[],
  live: AccountSnapshot,
  plan: Plan
): Finding | undefined {
  const group = live.groups.find((g) => g.id === groupId)
  if (!group) return undefined
  const gone = new Set(remove.map(emailKey))
  const left = group.include.filter((rule) => {
    const email = emailOfRule(rule)
    return email === undefined || !gone.has(emailKey(email))
  }).length
  if (left + add.length > 0) return undefined
  const earlier = plan.findings.find(
    (f) => f.kind === 'empty-include' && f.target?.name === group.name
  )
  return {
    kind: 'empty-include',
    severity: 'error',
    message:
      `Access group "${group.name}" would be left with no include rules after removing ${remove.length} ` +
      `e-mail(s), and Cloudflare rejects a group with an empty include. Keep at least one member in the access ` +
      `file, or first add a non-email include rule to the group in Cloudflare.`,
    target: { kind: 'group', name: group.name },
    ...(earlier?.source ? { source: earlier.source } : {})
  }
}
