import type { IncomingHttpHeaders } from 'node:http'
import { bearerToken } from '../auth.js'
import { ApiError, noRoute, notFound, paginate, success, type Reply } from '../http.js'
import { SUPER_ADMINISTRATOR_ROLE, listedRoles, type EmulatorState } from '../state.js'
import type { RouteContext } from './context.js'

/** GET /roles lists Super Administrator unless the seed says not to; GET /roles/{id} knows it either way. */
export function listRoles(ctx: RouteContext): Reply {
  return paginate(listedRoles(ctx.state), ctx.query, {
    defaultPerPage: 20,
    minPerPage: 1,
    maxPerPage: 50,
    outOfRange: 'clamp'
  })
}

export function getRole(ctx: RouteContext): Reply {
  const id = ctx.params['role_id'] ?? ''
  if (!/^[0-9a-f]{32}$/.test(id)) throw noRoute(ctx.path)
  const role =
    id === SUPER_ADMINISTRATOR_ROLE.id
      ? SUPER_ADMINISTRATOR_ROLE
      : ctx.state.roles.find((r) => r.id === id)
  if (!role) throw notFound(ctx.path, `no role ${id} in this account`)
  return success(structuredClone(role))
}

export function listUsers(ctx: RouteContext): Reply {
  let users = ctx.state.users
  const email = ctx.query['email']?.toLowerCase()
  if (email) users = users.filter((u) => u.email.toLowerCase() === email)
  const name = ctx.query['name']
  if (name) users = users.filter((u) => u.name === name)
  const search = ctx.query['search']?.toLowerCase()
  if (search) {
    users = users.filter(
      (u) => u.email.toLowerCase().includes(search) || u.name.toLowerCase().includes(search)
    )
  }
  return paginate(users, ctx.query, {
    defaultPerPage: 1000,
    minPerPage: 1,
    maxPerPage: 1000,
    outOfRange: 'reject'
  })
}

/**
 * Token verification authenticates by itself: only a Bearer token is accepted, and a non-active token is
 * still reported (with its status) rather than refused. `accountScoped` is the /accounts/{id}/tokens/verify form.
 */
export function verifyToken(
  state: EmulatorState,
  headers: IncomingHttpHeaders,
  accountScoped: boolean
): Reply {
  const authorization = headers.authorization
  if (authorization === undefined) {
    throw new ApiError(400, [{ code: 1001, message: 'Missing "Authorization" header' }])
  }
  const value = bearerToken(authorization)
  const token = state.credentials.tokens.find((t) => t.value === value)
  if (!token) throw new ApiError(401, [{ code: 1000, message: 'Invalid API Token' }])
  if (!accountScoped && token.owner === 'account') {
    // Account-owned tokens must be verified under /accounts/{id}/tokens/verify; the user endpoint does not know them
    // (reported as 401 and as 403; the corrections of 2026-12 take 401).
    throw new ApiError(401, [{ code: 1000, message: 'Invalid API Token' }])
  }
  const messages =
    token.status === 'active'
      ? [{ code: 10000, message: 'This API Token is valid and active' }]
      : []
  return success({ id: token.id, status: token.status }, 200, messages)
}
