/**
 * Whether an account member's access can be managed with roles.
 *
 * Cloudflare gives every member `policies`, also members given legacy roles: it derives one allow policy per
 * member from the roles, its permission groups named like the roles and scoped to the whole account. So a
 * non-empty `policies` list says nothing on its own. A member is role-representable when every policy is such a
 * derived one; anything else (a deny, a zone or other resource group, a permission group that is not one of the
 * member's roles) is access a roles PUT would destroy, since Cloudflare regenerates the policies from the roles.
 */
import { z } from 'zod'

const policySchema = z.looseObject({
  access: z.string(),
  permission_groups: z.array(z.looseObject({ name: z.string() })),
  resource_groups: z.array(
    z.looseObject({
      // Recorded as a single object; tolerate a list of one.
      scope: z.union([
        z.looseObject({ key: z.string(), objects: z.array(z.looseObject({ key: z.string() })) }),
        z.array(
          z.looseObject({ key: z.string(), objects: z.array(z.looseObject({ key: z.string() })) })
        )
      ])
    })
  )
})

/** Why role management must leave this member alone, or undefined when roles describe their access. */
export function policyManagedReason(
  policies: readonly unknown[],
  roleNames: readonly string[],
  accountId: string
): string | undefined {
  const roles = new Set(roleNames.map(normalize))
  const accountScope = `com.cloudflare.api.account.${accountId.toLowerCase()}`
  for (const raw of policies) {
    const parsed = policySchema.safeParse(raw)
    if (!parsed.success) return 'a permission policy has a shape this tool cannot read'
    const policy = parsed.data
    if (policy.access !== 'allow') return `a permission policy says "${policy.access}"`
    for (const group of policy.resource_groups) {
      const scopes = Array.isArray(group.scope) ? group.scope : [group.scope]
      for (const scope of scopes) {
        const wholeAccount =
          scope.key.toLowerCase() === accountScope &&
          scope.objects.length === 1 &&
          scope.objects[0]!.key === '*'
        if (!wholeAccount)
          return `a permission policy is scoped to ${describeScope(scope)}, not the whole account`
      }
    }
    if (policy.resource_groups.length === 0) return 'a permission policy names no resources'
    const extra = policy.permission_groups.find((group) => !roles.has(normalize(group.name)))
    if (extra) return `a permission policy grants "${extra.name}", which is not one of their roles`
  }
  return undefined
}

function describeScope(scope: { key: string; objects: { key: string }[] }): string {
  const objects = scope.objects.map((object) => object.key)
  if (
    scope.key.startsWith('com.cloudflare.api.account.zone') ||
    objects.some((key) => key.includes('.zone.'))
  )
    return `zones (${objects.join(', ') || scope.key})`
  return objects.length > 0 && !(objects.length === 1 && objects[0] === '*')
    ? `${scope.key} (${objects.join(', ')})`
    : scope.key
}

function normalize(name: string): string {
  return name.trim().toLowerCase()
}
