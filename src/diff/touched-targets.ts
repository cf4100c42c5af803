/** Which groups and roles a change to the access file touches, and who owns them before the change. */
import type { DesiredState, GroupSpec, RoleSpec } from '../model/index.js'

export interface TouchedTarget {
  kind: 'group' | 'role'
  name: string
  /** Owners as the base version of the file declares them: a pull request cannot appoint its own approvers. */
  owners: string[]
}

/**
 * Compares two versions of the desired state target by target. A target is touched when it was added, removed, or
 * any of its members (with expiry and reason), mode, id or owners changed. Owners come from `base`; a target that is
 * new in `head` has none (the repository-wide approval rule still applies to it). A changed account_id touches every
 * target: the same members pointed at another account grant access there, so every owner must agree. So does a
 * changed max_removals: it loosens or tightens the guard over every target's removals.
 */
export function findTouchedTargets(
  base: DesiredState | undefined,
  head: DesiredState
): TouchedTarget[] {
  const touched: TouchedTarget[] = []
  const accountChanged = base !== undefined && base.accountId !== head.accountId
  const limitChanged =
    base !== undefined &&
    JSON.stringify(base.settings.maxRemovals ?? null) !==
      JSON.stringify(head.settings.maxRemovals ?? null)
  const everyTarget = accountChanged || limitChanged
  const compare = <T extends GroupSpec | RoleSpec>(
    kind: 'group' | 'role',
    before: T[],
    after: T[]
  ): void => {
    const beforeByName = new Map(before.map((spec) => [spec.name, spec]))
    const afterByName = new Map(after.map((spec) => [spec.name, spec]))
    const names = [...new Set([...beforeByName.keys(), ...afterByName.keys()])].sort(byCodePoint)
    for (const name of names) {
      const old = beforeByName.get(name)
      const next = afterByName.get(name)
      if (old && next && !everyTarget && fingerprint(old) === fingerprint(next)) continue
      touched.push({ kind, name, owners: old ? [...old.owners] : [] })
    }
  }
  compare('group', base?.groups ?? [], head.groups)
  compare('role', base?.roles ?? [], head.roles)
  return touched
}

/** Everything about a spec that grants or governs access; source locations do not count. */
function fingerprint(spec: GroupSpec | RoleSpec): string {
  const members = spec.members
    .map((grant) => [grant.key, grant.expires ?? '', grant.reason ?? ''].join('\u0000'))
    .sort(byCodePoint)
  const owners = spec.owners.map((owner) => owner.toLowerCase()).sort(byCodePoint)
  const group = 'mode' in spec ? { mode: spec.mode, id: spec.id ?? '' } : {}
  return JSON.stringify({ members, owners, ...group })
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
