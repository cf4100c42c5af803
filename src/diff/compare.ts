import type { Change, Plan } from '../model/index.js'
import { emailKey } from './email.js'

/**
 * What makes two changes "the same request" across plans: action, target kind and name, and e-mail.
 * Ids, causes and operation indexes are left out because they differ between otherwise equal plans.
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
 * Indexes of headPlan.changes that basePlan does not contain: what the pull request asks for.
 * The other changes are drift that merging will correct as well.
 */
export function splitByPullRequest(headPlan: Plan, basePlan: Plan): number[] {
  const base = new Set(basePlan.changes.map(changeKey))
  const requested: number[] = []
  headPlan.changes.forEach((change, i) => {
    if (!base.has(changeKey(change))) requested.push(i)
  })
  return requested
}

/** Apply must not run: an error finding, or a guard nobody overrode. */
export function isPlanBlocked(plan: Plan): boolean {
  return plan.findings.some((f) => f.severity === 'error') || plan.guards.some((g) => !g.overridden)
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.length > 0
}
