import type { Change, GuardViolation, Plan } from '../model/index.js'
import { emailKey } from './email.js'

/**
 * What makes two changes "the same request" across plans: action, target kind and name, and e-mail.
 * Ids, causes and operations are left out because they differ between otherwise equal plans.
 */
export function changeKey(change: Pick<Change, 'action' | 'target' | 'email'>): string {
  return JSON.stringify([
    change.action,
    change.target.kind,
    change.target.name,
    emailKey(change.email)
  ])
}

/**
 * Keys of the headPlan changes that basePlan does not contain: what the pull request asks for.
 * The other changes are drift that merging will correct as well.
 */
export function splitByPullRequest(headPlan: Plan, basePlan: Plan): string[] {
  const base = new Set(basePlan.changes.map(changeKey))
  return headPlan.changes.filter((change) => !base.has(changeKey(change))).map((c) => c.key)
}

/**
 * Why the plan may not be applied: the messages of its error findings and of guards not overridden. A guard's message
 * says what is wrong and how to fix the file; how to override it depends on who runs the plan (an Action input, a CLI
 * flag), so the caller adds that with `overrideAdvice`.
 */
export function planBlockers(
  plan: Plan,
  overrideAdvice?: (guard: GuardViolation) => string
): string[] {
  return [
    ...plan.findings.filter((f) => f.severity === 'error').map((f) => f.message),
    ...plan.guards
      .filter((g) => !g.overridden)
      .map((g) => (overrideAdvice ? `${g.message} ${overrideAdvice(g)}` : g.message))
  ]
}

export function isPlanBlocked(plan: Plan): boolean {
  return planBlockers(plan).length > 0
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0
}
