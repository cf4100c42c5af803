import type { TokenScope } from './state.js'
import type { RouteContext } from './routes/context.js'
import type { Reply } from './http.js'
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from './routes/groups.js'
import {
  createMember,
  deleteMember,
  getMember,
  listMembers,
  updateMember
} from './routes/members.js'
import { getRole, listRoles, listUsers } from './routes/directory.js'
import { listAccessPolicies, listApps } from './routes/applications.js'
import { revokeUser } from './routes/organizations.js'

export const BASE_PATH = '/client/v4'

export type RouteHandler = (ctx: RouteContext) => Reply

export interface Route {
  method: string
  /** Segments after /client/v4; `:name` captures a path parameter. */
  pattern: string[]
  /** verify: token verification, which authenticates on its own terms. */
  handler: RouteHandler | 'verify-user-token' | 'verify-account-token'
  scope?: TokenScope
}

function route(method: string, path: string, handler: Route['handler'], scope?: TokenScope): Route {
  return { method, pattern: path.split('/').filter(Boolean), handler, ...(scope ? { scope } : {}) }
}

const ROUTES: Route[] = [
  route('GET', 'user/tokens/verify', 'verify-user-token'),
  route('GET', 'accounts/:account_id/tokens/verify', 'verify-account-token'),
  route('GET', 'accounts/:account_id/access/groups', listGroups, 'access:read'),
  route('POST', 'accounts/:account_id/access/groups', createGroup, 'access:edit'),
  route('GET', 'accounts/:account_id/access/groups/:group_id', getGroup, 'access:read'),
  route('PUT', 'accounts/:account_id/access/groups/:group_id', updateGroup, 'access:edit'),
  route('DELETE', 'accounts/:account_id/access/groups/:group_id', deleteGroup, 'access:edit'),
  route('GET', 'accounts/:account_id/access/users', listUsers, 'access-users:read'),
  route('GET', 'accounts/:account_id/access/apps', listApps, 'access-apps:read'),
  route('GET', 'accounts/:account_id/access/policies', listAccessPolicies, 'access-apps:read'),
  route('POST', 'accounts/:account_id/access/organizations/revoke_user', revokeUser, 'access:edit'),
  route('GET', 'accounts/:account_id/members', listMembers, 'members:read'),
  route('POST', 'accounts/:account_id/members', createMember, 'members:edit'),
  route('GET', 'accounts/:account_id/members/:member_id', getMember, 'members:read'),
  route('PUT', 'accounts/:account_id/members/:member_id', updateMember, 'members:edit'),
  route('DELETE', 'accounts/:account_id/members/:member_id', deleteMember, 'members:edit'),
  route('GET', 'accounts/:account_id/roles', listRoles, 'members:read'),
  route('GET', 'accounts/:account_id/roles/:role_id', getRole, 'members:read')
]

export interface RouteMatch {
  route: Route
  params: Record<string, string>
}

/** The route for a method and full path (with /client/v4), or undefined: unknown routes are 7003/7000. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  if (!path.startsWith(`${BASE_PATH}/`)) return undefined
  let segments: string[]
  try {
    segments = path.slice(BASE_PATH.length).split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return undefined
  }
  for (const candidate of ROUTES) {
    if (candidate.method !== method || candidate.pattern.length !== segments.length) continue
    const params: Record<string, string> = {}
    const matches = candidate.pattern.every((part, i) => {
      const segment = segments[i] ?? ''
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment
        return true
      }
      return part === segment
    })
    if (matches) return { route: candidate, params }
  }
  return undefined
}
