/** The key that names one grant in the access review: its decision boxes and records carry it. */

/**
 * The hidden key of one person in one group or role, e.g. `cert:group:Engineering:alice@example.com`.
 * Names and e-mails are percent-encoded except letters, digits and `@ . _ -`, so the key can never close
 * the HTML comment it sits in, contain spaces, or be confused by a `:` in a name.
 */
export function certificationKey(kind: 'group' | 'role', name: string, email: string): string {
  return `cert:${kind}:${encodeKeyPart(name)}:${encodeKeyPart(email.trim().toLowerCase())}`
}

/** The parts of a certification key; undefined for anything that is not one. */
export function parseCertificationKey(
  key: string
): { kind: 'group' | 'role'; name: string; email: string } | undefined {
  const match = /^cert:(group|role):([^:]+):([^:]+)$/.exec(key)
  if (!match) return undefined
  try {
    return {
      kind: match[1] as 'group' | 'role',
      name: decodeURIComponent(match[2]!),
      email: decodeURIComponent(match[3]!)
    }
  } catch {
    return undefined
  }
}

function encodeKeyPart(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%40/g, '@')
}
