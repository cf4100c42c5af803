import { ApiError, badRequest, noRoute, notFound, paginate, success, type Reply } from '../http.js'
import {
  SUPER_ADMINISTRATOR_ROLE,
  findMemberByEmail,
  findRole,
  hexIdFrom,
  nextCreatedId,
  permissionGroupIdOf,
  type EmulatorMember,
  type EmulatorPolicy,
  type EmulatorState
} from '../state.js'
import { isPlainObject, type RouteContext } from './context.js'

const HEX32 = /^[0-9a-f]{32}$/

function invalid(message: string): ApiError {
  return badRequest(1001, `Invalid request: ${message}`)
}

/**
 * The policies Cloudflare derives from a member's roles (recorded shape): one allow policy per role, its permission
 * group named like the role, scoped to the whole account by a single scope object.
 */
function derivedPolicies(state: EmulatorState, member: EmulatorMember): EmulatorPolicy[] {
  const account = `com.cloudflare.api.account.${state.accountId}`
  return member.roles.map((id) => {
    const role = findRole(state, id)
    return {
      id: hexIdFrom(`policy:${member.id}:${id}`),
      access: 'allow',
      permission_groups: [
        {
          id: permissionGroupIdOf(id),
          name: role?.name ?? id,
          meta: {
            description: role?.description ?? '',
            editable: 'false',
            label: (role?.name ?? id).toLowerCase().replace(/[^a-z0-9]+/g, '_'),
            scopes: 'com.cloudflare.api.account'
          }
        }
      ],
      resource_groups: [
        {
          id: hexIdFrom(`resource-group:${account}`),
          name: account,
          meta: { editable: 'false' },
          scope: { key: account, objects: [{ key: '*' }] }
        }
      ]
    }
  })
}

function wholeAccount(state: EmulatorState, policy: EmulatorPolicy): boolean {
  const account = `com.cloudflare.api.account.${state.accountId}`
  const groups = policy['resource_groups']
  return (
    Array.isArray(groups) &&
    groups.length > 0 &&
    groups.every((group) => {
      const scopes = isPlainObject(group) ? group['scope'] : undefined
      return (Array.isArray(scopes) ? scopes : [scopes]).every(
        (scope) =>
          isPlainObject(scope) &&
          scope['key'] === account &&
          Array.isArray(scope['objects']) &&
          scope['objects'].length === 1 &&
          isPlainObject(scope['objects'][0]) &&
          scope['objects'][0]['key'] === '*'
      )
    })
  )
}

/**
 * The roles a member's policies amount to, as Cloudflare answers a member created or updated with policies: each
 * permission group of an allow policy scoped to the whole account that is a role (by the derived permission group's
 * id or by name). Zone-scoped and deny policies give no role.
 */
export function rolesFromPolicies(state: EmulatorState, policies: EmulatorPolicy[]): string[] {
  const roles = new Set<string>()
  for (const policy of policies) {
    if (policy['access'] !== 'allow' || !wholeAccount(state, policy)) continue
    const groups = policy['permission_groups']
    if (!Array.isArray(groups)) continue
    for (const group of groups) {
      if (!isPlainObject(group)) continue
      const role = [SUPER_ADMINISTRATOR_ROLE, ...state.roles].find(
        (r) => group['id'] === permissionGroupIdOf(r.id) || group['name'] === r.name
      )
      if (role) roles.add(role.id)
    }
  }
  return [...roles]
}

/**
 * Members as the API returns them (recorded shape): no top-level email, full role objects, and always policies:
 * those set explicitly, or else the ones derived from the roles. POST answers without roles.
 */
export function memberResponse(
  state: EmulatorState,
  member: EmulatorMember,
  { withRoles = true }: { withRoles?: boolean } = {}
): Record<string, unknown> {
  return {
    id: member.id,
    user: member.user,
    status: member.status,
    api_access_enabled: null,
    policies: member.policies.length > 0 ? member.policies : derivedPolicies(state, member),
    ...(withRoles ? { roles: memberRoles(state, member) } : {})
  }
}

function memberRoles(state: EmulatorState, member: EmulatorMember): Record<string, unknown>[] {
  return member.roles.map((id) => {
    const role = findRole(state, id)
    return role
      ? {
          id: role.id,
          name: role.name,
          description: role.description,
          permissions: role.permissions
        }
      : { id, name: id, description: '', permissions: {} }
  })
}

function findMember(ctx: RouteContext): EmulatorMember {
  const id = ctx.params['member_id'] ?? ''
  if (!HEX32.test(id)) throw noRoute(ctx.path)
  const member = ctx.state.members.find((m) => m.id === id)
  if (!member) throw notFound(ctx.path, `no member ${id} in this account`)
  return member
}

function checkRoleId(state: EmulatorState, id: string): void {
  if (!findRole(state, id) || findRole(state, id)?.id !== id) {
    throw invalid(
      `role ${id} does not exist in this account; list /accounts/{id}/roles for valid ids`
    )
  }
}

/** Resource groups the account knows: those in any member's policies (the seed is the catalogue). */
function knownResourceGroups(state: EmulatorState): Map<string, Record<string, unknown>> {
  const known = new Map<string, Record<string, unknown>>()
  for (const member of state.members) {
    for (const policy of member.policies) {
      const groups = policy['resource_groups']
      if (!Array.isArray(groups)) continue
      for (const group of groups) {
        if (
          isPlainObject(group) &&
          typeof group['id'] === 'string' &&
          (isPlainObject(group['scope']) || Array.isArray(group['scope']))
        ) {
          known.set(group['id'], group)
        }
      }
    }
  }
  return known
}

/** Policies as sent, with `{id}` resource groups expanded to the full objects the API answers with. */
function readPolicies(state: EmulatorState, value: unknown): EmulatorPolicy[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isPlainObject)) {
    throw invalid('"policies" must be a non-empty array of policy objects')
  }
  const known = knownResourceGroups(state)
  return value.map((policy, i) => {
    const { access, permission_groups, resource_groups } = policy
    if (access !== 'allow' && access !== 'deny') {
      throw invalid(`policies[${i}].access must be "allow" or "deny"`)
    }
    if (!Array.isArray(permission_groups) || permission_groups.length === 0) {
      throw invalid(`policies[${i}].permission_groups must be a non-empty array of {"id": "..."}`)
    }
    if (!Array.isArray(resource_groups) || resource_groups.length === 0) {
      throw invalid(`policies[${i}].resource_groups must be a non-empty array of {"id": "..."}`)
    }
    const expanded = resource_groups.map((group: unknown) => {
      const id = isPlainObject(group) ? group['id'] : undefined
      if (typeof id !== 'string') {
        throw invalid(`policies[${i}].resource_groups must be a non-empty array of {"id": "..."}`)
      }
      const full = known.get(id)
      if (!full) throw invalid(`resource group ${id} does not exist in this account`)
      return structuredClone(full)
    })
    return structuredClone({ ...policy, resource_groups: expanded })
  })
}

type SortKey = 'user.first_name' | 'user.last_name' | 'user.email' | 'status'

function sortValue(member: EmulatorMember, key: SortKey): string {
  switch (key) {
    case 'user.first_name':
      return member.user.first_name ?? ''
    case 'user.last_name':
      return member.user.last_name ?? ''
    case 'user.email':
      return member.user.email.toLowerCase()
    case 'status':
      return member.status
  }
}

export function listMembers(ctx: RouteContext): Reply {
  let members = ctx.state.members
  const status = ctx.query['status']
  if (status !== undefined) {
    if (!['accepted', 'pending', 'rejected'].includes(status)) {
      throw invalid(`status must be accepted, pending or rejected, got "${status}"`)
    }
    members = members.filter((m) => m.status === status)
  }
  const order = ctx.query['order']
  if (order !== undefined) {
    if (!['user.first_name', 'user.last_name', 'user.email', 'status'].includes(order)) {
      throw invalid(
        `order must be user.first_name, user.last_name, user.email or status, got "${order}"`
      )
    }
    const sign = ctx.query['direction'] === 'desc' ? -1 : 1
    members = [...members].sort(
      (a, b) => sign * sortValue(a, order as SortKey).localeCompare(sortValue(b, order as SortKey))
    )
  }
  return paginate(
    members,
    ctx.query,
    { defaultPerPage: 20, minPerPage: 5, maxPerPage: 50, outOfRange: 'reject' },
    (m) => memberResponse(ctx.state, m)
  )
}

export function getMember(ctx: RouteContext): Reply {
  return success(memberResponse(ctx.state, findMember(ctx)))
}

/** POST takes role ids as strings; new members are pending invitations. */
export function createMember(ctx: RouteContext): Reply {
  const body = ctx.body
  if (!isPlainObject(body)) throw invalid('the body must be a JSON object with email and roles')
  const { email, roles, policies, status } = body
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) {
    throw invalid('"email" is required and must be an e-mail address')
  }
  if (roles !== undefined && policies !== undefined) {
    throw invalid('Member must be created with roles or policies (not both)')
  }
  if (roles === undefined && policies === undefined) {
    throw invalid('a member needs "roles" (role ids) or "policies"')
  }
  if (status !== undefined && status !== 'pending') {
    if (status === 'accepted') {
      throw invalid('automatic verification of new members is not allowed')
    }
    throw invalid(`"status" must be pending, got ${JSON.stringify(status)}`)
  }
  let roleIds: string[] = []
  let memberPolicies: EmulatorPolicy[] = []
  if (roles !== undefined) {
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every((r) => typeof r === 'string')) {
      throw invalid('"roles" must be a non-empty array of role id strings when creating a member')
    }
    for (const id of roles) checkRoleId(ctx.state, id)
    roleIds = [...new Set(roles)]
  } else {
    memberPolicies = readPolicies(ctx.state, policies)
  }
  const existing = findMemberByEmail(ctx.state, email)
  if (existing) {
    throw invalid(
      `${existing.user.email} is already a member of this account (member ${existing.id}); update that membership instead`
    )
  }
  const address = email.trim()
  const member: EmulatorMember = {
    id: hexIdFrom(nextCreatedId(ctx.state, 'member', address.toLowerCase())),
    status: 'pending',
    user: {
      id: hexIdFrom(`user:${address.toLowerCase()}`),
      email: address,
      first_name: null,
      last_name: null,
      two_factor_authentication_enabled: false
    },
    roles: roles === undefined ? rolesFromPolicies(ctx.state, memberPolicies) : roleIds,
    policies: memberPolicies
  }
  ctx.state.members.push(member)
  // Like the live API (Terraform reads the member again after POST): the answer has no roles.
  return success(memberResponse(ctx.state, member, { withRoles: false }))
}

/**
 * PUT takes role objects `{id}` and replaces the whole role set. Like the live API (Terraform PR #6581),
 * `status: "pending"` sent for an accepted member makes the change silently not apply.
 */
export function updateMember(ctx: RouteContext): Reply {
  const member = findMember(ctx)
  const body = ctx.body
  if (!isPlainObject(body)) throw invalid('the body must be a JSON object with roles or policies')
  const { roles, policies, status } = body
  if (roles !== undefined && policies !== undefined) {
    throw invalid('Member must be updated with roles or policies (not both)')
  }
  if (roles === undefined && policies === undefined) {
    throw invalid('send the complete "roles" ([{"id": "..."}]) or "policies" of the member')
  }
  if (status !== undefined && status !== 'accepted' && status !== 'pending') {
    throw invalid(`"status" must be accepted or pending, got ${JSON.stringify(status)}`)
  }
  let roleIds: string[] | undefined
  let newPolicies: EmulatorPolicy[] | undefined
  if (roles !== undefined) {
    if (!Array.isArray(roles)) throw invalid('"roles" must be an array of {"id": "<role id>"}')
    if (roles.some((r) => typeof r === 'string')) {
      throw invalid(
        '"roles" must be objects like {"id": "<role id>"} when updating a member (strings are for create)'
      )
    }
    if (!roles.every((r) => isPlainObject(r) && typeof r['id'] === 'string')) {
      throw invalid('"roles" must be an array of {"id": "<role id>"}')
    }
    if (roles.length === 0) {
      throw invalid(
        'a member needs at least one role; delete the membership to remove the last role'
      )
    }
    roleIds = [...new Set(roles.map((r) => (r as { id: string }).id))]
    for (const id of roleIds) checkRoleId(ctx.state, id)
  } else {
    newPolicies = readPolicies(ctx.state, policies)
  }
  const silentlyIgnored = status === 'pending' && member.status === 'accepted'
  if (!silentlyIgnored) {
    if (roleIds) {
      member.roles = roleIds
      member.policies = []
    }
    if (newPolicies) {
      // A policies PUT regenerates the roles from the account-wide policies, as a roles PUT regenerates policies.
      member.policies = newPolicies
      member.roles = rolesFromPolicies(ctx.state, newPolicies)
    }
  }
  return success(memberResponse(ctx.state, member))
}

export function deleteMember(ctx: RouteContext): Reply {
  const member = findMember(ctx)
  ctx.state.members.splice(ctx.state.members.indexOf(member), 1)
  return success({ id: member.id })
}
