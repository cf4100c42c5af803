/**
 * Text that comes from outside (Cloudflare's error messages and names, anything echoed from an API answer) before it
 * reaches a comment, an issue, a summary or a log: one line, shortened, and with everything that looks like a
 * credential replaced. GitHub masks the secrets it knows in logs, never in comments, and never a secret it was not
 * told about (a token an API answer echoes, a key in a name someone typed in the dashboard).
 *
 * Ids stay readable: Cloudflare account and zone ids are 32 lowercase hex characters and group ids are UUIDs, so only
 * longer hex runs (a Global API key is 37) and mixed-case runs (API tokens, base64) count as key-like.
 */

export const REDACTED = '[redacted]'

/** Default length for one message or name from Cloudflare. */
export const EXTERNAL_TEXT_MAX_LENGTH = 300

/** Each pattern with what replaces it: the label (header, key name) stays so the message still reads. */
const CREDENTIAL_PATTERNS: readonly {
  pattern: RegExp
  replace: (...groups: string[]) => string
}[] = [
  // An Authorization header and its value, whatever the scheme.
  {
    pattern:
      /\b((?:proxy-)?authorization)\s*[:=]\s*("[^"]*"|'[^']*'|(?:(?:bearer|basic|token|digest)\s+)?\S+)/gi,
    replace: (label) => `${label}: ${REDACTED}`
  },
  {
    pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
    replace: (scheme) => `${scheme} ${REDACTED}`
  },
  // key=value and "key": "value" with a secret-sounding key (api_key, X-Auth-Key, client_secret, password, ...).
  {
    pattern:
      /\b([A-Za-z0-9_-]*(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|auth[_-]?key|access[_-]?key|private[_-]?key|credentials?|signature|cookie|session))("?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi,
    replace: (key, separator) => `${key}${separator}${REDACTED}`
  },
  // user:password@ in a URL.
  {
    pattern: /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi,
    replace: (scheme) => `${scheme}${REDACTED}@`
  },
  // Well-known token formats: Cloudflare (cfat_, cfut_), GitHub, Slack, AWS keys, JWTs, PEM private keys.
  {
    pattern: /\b(?:cf[au]t|gh[pousr]|github_pat|xox[abprs])_[A-Za-z0-9_-]{8,}/g,
    replace: () => REDACTED
  },
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g, replace: () => REDACTED },
  {
    pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    replace: () => REDACTED
  },
  {
    pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
    replace: () => REDACTED
  }
]

/** A run of key-like characters; whether it is a key is decided by `looksLikeKey`. */
const KEY_LIKE_RUN = /[A-Za-z0-9+/_=-]{32,}/g

function looksLikeKey(run: string): boolean {
  const core = run.replace(/=+$/, '')
  const pieces = core.split(/[-_/]/)
  // Longer than an id: Global API keys (37 hex), SHA-1 and SHA-256 digests, hex-encoded secrets.
  if (pieces.some((piece) => /^[0-9a-f]{33,}$/i.test(piece))) return true
  // Words joined by separators are names and paths (Engineering-Team-2024-Production-Access, /accounts/<id>/members).
  if (pieces.every((piece) => piece.length < 16)) return false
  // API tokens and base64: long, with upper case, lower case and digits mixed.
  return /[A-Z]/.test(core) && /[a-z]/.test(core) && /[0-9]/.test(core)
}

/**
 * Text without any of these cannot match a credential pattern above (each needs one of them: the header name, a
 * scheme, a word of a secret-sounding key, `://`, the `_` of a token prefix, `AKIA`, `eyJ`, `-----`, or a key-like
 * run), so it is returned as it is: names, e-mails and file:line, most of what a plan renders, skip the nine
 * patterns. Keep this in step with the patterns.
 */
const MAY_HOLD_CREDENTIAL =
  /authorization|bearer|basic|token|secret|passw|pwd|key|credential|signature|cookie|session|:\/\/|_|AKIA|eyJ|-----|[A-Za-z0-9+/_=-]{32,}/i

/** Replaces everything that looks like a credential with `[redacted]`. Pure; keeps the rest of the text as it was. */
export function redactCredentials(text: string): string {
  if (!MAY_HOLD_CREDENTIAL.test(text)) return text
  let out = text
  for (const { pattern, replace } of CREDENTIAL_PATTERNS) {
    out = out.replace(pattern, (_match: string, ...groups: unknown[]) =>
      replace(...groups.filter((group): group is string => typeof group === 'string'))
    )
  }
  return out.replace(KEY_LIKE_RUN, (run) => (looksLikeKey(run) ? REDACTED : run))
}

/**
 * Text from Cloudflare made fit to publish: control characters and line breaks folded into one line, credentials
 * redacted, and at most `maxLength` characters (cut at a word when one is near, with an ellipsis).
 */
export function sanitizeExternalText(text: string, maxLength = EXTERNAL_TEXT_MAX_LENGTH): string {
  const line = redactCredentials(
    text
      .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '')
  )
    .replace(/ {2,}/g, ' ')
    .trim()
  return shorten(line, maxLength)
}

/** At most `maxLength` characters, ending in "…" when cut; never splits a surrogate pair. */
export function shorten(text: string, maxLength: number): string {
  const chars = Array.from(text)
  if (chars.length <= maxLength) return text
  const kept = chars.slice(0, Math.max(0, maxLength - 1)).join('')
  const space = kept.lastIndexOf(' ')
  const cut = space >= kept.length - 20 && space > 0 ? kept.slice(0, space) : kept
  return `${cut}…`
}
