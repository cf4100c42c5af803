import type { Change, ChangeAction, ExpiringGrant, Finding, Operation } from '../model/index.js'
import { compareStrings, emailKey } from './email.js'

const ACTION_RANK: Record<ChangeAction, number> = {
  remove: 0,
  revoke: 1,
  'remove-member': 2,
  add: 3,
  grant: 4,
  invite: 5
}
const REMOVAL_RANK_LIMIT = 3
const OPERATION_RANK: Record<Operation['type'], number> = {
  'update-group': 0,
  'update-member': 1,
  'invite-member': 2,
  'remove-member': 3
}
const KIND_RANK = { group: 0, role: 1 }

/** Groups before roles, by target name, removals before additions, then e-mail. */
export function compareChanges(a: Change, b: Change): number {
  const ra = ACTION_RANK[a.action]
  const rb = ACTION_RANK[b.action]
  return (
    KIND_RANK[a.target.kind] - KIND_RANK[b.target.kind] ||
    compareStrings(a.target.name, b.target.name) ||
    compareStrings(a.target.id, b.target.id) ||
    Number(ra >= REMOVAL_RANK_LIMIT) - Number(rb >= REMOVAL_RANK_LIMIT) ||
    compareStrings(emailKey(a.email), emailKey(b.email)) ||
    ra - rb ||
    compareStrings(a.email, b.email)
  )
}

function operationName(op: Operation): [string, string] {
  switch (op.type) {
    case 'update-group':
      return [op.groupName, op.groupId]
    case 'invite-member':
      return [emailKey(op.email), op.email]
    default:
      return [emailKey(op.email), op.memberId]
  }
}

/** By type (update-group, update-member, invite-member, remove-member), then group name or e-mail. */
export function compareOperations(a: Operation, b: Operation): number {
  const [na, ia] = operationName(a)
  const [nb, ib] = operationName(b)
  return (
    OPERATION_RANK[a.type] - OPERATION_RANK[b.type] ||
    compareStrings(na, nb) ||
    compareStrings(ia, ib)
  )
}

/** Errors first, then by target (groups before roles, by name), kind and e-mail. */
export function compareFindings(a: Finding, b: Finding): number {
  const ta = a.target ? KIND_RANK[a.target.kind] : 2
  const tb = b.target ? KIND_RANK[b.target.kind] : 2
  return (
    Number(a.severity !== 'error') - Number(b.severity !== 'error') ||
    ta - tb ||
    compareStrings(a.target?.name ?? '', b.target?.name ?? '') ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(emailKey(a.email ?? ''), emailKey(b.email ?? '')) ||
    compareStrings(a.message, b.message)
  )
}

/** Groups before roles, by target name, then e-mail: the same order as the changes. */
export function compareExpiring(a: ExpiringGrant, b: ExpiringGrant): number {
  return (
    KIND_RANK[a.target.kind] - KIND_RANK[b.target.kind] ||
    compareStrings(a.target.name, b.target.name) ||
    compareStrings(a.target.id, b.target.id) ||
    compareStrings(emailKey(a.email), emailKey(b.email))
  )
}

export function compareNamed(
  a: { name: string; id: string },
  b: { name: string; id: string }
): number {
  return compareStrings(a.name, b.name) || compareStrings(a.id, b.id)
}
