/**
 * A plan run that failed after an earlier one succeeded: the sticky comment must not go on looking current. The
 * earlier plan stays below a banner that names the commit whose plan failed and says the rest is out of date.
 */
import { PLAN_COMMENT_MARKER } from './plan-comment.js'
import { codeSpan, escapeMarkdown, link } from './markdown.js'
import { sanitizeExternalText } from './untrusted-text.js'

const BANNER_START = '<!-- cloudflare-access-as-code:plan-failed -->'
const BANNER_END = '<!-- /cloudflare-access-as-code:plan-failed -->'

/** Error messages can be long (a Cloudflare answer, a YAML error); the log has all of it. */
const MESSAGE_MAX_LENGTH = 600

export interface PlanFailure {
  /** The commit whose plan failed. */
  headSha?: string
  /** The error, as the step fails with it. */
  message: string
  runUrl?: string
}

/** The earlier sticky comment with the failure banner on top (replacing an earlier banner, never stacking them). */
export function markPlanOutOfDate(existing: string, failure: PlanFailure): string {
  const earlier = withoutBanner(existing.replace(/\r\n/g, '\n'))
    .replace(PLAN_COMMENT_MARKER, '')
    .replace(/^\n+/, '')
  const commit = failure.headSha ? ` for commit ${codeSpan(failure.headSha.slice(0, 12))}` : ''
  const run = failure.runUrl ? link('the workflow run', failure.runUrl) : 'the workflow run'
  const message = escapeMarkdown(sanitizeExternalText(failure.message, MESSAGE_MAX_LENGTH))
  const banner = [
    BANNER_START,
    '> [!CAUTION]',
    `> **The plan${commit} failed:** ${message}`,
    '>',
    `> Everything below is out of date: it is the plan of an earlier commit, not of this one. Fix the cause and push again, or re-run ${run}.`,
    BANNER_END
  ].join('\n')
  return `${PLAN_COMMENT_MARKER}\n${banner}\n\n${earlier}`
}

function withoutBanner(body: string): string {
  const start = body.indexOf(BANNER_START)
  const end = body.indexOf(BANNER_END)
  if (start < 0 || end < start) return body
  return body.slice(0, start) + body.slice(end + BANNER_END.length).replace(/^\n+/, '')
}
