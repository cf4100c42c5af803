/**
 * TODO(lead): the engine exports the same helper from src/diff (applyMembershipChange); it had not
 * landed when the executor was written. Switch the executor's import to '../diff/index.js' and
 * delete this file once it has.
 */
import type { AccessRule } from '../model/index.js'

/** The e-mail of an `{email: {email}}` rule, or undefined for every other rule kind. */
export function emailOfRule(rule: AccessRule): string | undefined {
  const keys = Object.keys(rule)
  if (keys.length !== 1 || keys[0] !== 'email') return undefined
  const value = rule.email
  if (typeof value !== 'object' || value === null) return undefined
  const email = (value as { email?: unknown }).email
  return typeof email === 'string' ? email : undefined
}

/**
 * Keeps every existing rule in order (non-email rules untouched, same objects), drops each email
 * rule whose address matches a removed one case-insensitively (duplicates too), and appends
 * `{email: {email}}` for added addresses not already present case-insensitively.
 */
export function applyMembershipChange(
  include: AccessRule[],
  add: string[],
  remove: string[]
): AccessRule[] {
  const removeKeys = new Set(remove.map((e) => e.trim().toLowerCase()))
  const kept = include.filter((rule) => {
    const email = emailOfRule(rule)
    return email === undefined || !removeKeys.has(email.trim().toLowerCase())
  })
  const present = new Set(
    kept
      .map(emailOfRule)
      .filter((e): e is string => e !== undefined)
      .map((e) => e.trim().toLowerCase())
  )
  const result = [...kept]
  for (const email of add) {
    const key = email.trim().toLowerCase()
    if (present.has(key)) continue
    present.add(key)
    result.push({ email: { email: email.trim() } })
  }
  return result
}
