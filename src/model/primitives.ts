/**
 * The few rules every layer shares, defined once: how e-mails and GitHub logins compare, how names are ordered, and
 * what an access file is before it is parsed. The layers re-export them where their callers always found them.
 */

/** One access file as read (from the workspace or from a commit through the API), before parsing. */
export interface AccessFileText {
  /** Relative to the repository root, with forward slashes. */
  path: string
  text: string
}

/** The only form in which e-mails are ever compared. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}

/** Code-point comparison: the same order on every machine and locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Logins compare case-insensitively and without the `[bot]` suffix: GraphQL shows app authors as
 * `github-actions` where REST shows `github-actions[bot]`.
 */
export function sameLogin(a: string, b: string): boolean {
  return normalizeLogin(a) === normalizeLogin(b)
}

export function normalizeLogin(login: string): string {
  return login
    .trim()
    .replace(/^@/, '')
    .replace(/\[bot\]$/i, '')
    .toLowerCase()
}
