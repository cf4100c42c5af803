import { createHash } from 'node:crypto'

/** Token permissions the emulator knows; a token without `scopes` in the seed holds all of them. */
export const TOKEN_SCOPES = [
  'access:read',
  'access:edit',
  'access-users:read',
  'access-apps:read',
  'members:read',
  'members:edit'
] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

/** One Access rule: exactly one key (the rule kind), stored verbatim. */
export type EmulatorRule = Record<string, unknown>

export interface EmulatorGroup {
  id: string
  name: string
  include: EmulatorRule[]
  exclude: EmulatorRule[]
  require: EmulatorRule[]
  /** Absent unless seeded or sent: recorded list answers carry no is_default. */
  is_default?: boolean
  created_at: string
  updated_at: string
}

export interface EmulatorMemberUser {
  id: string
  email: string
  first_name: string | null
  last_name: string | null
  two_factor_authentication_enabled: boolean
}

/** A permission policy on a membership; opaque to the emulator, echoed as stored. */
export type EmulatorPolicy = Record<string, unknown>

export interface EmulatorMember {
  /** Membership id (32 hex), not the user id. */
  id: string
  status: 'accepted' | 'pending' | 'rejected'
  user: EmulatorMemberUser
  /** Role ids; resolved to full role objects in responses. */
  roles: string[]
  policies: EmulatorPolicy[]
}

export interface EmulatorRole {
  id: string
  name: string
  description: string
  permissions: Record<string, unknown>
}

export interface EmulatorUser {
  id: string
  uid: string
  email: string
  name: string
  access_seat: boolean
  gateway_seat: boolean
  seat_uid: string
  active_device_count: number
  last_successful_login: string | null
  created_at: string
  updated_at: string
}

export interface EmulatorToken {
  value: string
  id: string
  status: 'active' | 'disabled' | 'expired'
  /** user: verifiable at /user/tokens/verify; account: only at /accounts/{id}/tokens/verify. */
  owner: 'user' | 'account'
  scopes: TokenScope[]
}

export interface EmulatorAccessPolicy {
  id: string
  name: string
  decision: string
  include: EmulatorRule[]
  exclude: EmulatorRule[]
  require: EmulatorRule[]
  reusable: boolean
}

export interface EmulatorApp {
  id: string
  name: string
  domain: string
  type: string
  policies: EmulatorAccessPolicy[]
}

export interface EmulatorKey {
  email: string
  key: string
}

export interface EmulatorState {
  accountId: string
  groups: EmulatorGroup[]
  members: EmulatorMember[]
  /** The account's roles. Super Administrator is not here: see SUPER_ADMINISTRATOR_ROLE. */
  roles: EmulatorRole[]
  /** Whether GET /roles lists Super Administrator too (seed `list_super_administrator`, default true). */
  listSuperAdministrator: boolean
  users: EmulatorUser[]
  /** Access applications, each with its policies embedded as the list answer shows them. */
  apps: EmulatorApp[]
  /** Reusable Access policies (GET /access/policies). */
  accessPolicies: EmulatorAccessPolicy[]
  credentials: { tokens: EmulatorToken[]; keys: EmulatorKey[] }
  /**
   * Every POST /access/organizations/revoke_user, oldest first: whose Access sessions were ended and when. Not
   * readable through the API (Cloudflare shows only its effect: the person signs in again), so tests read it here.
   */
  sessionRevocations: { email: string; at: string }[]
  /** Feeds deterministic ids for objects created through the API, so reruns give the same ids. */
  sequence: number
}

/**
 * Known to every account and assignable. Cloudflare's GET /roles has been reported both to list it (Terraform's 2025
 * acceptance tests look it up there) and to omit it, so whether the list shows it is a seed option. As recorded.
 */
export const SUPER_ADMINISTRATOR_ROLE: EmulatorRole = {
  id: '33666b9c79b9a5273fc7344ff42f953d',
  name: 'Super Administrator - All Privileges',
  description:
    'Can edit any Cloudflare setting, make purchases, update billing, and manage memberships. Super Administrators can revoke the access of other Super Administrators.',
  permissions: {
    access: { edit: true, read: true },
    analytics: { edit: false, read: true }
  }
}

/** The roles GET /roles lists, in order: Super Administrator first when the account lists it. */
export function listedRoles(state: EmulatorState): EmulatorRole[] {
  return state.listSuperAdministrator ? [SUPER_ADMINISTRATOR_ROLE, ...state.roles] : state.roles
}

function digest(input: string): string {
  return createHash('sha256').update(input).digest('hex')
}

/** 32 lowercase hex characters derived from `input` (member, role, token and user ids). */
export function hexIdFrom(input: string): string {
  return digest(input).slice(0, 32)
}

/** A version-4-shaped UUID derived from `input` (group, Zero Trust user and seat ids). */
export function uuidFrom(input: string): string {
  const h = digest(input)
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The id of the permission group a role's derived policy grants: what a policies PUT names to mean that role. */
export function permissionGroupIdOf(roleId: string): string {
  return hexIdFrom(`permission-group:${roleId}`)
}

/** Next deterministic id for an object created through the API. */
export function nextCreatedId(state: EmulatorState, kind: string, key: string): string {
  state.sequence += 1
  return `${kind}:${key}:${state.sequence}`
}

export function findGroupById(state: EmulatorState, id: string): EmulatorGroup | undefined {
  return state.groups.find((g) => g.id === id)
}

/** The first group with exactly this name (names are not unique in Cloudflare). */
export function findGroupByName(state: EmulatorState, name: string): EmulatorGroup | undefined {
  return state.groups.find((g) => g.name === name)
}

export function findGroupsByName(state: EmulatorState, name: string): EmulatorGroup[] {
  return state.groups.filter((g) => g.name === name)
}

export function findMemberById(state: EmulatorState, id: string): EmulatorMember | undefined {
  return state.members.find((m) => m.id === id)
}

/** Case-insensitive, like Cloudflare's own duplicate check. */
export function findMemberByEmail(state: EmulatorState, email: string): EmulatorMember | undefined {
  const key = email.trim().toLowerCase()
  return state.members.find((m) => m.user.email.toLowerCase() === key)
}

/** Looks a role up by id or exact name, Super Administrator included. */
export function findRole(state: EmulatorState, idOrName: string): EmulatorRole | undefined {
  if (idOrName === SUPER_ADMINISTRATOR_ROLE.id || idOrName === SUPER_ADMINISTRATOR_ROLE.name) {
    return SUPER_ADMINISTRATOR_ROLE
  }
  return state.roles.find((r) => r.id === idOrName) ?? state.roles.find((r) => r.name === idOrName)
}

export function findUserByEmail(state: EmulatorState, email: string): EmulatorUser | undefined {
  const key = email.trim().toLowerCase()
  return state.users.find((u) => u.email.toLowerCase() === key)
}

/** E-mail addresses in a group's `include` email rules, in order (a convenience for tests). */
export function groupEmails(group: EmulatorGroup): string[] {
  const emails: string[] = []
  for (const rule of group.include) {
    const value = rule['email'] as { email?: unknown } | undefined
    if (value && typeof value.email === 'string') emails.push(value.email)
  }
  return emails
}

/** Role names of a member, in the stored order (a convenience for tests). */
export function memberRoleNames(state: EmulatorState, member: EmulatorMember): string[] {
  return member.roles.map((id) => findRole(state, id)?.name ?? id)
}
