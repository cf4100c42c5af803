/**
 * Which approvals a plan needs: one answer for the plan comment (what to ask for) and for apply (what to require), so
 * the comment never asks for less than apply will demand.
 */
import type { ChangeCause, DesiredState, Plan } from '../model/index.js'
import { emailKey } from './email.js'
import { grantedEmails } from './granted-emails.js'
import { findTouchedTargets, type TouchedTarget } from './touched-targets.js'

export interface RequiredApproval extends TouchedTarget {
  /** Whether the file change itself (base -> head) touches the target; false for changes the file on main explains. */
  touchedByFile: boolean
  /** How many planned changes of each cause the target has (expired ones are not counted: they need no approval). */
  planned: Partial<Record<ChangeCause, number>>
}

export interface ApprovalScope {
  targets: RequiredApproval[]
  /** Whose approval cannot count because the change gives them access (the shape approvals' Grantees takes). */
  grantees: {
    /** E-mail keys that gain or lengthen access: through the file change or through any planned addition. */
    emails: Set<string>
    /**
     * people: of both versions of the file (login -> e-mail keys): a person named in either is known, whichever side
     * maps them, so a pull request cannot rename itself out of the grantee rule.
     */
    people: Record<string, string[]>
  }
}

/**
 * Every group or role that has a planned change in `plan`, whatever the cause (requested, drift), needs its owners'
 * approval, and so does every target the file change touches even when Cloudflare already matches it (owners or mode
 * changed, for example). A change whose end date passed is exempt: its end date was approved with the grant. Owners
 * come from `base`, the file before the change (a change cannot appoint its own approvers); a target `base` does not
 * have has none, and the repository-wide rule (required-approvals) alone covers it; no `base` means there was no file
 * before. With nothing to compare (a workflow_dispatch), pass the file as both: its owners then count.
 */
export function approvalScope(
  plan: Plan,
  base: DesiredState | undefined,
  head: DesiredState
): ApprovalScope {
  const byKey = new Map<string, RequiredApproval>()
  for (const target of findTouchedTargets(base, head)) {
    byKey.set(keyOf(target.kind, target.name), { ...target, touchedByFile: true, planned: {} })
  }
  const emails = grantedEmails(base, head)
  for (const change of plan.changes) {
    if (change.cause === 'expired') continue
    const name = specName(head, change.target.kind, change.target.name)
    const key = keyOf(change.target.kind, name)
    let required = byKey.get(key)
    if (!required) {
      required = {
        kind: change.target.kind,
        name,
        owners: base ? ownersOf(base, change.target.kind, name) : [],
        touchedByFile: false,
        planned: {}
      }
      byKey.set(key, required)
    }
    required.planned[change.cause] = (required.planned[change.cause] ?? 0) + 1
    if (change.action === 'add' || change.action === 'grant' || change.action === 'invite') {
      emails.add(emailKey(change.email))
    }
  }
  const targets = [...byKey.values()].sort(
    (a, b) => order(a.kind) - order(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  )
  return { targets, grantees: { emails, people: peopleOf(base, head) } }
}

function peopleOf(base: DesiredState | undefined, head: DesiredState): Record<string, string[]> {
  const people: Record<string, string[]> = {}
  for (const state of [base, head]) {
    for (const [login, emails] of Object.entries(state?.people ?? {})) {
      people[login] = [...new Set([...(people[login] ?? []), ...emails])]
    }
  }
  return people
}

function keyOf(kind: 'group' | 'role', name: string): string {
  return `${kind}\u0000${name}`
}

function order(kind: 'group' | 'role'): number {
  return kind === 'group' ? 0 : 1
}

function specsOf(
  state: DesiredState,
  kind: 'group' | 'role'
): { name: string; owners: string[] }[] {
  return kind === 'group' ? state.groups : state.roles
}

/** The file's name for a planned target: Cloudflare's spelling of a role may differ from the file's in case. */
function specName(state: DesiredState, kind: 'group' | 'role', name: string): string {
  const specs = specsOf(state, kind)
  if (specs.some((spec) => spec.name === name)) return name
  return specs.find((spec) => spec.name.toLowerCase() === name.toLowerCase())?.name ?? name
}

function ownersOf(state: DesiredState, kind: 'group' | 'role', name: string): string[] {
  return [...(specsOf(state, kind).find((spec) => spec.name === name)?.owners ?? [])]
}

/**
 * Why a target the pull request does not change needs approval, in words for the refusal and the plan comment;
 * undefined when the file change touches it (its approval is the usual one).
 */
export function describeUnaskedChanges(required: RequiredApproval): string | undefined {
  if (required.touchedByFile) return undefined
  const parts: string[] = []
  const requested = required.planned.requested ?? 0
  const drift = required.planned.drift ?? 0
  if (requested > 0) {
    parts.push(
      `${requested} change${requested === 1 ? '' : 's'} the file asks for that ${requested === 1 ? 'was' : 'were'} never applied`
    )
  }
  if (drift > 0) {
    parts.push(
      `${drift} removal${drift === 1 ? '' : 's'} of access that Cloudflare has and the file does not`
    )
  }
  return `this pull request does not change it, but the plan does: ${parts.join(' and ')}`
}
