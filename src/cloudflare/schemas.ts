/**
 * The fields of Cloudflare's answers that this code relies on, checked at the boundary so a changed
 * API fails with a message naming the endpoint and field instead of an `undefined` deep in the plan.
 * Objects are loose: unknown fields are kept (a group is PUT back with everything it came with).
 */
import { z } from 'zod'

const rule = z.record(z.string(), z.unknown())

export const messageSchema = z.looseObject({
  code: z.number(),
  message: z.string(),
  error_chain: z.array(z.looseObject({ code: z.number(), message: z.string() })).optional()
})

/** Failure answers are read leniently: a malformed error body must not hide the HTTP status. */
export const failureEnvelopeSchema = z.looseObject({
  success: z.boolean().optional(),
  errors: z.array(messageSchema).optional().catch(undefined)
})

export const resultInfoSchema = z.looseObject({
  page: z.number().optional(),
  per_page: z.number().optional(),
  count: z.number().optional(),
  total_count: z.number().optional(),
  total_pages: z.number().optional()
})

export const envelopeSchema = z.looseObject({
  success: z.boolean(),
  errors: z.array(messageSchema).optional(),
  messages: z.array(z.unknown()).optional(),
  result: z.unknown(),
  result_info: resultInfoSchema.nullish()
})

export const groupSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  include: z.array(rule),
  exclude: z.array(rule).nullish(),
  require: z.array(rule).nullish(),
  // The request field is a boolean; the published response schema says "array of rules". Accept both.
  is_default: z.union([z.boolean(), z.array(z.unknown())]).nullish()
})

export const memberSchema = z
  .looseObject({
    id: z.string(),
    status: z.string(),
    email: z.string().optional(),
    user: z.looseObject({ email: z.string().optional() }).nullish(),
    roles: z.array(z.looseObject({ id: z.string(), name: z.string() })).nullish(),
    policies: z.array(z.unknown()).nullish()
  })
  .refine((m) => typeof (m.user?.email ?? m.email) === 'string', {
    message: 'a member needs user.email or email',
    path: ['user', 'email']
  })

export const roleSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish()
})

export const userSchema = z.looseObject({
  id: z.string(),
  email: z.string(),
  name: z.string().nullish(),
  last_successful_login: z.string().nullish(),
  access_seat: z.boolean().nullish(),
  gateway_seat: z.boolean().nullish()
})

export const tokenVerifySchema = z.looseObject({
  id: z.string().optional(),
  status: z.string()
})

/** POST /access/organizations/revoke_user answers the Access empty response: `result` is a boolean. */
export const revokeUserSchema = z.boolean()

export type RawAccessGroup = z.infer<typeof groupSchema>
export type RawMember = z.infer<typeof memberSchema>
export type RawRole = z.infer<typeof roleSchema>
export type RawUser = z.infer<typeof userSchema>
export type ResultInfo = z.infer<typeof resultInfoSchema>

/** "result[3].user.email: Invalid input: expected string, received undefined" */
export function describeZodError(error: z.ZodError, prefix: string): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.reduce<string>(
        (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`),
        prefix
      )
      return `${where}: ${issue.message}`
    })
    .join('; ')
}
