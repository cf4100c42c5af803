import type { AccessRule } from '../model/index.js'

export { compareStrings, emailKey } from '../model/primitives.js'

/**
 * The e-mail of a rule shaped exactly `{"email": {"email": "..."}}`, or undefined for any other rule.
 * Anything else (ip, group, email_domain, a malformed email rule) is opaque and therefore never touched.
 */
export function emailOfRule(rule: AccessRule): string | undefined {
  const keys = Object.keys(rule)
  if (keys.length !== 1 || keys[0] !== 'email') return undefined
  const value = rule.email
  if (typeof value !== 'object' || value === null) return undefined
  const email = (value as Record<string, unknown>).email
  return typeof email === 'string' ? email : undefined
}
