/** Live state: what the Cloudflare account holds. Produced by src/cloudflare, consumed by src/diff. */

/** One Access rule: an object with exactly one key, the rule kind (`email`, `ip`, `group`, ...). Opaque except for `email`. */
export type AccessRule = Record<string, unknown>

export interface AccessGroup {
  id: string
  name: string
  include: AccessRule[]
  exclude: AccessRule[]
  require: AccessRule[]
}

export interface AccountRole {
  id: string
  name: string
  description?: string
}

export interface AccountMember {
  /** Membership id (not the user id). */
  id: string
  email: string
  /** accepted | pending (an invitation not yet accepted) | rejected */
  status: string
  roles: { id: string; name: string }[]
  /**
   * Members whose permission policies say more than their roles (a deny, a zone-scoped policy, a permission group
   * that is not one of their roles) are never changed by role management: a roles PUT would replace the policies.
   * Every member has policies; the ones Cloudflare derives from the roles do not count.
   */
  usesPolicies: boolean
  /** Why the member counts as managed by policies, for the people reading the plan. */
  policyReason?: string
}

export interface ZeroTrustUser {
  id: string
  email: string
  name?: string
  /** RFC 3339, or null when the user never logged in successfully. */
  lastSuccessfulLogin: string | null
  accessSeat: boolean
  gatewaySeat: boolean
}

export interface AccountSnapshot {
  accountId: string
  groups: AccessGroup[]
  members: AccountMember[]
  /** Includes Super Administrator, which the roles list omits. */
  roles: AccountRole[]
  users: ZeroTrustUser[]
  /** E-mail of the identity the API credentials belong to, when known (API key auth). */
  credentialEmail?: string
}

/** Cloudflare's roles list omits this role; it is known by its fixed id. */
export const SUPER_ADMIN_ROLE: AccountRole = {
  id: '33666b9c79b9a5273fc7344ff42f953d',
  name: 'Super Administrator - All Privileges'
}
