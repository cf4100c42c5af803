import type { AccessRule } from '../model/index.js'
import { emailKey, emailOfRule } from './email.js'

/**
 * Applies an approved membership change to a group's current include rules: keeps every rule in order,
 * drops every email rule whose e-mail matches one in `remove` (case-insensitively, duplicates too), and
 * appends `{email: {email}}` rules for the e-mails in `add` that are not already present.
 * Pure: the executor runs it on a fresh read so rules added meanwhile in Cloudflare survive.
 */
export function applyMembershipChange(
  include: AccessRule[],
  add: string[],
  remove: string[]
): AccessRule[] {
  const removeKeys = new Set(remove.map(emailKey))
  const result: AccessRule[] = []
  const present = new Set<string>()
  for (const rule of include) {
    const email = emailOfRule(rule)
    if (email !== undefined) {
      const key = emailKey(email)
      if (removeKeys.has(key)) continue
      present.add(key)
    }
    result.push(rule)
  }
  for (const email of add) {
    const key = emailKey(email)
    if (present.has(key)) continue
    present.add(key)
    result.push({ email: { email: email.trim() } })
  }
  return result
}
