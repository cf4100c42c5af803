import type { Change, ExpiringGrant, Finding, Operation, Target } from '../model/index.js'
import { emailKey } from './email.js'

/** What the group and role planners collect; planChanges orders it and turns it into a Plan. */
export interface PlanDraft {
  changes: Change[]
  operations: Operation[]
  findings: Finding[]
  expiring: ExpiringGrant[]
}

export function emptyDraft(): PlanDraft {
  return { changes: [], operations: [], findings: [], expiring: [] }
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
