/** The access-review model: what a periodic user access review shows, built from the file, the account and the plan. */
import { applicationsOpenedBy } from '../diff/applications.js'
import type {
  AccessGroup,
  AccountSnapshot,
  GroupApplications,
  Change,
  DesiredState,
  ExpiringGrant,
  Grant,
  Plan,
  Target,
  ZeroTrustUser
} from '../model/index.js'
import { certificationKey } from './certifications.js'

const DAY_MS = 86_400_000

export interface AccessReviewOptions {
  now: Date
  /** Members whose last Zero Trust login is older than this many days are listed as stale. */
  staleAfterDays: number
  /** Expiring grants within this many days are listed. */
  expiryWarningDays: number
  /** What each Access group opens (readGroupApplications); absent when not read. */
  applications?: GroupApplications
}

/** What is known about one person's Zero Trust logins. */
export interface LoginInfo {
  hasZeroTrustUser: boolean
  /** RFC 3339; null when never logged in or there is no Zero Trust user. */
  lastLogin: string | null
  /** Whole days between the last login and `now`; null when there is no login. */
  daysSinceLogin: number | null
}

export interface InventoryItem extends LoginInfo {
  /** Certification key, see certificationKey. */
  key: string
  /** As stored in Cloudflare. */
  email: string
  /** From the access file, when the file grants this person with an end date. */
  expires?: string
  /** From the access file: why the grant was given, when written. */
  reason?: string
  /** Whether the access file grants this person this group or role. */
  inFile: boolean
  /** Roles only: the membership status (accepted, pending, ...). */
  memberStatus?: string
  /** Roles only: the member's access is managed by permission policies, which role management leaves alone. */
  policyManaged?: boolean
}

export interface InventorySection {
  target: Target
  /** From the access file: who certifies this group or role. */
  owners: string[]
  items: InventoryItem[]
  /** Groups, when applications were read: the applications membership opens, by name. */
  opens?: string[]
  /**
   * Groups: include rules that are not one person's e-mail (an identity-provider group, an e-mail domain, another
   * group, ...). Their members are managed elsewhere and are not listed as grants; each is described as `type: value`.
   */
  managedElsewhere?: string[]
}

export interface StaleAccess extends LoginInfo {
  email: string
  reason: 'stale' | 'never-logged-in' | 'no-zero-trust-user'
  targets: Target[]
  /** The Zero Trust seats the user holds: licences paid for access nobody uses. */
  seats: ('Access' | 'Gateway')[]
}

export interface AccessReview {
  accountId: string
  generatedAt: string
  staleAfterDays: number
  expiryWarningDays: number
  drift: {
    /** In Cloudflare but not in the file: the plan removes these. */
    notInFile: Change[]
    /** In the file but not in Cloudflare: the plan adds these. */
    notInCloudflare: Change[]
  }
  /** Grants whose end date passed: the plan removes these. */
  expired: Change[]
  expiringSoon: ExpiringGrant[]
  stale: StaleAccess[]
  noZeroTrustUser: { email: string; targets: Target[] }[]
  pendingInvitations: { email: string; roles: string[] }[]
  /** Members managed by permission policies: role management never changes them. */
  policyMembers: { email: string; roles: string[] }[]
  inventory: InventorySection[]
  /** Whether applications were read; forbidden names the permission the token lacks. */
  applications?: { status: 'read' } | { status: 'forbidden'; permission: string }
  /** Managed groups no application's policy names: membership of them opens nothing. */
  unusedGroups: Target[]
}

export function buildAccessReview(
  desired: DesiredState,
  live: AccountSnapshot,
  plan: Plan,
  options: AccessReviewOptions
): AccessReview {
  const now = options.now.getTime()
  const users = new Map<string, ZeroTrustUser>()
  for (const user of live.users) users.set(normalize(user.email), user)
  const loginOf = (email: string): LoginInfo => {
    const user = users.get(normalize(email))
    if (!user) return { hasZeroTrustUser: false, lastLogin: null, daysSinceLogin: null }
    const at = user.lastSuccessfulLogin === null ? NaN : Date.parse(user.lastSuccessfulLogin)
    if (Number.isNaN(at)) return { hasZeroTrustUser: true, lastLogin: null, daysSinceLogin: null }
    return {
      hasZeroTrustUser: true,
      lastLogin: user.lastSuccessfulLogin,
      // UTC calendar days between the login's date and the review's date: the number people see beside the date,
      // and the one the stale threshold compares, so "91 days ago" is always stale at 90.
      daysSinceLogin: Math.max(0, utcDay(now) - utcDay(at))
    }
  }

  const inventory: InventorySection[] = []
  for (const target of plan.managed.groups) {
    const spec =
      desired.groups.find((group) => group.id !== undefined && group.id === target.id) ??
      desired.groups.find((group) => group.name === target.name)
    const group = live.groups.find((candidate) => candidate.id === target.id)
    const grants = grantsByKey(spec?.members ?? [])
    const items = (group ? groupEmails(group) : []).map((email) =>
      inventoryItem(target, email, grants, loginOf)
    )
    const section: InventorySection = {
      target,
      owners: [...(spec?.owners ?? [])],
      items: sortByEmail(items)
    }
    const elsewhere = group ? otherRules(group, live.groups) : []
    if (elsewhere.length > 0) section.managedElsewhere = elsewhere
    if (options.applications?.status === 'read') {
      section.opens = applicationsOpenedBy(options.applications.uses[target.id])
    }
    inventory.push(section)
  }
  for (const target of plan.managed.roles) {
    const spec = desired.roles.find((role) => role.name === target.name)
    const grants = grantsByKey(spec?.members ?? [])
    const items = live.members
      .filter((member) => member.roles.some((role) => role.id === target.id))
      .map((member) => ({
        ...inventoryItem(target, member.email, grants, loginOf),
        memberStatus: member.status,
        ...(member.usesPolicies ? { policyManaged: true } : {})
      }))
    inventory.push({ target, owners: [...(spec?.owners ?? [])], items: sortByEmail(items) })
  }

  const byEmail = new Map<string, { email: string; targets: Target[]; login: LoginInfo }>()
  for (const section of inventory) {
    for (const item of section.items) {
      const key = normalize(item.email)
      const entry = byEmail.get(key) ?? { email: item.email, targets: [], login: item }
      entry.targets.push(section.target)
      byEmail.set(key, entry)
    }
  }
  const people = [...byEmail.values()].sort((a, b) => compareEmails(a.email, b.email))
  const stale: StaleAccess[] = []
  for (const person of people) {
    const { login } = person
    const reason = !login.hasZeroTrustUser
      ? 'no-zero-trust-user'
      : login.daysSinceLogin === null
        ? 'never-logged-in'
        : login.daysSinceLogin > options.staleAfterDays
          ? 'stale'
          : undefined
    if (!reason) continue
    const user = users.get(normalize(person.email))
    const seats: StaleAccess['seats'] = []
    if (user?.accessSeat) seats.push('Access')
    if (user?.gatewaySeat) seats.push('Gateway')
    stale.push({
      email: person.email,
      reason,
      targets: person.targets,
      seats,
      hasZeroTrustUser: login.hasZeroTrustUser,
      lastLogin: login.lastLogin,
      daysSinceLogin: login.daysSinceLogin
    })
  }

  const rolesOf = (member: { roles: { name: string }[] }) => member.roles.map((role) => role.name)
  return {
    accountId: live.accountId,
    generatedAt: options.now.toISOString(),
    staleAfterDays: options.staleAfterDays,
    expiryWarningDays: options.expiryWarningDays,
    drift: {
      notInFile: plan.changes.filter((change) => change.cause === 'drift'),
      notInCloudflare: plan.changes.filter((change) => change.cause === 'requested')
    },
    expired: plan.changes.filter((change) => change.cause === 'expired'),
    expiringSoon: plan.expiring.filter((grant) => grant.daysLeft <= options.expiryWarningDays),
    stale,
    noZeroTrustUser: people
      .filter((person) => !person.login.hasZeroTrustUser)
      .map((person) => ({ email: person.email, targets: person.targets })),
    pendingInvitations: sortByEmail(
      live.members
        .filter((member) => member.status === 'pending')
        .map((member) => ({ email: member.email, roles: rolesOf(member) }))
    ),
    policyMembers: sortByEmail(
      live.members
        .filter((member) => member.usesPolicies)
        .map((member) => ({ email: member.email, roles: rolesOf(member) }))
    ),
    inventory,
    ...(options.applications
      ? {
          applications:
            options.applications.status === 'read'
              ? { status: 'read' as const }
              : { status: 'forbidden' as const, permission: options.applications.permission }
        }
      : {}),
    unusedGroups:
      options.applications?.status === 'read'
        ? inventory
            .filter((section) => section.target.kind === 'group' && section.opens?.length === 0)
            .map((section) => section.target)
        : []
  }
}

/**
 * A group's include rules other than one person's e-mail, as `type: value` (`email_domain: example.com`,
 * `okta: eng`, `group: Contractors`): people those rules let in are managed in Cloudflare or the identity provider,
 * not by this file, so the review shows them without decision boxes.
 */
function otherRules(group: AccessGroup, groups: readonly AccessGroup[]): string[] {
  const names = new Map(groups.map((candidate) => [candidate.id, candidate.name]))
  const described: string[] = []
  for (const rule of group.include) {
    const [type, value] = Object.entries(rule as Record<string, unknown>)[0] ?? []
    if (type === undefined || type === 'email') continue
    const fields =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
    const text =
      type === 'group' && typeof fields.id === 'string'
        ? (names.get(fields.id) ?? fields.id)
        : Object.values(fields)
            .filter((field): field is string => typeof field === 'string')
            .join(' ')
    described.push(text ? `${type}: ${text}` : type)
  }
  return described
}

function inventoryItem(
  target: Target,
  email: string,
  grants: Map<string, Grant>,
  loginOf: (email: string) => LoginInfo
): InventoryItem {
  const grant = grants.get(normalize(email))
  const item: InventoryItem = {
    key: certificationKey(target.kind, target.name, email),
    email,
    inFile: grant !== undefined,
    ...loginOf(email)
  }
  if (grant?.expires) item.expires = grant.expires
  if (grant?.reason) item.reason = grant.reason
  return item
}

/** The people an Access group includes by e-mail rule; other rule kinds are not people and are not reviewed here. */
function groupEmails(group: AccessGroup): string[] {
  const seen = new Map<string, string>()
  for (const rule of group.include) {
    const value = (rule as { email?: { email?: unknown } }).email?.email
    if (typeof value === 'string' && !seen.has(normalize(value))) seen.set(normalize(value), value)
  }
  return [...seen.values()]
}

function grantsByKey(grants: readonly Grant[]): Map<string, Grant> {
  return new Map(grants.map((grant) => [grant.key, grant]))
}

function normalize(email: string): string {
  return email.trim().toLowerCase()
}

function compareEmails(a: string, b: string): number {
  const left = normalize(a)
  const right = normalize(b)
  return left < right ? -1 : left > right ? 1 : 0
}

function sortByEmail<T extends { email: string }>(items: T[]): T[] {
  return items.sort((a, b) => compareEmails(a.email, b.email))
}

function utcDay(ms: number): number {
  return Math.floor(ms / DAY_MS)
}
