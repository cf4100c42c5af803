/**
 * What each Access group opens: the account's Access applications (each list entry embeds its policies) and, only
 * when an embedded policy arrives without its rules, the reusable policies it points at. The read is optional
 * context: a token without "Access: Apps and Policies Read" gets a note, not a failure.
 */
import { z } from 'zod'
import type { AccessApplication, ApplicationPolicy } from '../diff/applications.js'
import type { AccessRule } from '../model/index.js'
import { CloudflareApiError, TOKEN_PERMISSIONS } from './errors.js'

export type { AccessApplication, ApplicationPolicy } from '../diff/applications.js'

/** API maximum for the apps list (recorded answers show per_page 1000) and for reusable policies. */
export const APPLICATION_PAGE_SIZES = { apps: 1000, policies: 1000 } as const

export const APPS_PERMISSION = TOKEN_PERMISSIONS.appsRead

const rules = z.array(z.record(z.string(), z.unknown())).nullish()

const policySchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  decision: z.string().nullish(),
  include: rules,
  exclude: rules,
  require: rules
})

export const applicationSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  domain: z.string().nullish(),
  type: z.string().nullish(),
  policies: z.array(policySchema).nullish()
})

export const reusablePolicySchema = policySchema

export type ApplicationsRead =
  | { status: 'read'; applications: AccessApplication[] }
  | { status: 'forbidden'; permission: string }

type RawPolicy = z.infer<typeof policySchema>
type RawApplication = z.infer<typeof applicationSchema>

/** A list reader as the client has it: every page at the given size, each item checked against the schema. */
export type ListReader = <S extends z.ZodType>(
  path: string,
  perPage: number,
  schema: S,
  what: string
) => Promise<z.infer<S>[]>

function hasRules(policy: RawPolicy): boolean {
  return Array.isArray(policy.include)
}

function toPolicy(policy: RawPolicy): ApplicationPolicy {
  return {
    id: policy.id,
    name: policy.name ?? policy.id,
    decision: policy.decision ?? 'allow',
    include: (policy.include ?? []) as AccessRule[],
    exclude: (policy.exclude ?? []) as AccessRule[],
    require: (policy.require ?? []) as AccessRule[]
  }
}

/**
 * ceil(apps / 1000) requests, plus ceil(reusable policies / 1000) only when some app lists a policy without its
 * rules. A 403 on either list is the missing permission, said once; any other failure is thrown.
 */
export async function readAccessApplications(
  list: ListReader,
  accountPath: string
): Promise<ApplicationsRead> {
  try {
    const apps: RawApplication[] = await list(
      `${accountPath}/access/apps`,
      APPLICATION_PAGE_SIZES.apps,
      applicationSchema,
      'Access applications'
    )
    const unresolved = apps.some((app) => (app.policies ?? []).some((p) => !hasRules(p)))
    const reusable = new Map<string, RawPolicy>()
    if (unresolved) {
      const policies = await list(
        `${accountPath}/access/policies`,
        APPLICATION_PAGE_SIZES.policies,
        reusablePolicySchema,
        'reusable Access policies'
      )
      for (const policy of policies) reusable.set(policy.id, policy)
    }
    return {
      status: 'read',
      applications: apps.map((app) => ({
        id: app.id,
        name: app.domain || app.name || app.id,
        ...(app.domain ? { domain: app.domain } : {}),
        policies: (app.policies ?? []).map((p) =>
          toPolicy(hasRules(p) ? p : (reusable.get(p.id) ?? p))
        )
      }))
    }
  } catch (error) {
    if (error instanceof CloudflareApiError && error.status === 403) {
      return { status: 'forbidden', permission: APPS_PERMISSION }
    }
    throw error
  }
}
