/** The plan report for a pull request that does not touch the access file(s). */
import { PLAN_COMMENT_MARKER } from './plan-comment.js'
import { codeSpan, link } from './markdown.js'

export interface UnchangedFileReport {
  /** The `config` input: the path or glob of the access file(s). */
  config: string
  runUrl?: string
}

function verdict(report: UnchangedFileReport): string {
  return `✅ No access changes: this pull request does not change the access file (${codeSpan(report.config)}), so merging it changes nothing in Cloudflare.`
}

/** Job summary: one line; Cloudflare was not read. */
export function renderUnchangedFileSummary(report: UnchangedFileReport): string {
  return `### Cloudflare Access plan\n\n**${verdict(report)}**\n`
}

/**
 * Only ever replaces an earlier plan comment (an earlier push did change the file); a pull request that never
 * touched the file gets no comment at all.
 */
export function renderUnchangedFileComment(report: UnchangedFileReport): string {
  const blocks = [
    `${PLAN_COMMENT_MARKER}\n### Cloudflare Access plan\n\n**${verdict(report)}**`,
    'An earlier push to this pull request changed the access file; the plan shown here before no longer applies.'
  ]
  if (report.runUrl) blocks.push(`<sub>${link('Workflow run', report.runUrl)}</sub>`)
  return blocks.join('\n\n') + '\n'
}
