import type { Change, ExpiringGrant, Finding, Operation, Target } from '../model/index.js'
import { emailKey } from './email.js'

/**
 * What one planner returns: its own changes, writes, findings and expiring grants, and how many live grants of what
 * it manages it saw (`holdings`, the base of the removal limit). planChanges joins the parts, orders them and runs
 * the guards on the joined plan.
 */
export interface PlanParts {
  changes: Change[]
  operations: Operation[]
  findings: Finding[]
  expiring: ExpiringGrant[]
  holdings: number
}

export function noParts(): PlanParts {
  return { changes: [], operations: [], findings: [], expiring: [], holdings: 0 }
}

/** The parts of several planners as one, in the order given (planChanges sorts afterwards). */
export function joinParts(parts: readonly PlanParts[]): PlanParts {
  return {
    changes: parts.flatMap((p) => p.changes),
    operations: parts.flatMap((p) => p.operations),
    findings: parts.flatMap((p) => p.findings),
    expiring: parts.flatMap((p) => p.expiring),
    holdings: parts.reduce((sum, p) => sum + p.holdings, 0)
  }
}

/** Optional Change fields copied only when known, so the Plan JSON carries no `undefined` keys. */
export function grantDetails(grant: {
  expires?: string
  reason?: string
  source?: Change['source']
}): Pick<Change, 'expires' | 'reason' | 'source'> {
  const details: Pick<Change, 'expires' | 'reason' | 'source'> = {}
  if (grant.expires !== undefined) details.expires = grant.expires
  if (grant.reason !== undefined) details.reason = grant.reason
  if (grant.source !== undefined) details.source = grant.source
  return details
}

/** The stable key of the change to `target` for `email` (see Change.key). */
export function keyOfChange(target: Target, email: string): string {
  return `${target.kind}:${target.id}:${emailKey(email)}`
}
