/** GitHub login comparisons. */

/** The login the workflow GITHUB_TOKEN writes as. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

export { normalizeLogin, sameLogin } from '../model/primitives.js'

export function isBotLogin(login: string): boolean {
  return /\[bot\]$/i.test(login.trim())
}

/** An owner entry `@org/team` (or `org/team`) as org and team slug; undefined for a user login. */
export function parseTeamOwner(owner: string): { org: string; slug: string } | undefined {
  const match = /^@?([^/\s]+)\/([^/\s]+)$/.exec(owner.trim())
  return match ? { org: match[1]!, slug: match[2]! } : undefined
}

/** GitHub's comment, issue and pull request bodies are capped at 65 536 characters. */
export const MAX_BODY_LENGTH = 65_536

/**
 * Keeps a body within GitHub's limit. Over it, the text is cut and a visible note added, and the marker is kept so
 * the next run still finds the comment or issue.
 */
export function fitBody(body: string, marker?: string): string {
  if (body.length <= MAX_BODY_LENGTH) return body
  const note = '\n\n… (cut to fit GitHub’s 65 536-character limit)\n'
  const tail =
    marker && !body.slice(0, MAX_BODY_LENGTH - note.length).includes(marker) ? `${marker}\n` : ''
  return body.slice(0, MAX_BODY_LENGTH - note.length - tail.length) + note + tail
}
