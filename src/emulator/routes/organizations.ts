import { badRequest, success, type Reply } from '../http.js'
import { isPlainObject, type RouteContext } from './context.js'

/**
 * POST /access/organizations/revoke_user `{email}`: "Revokes a user's access across all applications" (OpenAPI
 * operation zero-trust-organization-revoke-all-access-tokens-for-a-user). The documented answer is the Access empty
 * response, `result: true`. Where the documentation is silent, the emulator chooses: an e-mail without a Zero Trust
 * user is still `true` (there is nothing to end, and Cloudflare does not say otherwise), and a body without an
 * e-mail is 400 12130 like any invalid Access request.
 */
export function revokeUser(ctx: RouteContext): Reply {
  const email = isPlainObject(ctx.body) ? ctx.body['email'] : undefined
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email.trim())) {
    throw badRequest(
      12130,
      'access.api.error.invalid_request: "email" is required and must be an e-mail address'
    )
  }
  ctx.state.sessionRevocations.push({ email: email.trim(), at: ctx.now().toISOString() })
  return success(true)
}
