/** Whose access a change to the access file grants or lengthens: those people must not approve it. */
import type { DesiredState, Grant, GroupSpec, RoleSpec } from '../model/index.js'

/**
 * E-mail keys that `head` gives a grant `base` did not have, or a longer one (a later or no expiry). A changed
 * account_id grants every member anew (in the other account). Without a base file every member is granted.
 */
export function grantedEmails(base: DesiredState | undefined, head: DesiredState): Set<string> {
  const granted = new Set<string>()
  const everything = base === undefined || base.accountId !== head.accountId
  const compare = (before: (GroupSpec | RoleSpec)[], after: (GroupSpec | RoleSpec)[]): void => {
    const beforeByName = new Map(before.map((spec) => [spec.name, spec]))
    for (const spec of after) {
      const old = everything ? undefined : beforeByName.get(spec.name)
      const oldGrants = new Map((old?.members ?? []).map((grant) => [grant.key, grant]))
      for (const grant of spec.members) {
        if (lengthens(oldGrants.get(grant.key), grant)) granted.add(grant.key)
      }
    }
  }
  compare(base?.groups ?? [], head.groups)
  compare(base?.roles ?? [], head.roles)
  return granted
}

function lengthens(before: Grant | undefined, after: Grant): boolean {
  if (!before) return true
  if (before.expires === undefined) return false
  return after.expires === undefined || after.expires > before.expires
}
