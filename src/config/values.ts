/** Validation of the scalar values an access file holds, shared by the schema, the parser and the exporter. */

// Practical rather than RFC 5322: what Cloudflare accepts as an email rule and what people actually write.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$/

export function isEmailAddress(text: string): boolean {
  return text.length <= 254 && EMAIL.test(text)
}

/** The only thing ever compared: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}

// A GitHub login (1-39 alphanumerics or single hyphens) or a team as @org/team-slug.
const GITHUB_LOGIN = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/
const GITHUB_TEAM = /^@[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}\/[A-Za-z0-9_.-]+$/

export function isOwner(text: string): boolean {
  return GITHUB_LOGIN.test(text) || GITHUB_TEAM.test(text)
}

export const ACCOUNT_ID = /^[0-9a-fA-F]{32}$/

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.\d{1,9})?)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  )
}

/**
 * The ISO instant from which a grant with this `expires` no longer counts, or undefined when the text is not a date
 * (YYYY-MM-DD, meaning 00:00 UTC that day) or an ISO date-time with an offset (Z or +hh:mm).
 */
export function expiryInstant(value: string | Date): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString()
  const text = value.trim()
  if (isCalendarDate(text)) return `${text}T00:00:00.000Z`
  const match = DATE_TIME.exec(text)
  if (!match || !isCalendarDate(match[1]!)) return undefined
  const time = new Date(text)
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString()
}

/** Code-point order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
