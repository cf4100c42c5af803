/**
 * Certification ticks in the access-review issue. Each inventory line is a task-list item carrying a hidden
 * key, so the next run can read which people reviewers certified and keep those ticks when it re-renders.
 */

/** Item key -> ticked. */
export type CertificationState = Record<string, boolean>

/**
 * The hidden key of one person in one group or role, e.g. `cert:group:Engineering:alice@example.com`.
 * Names and e-mails are percent-encoded except letters, digits and `@ . _ -`, so the key can never close
 * the HTML comment it sits in, contain spaces, or be confused by a `:` in a name.
 */
export function certificationKey(kind: 'group' | 'role', name: string, email: string): string {
  return `cert:${kind}:${encodeKeyPart(name)}:${encodeKeyPart(email.trim().toLowerCase())}`
}

/** The hidden comment placed on an inventory line. */
export function certificationComment(key: string): string {
  return `<!-- ${key} -->`
}

const ITEM_PATTERN =
  /^[ \t]*[-*+][ \t]+\[([ xX])\][^\n]*?<!-- (cert:[A-Za-z0-9@._%:-]+) -->[ \t]*\r?$/gm

/**
 * Reads which items are ticked. A key that appears more than once counts as certified only when every
 * occurrence is ticked: a pasted duplicate line cannot certify someone on its own.
 */
export function parseCertifications(body: string): CertificationState {
  const state: CertificationState = {}
  for (const match of body.matchAll(ITEM_PATTERN)) {
    const checked = match[1] !== ' '
    const key = match[2]!
    state[key] = key in state ? state[key]! && checked : checked
  }
  return state
}

function encodeKeyPart(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%40/g, '@')
}
