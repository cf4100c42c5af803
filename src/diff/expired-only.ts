/** The desired state that revokes expired grants and changes nothing else (review with revoke-expired). */
import type { AccountSnapshot, DesiredState, Grant, Plan } from '../model/index.js'
import { emailKey, emailOfRule } from './email.js'
import { grantsByEmail } from './grants.js'

/**
 * Rewrites `desired` so that planning it against `live` yields only the expired-grant removals of `plan`: every
 * managed group and role keeps exactly its live members, plus the file's expired grants, which count as absent.
 * Reusing planChanges this way keeps one engine, with its guards, for both paths.
 */
export function desiredForExpiredOnly(
  desired: DesiredState,
  live: AccountSnapshot,
  plan: Plan
): DesiredState {
  const nowMs = Date.parse(plan.generatedAt)
  // The engine's split: a person with a grant that still counts keeps it, whatever else expired.
  const expired = (grants: Grant[]): Grant[] => [...grantsByEmail(grants, nowMs).expired.values()]
  const asGrants = (emails: string[], source: Grant['source']): Grant[] => {
    const byKey = new Map(emails.map((email) => [emailKey(email), email.trim()]))
    return [...byKey].map(([key, email]) => ({ email, key, source }))
  }
  const withoutExpired = (emails: string[], grants: Grant[]): string[] => {
    const gone = new Set(expired(grants).map((grant) => grant.key))
    return emails.filter((email) => !gone.has(emailKey(email)))
  }

  const groupIds = new Map(plan.managed.groups.map((target) => [target.name, target.id]))
  const roleIds = new Map(plan.managed.roles.map((target) => [target.name, target.id]))

  return {
    ...desired,
    groups: desired.groups.map((spec) => {
      const group = live.groups.find((candidate) => candidate.id === groupIds.get(spec.name))
      const emails = (group?.include ?? []).flatMap((rule) => emailOfRule(rule) ?? [])
      return {
        ...spec,
        mode: 'authoritative' as const,
        members: [
          ...asGrants(withoutExpired(emails, spec.members), spec.source),
          ...expired(spec.members)
        ]
      }
    }),
    roles: desired.roles.map((spec) => {
      const roleId = roleIds.get(spec.name)
      const emails = live.members
        .filter((member) => !member.usesPolicies && member.roles.some((role) => role.id === roleId))
        .map((member) => member.email)
      return {
        ...spec,
        members: [
          ...asGrants(withoutExpired(emails, spec.members), spec.source),
          ...expired(spec.members)
        ]
      }
    })
  }
}
