import type { Grant } from '../model/index.js'
import { emailKey } from './email.js'

const DAY_MS = 86_400_000

/** Whether a grant no longer counts: its end instant is at or before now. */
export function isExpired(grant: Grant, nowMs: number): boolean {
  if (grant.expires === undefined) return false
  return Date.parse(grant.expires) <= nowMs
}

/** Days left (rounded up) for a grant ending within the warning window, else undefined. */
export function daysLeftIfExpiring(
  grant: Grant,
  nowMs: number,
  warningDays: number
): number | undefined {
  if (grant.expires === undefined) return undefined
  const end = Date.parse(grant.expires)
  if (!(end > nowMs) || end > nowMs + warningDays * DAY_MS) return undefined
  return Math.ceil((end - nowMs) / DAY_MS)
}

/** The grants of one group or role for each person, split into those that count and those that expired. */
export interface GrantsByEmail {
  /** The first grant that still counts, per e-mail key. */
  active: Map<string, Grant>
  /** The first expired grant, per e-mail key, for keys with no grant that still counts. */
  expired: Map<string, Grant>
}

export function grantsByEmail(members: Grant[], nowMs: number): GrantsByEmail {
  const active = new Map<string, Grant>()
  const expired = new Map<string, Grant>()
  for (const grant of members) {
    const key = grant.key || emailKey(grant.email)
    if (isExpired(grant, nowMs)) {
      if (!expired.has(key)) expired.set(key, grant)
    } else if (!active.has(key)) {
      active.set(key, grant)
    }
  }
  for (const key of active.keys()) expired.delete(key)
  return { active, expired }
}
