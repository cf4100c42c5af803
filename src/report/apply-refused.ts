/**
 * An apply refusal, for the job summary and for the merged pull request: what was refused, why, and what to do (the
 * reason's own text says both). Pure; the reason is the Action's own text but may hold names from the file, so every
 * line is escaped.
 */
import { escapeMarkdown, link } from './markdown.js'

/** Marks our refusal comment on a pull request: a re-run that is refused again edits it instead of adding another. */
export const APPLY_REFUSED_MARKER = '<!-- cloudflare-access-as-code:apply-refused -->'

/** The first line of `reason` says what happened; the others (listed with or without "- ") say why. */
export function renderApplyRefusal(reason: string): string {
  const lines = reason.split('\n').map((line) => escapeMarkdown(line.replace(/^- /, '')))
  return `## ⛔ Apply refused\n\n${lines[0]}\n${lines
    .slice(1)
    .map((line) => `\n- ${line}`)
    .join('')}\n`
}

/** The comment on the merged pull request: the refusal, which commit it was for, and the run that refused it. */
export function renderApplyRefusedComment(options: {
  reason: string
  commit?: string
  runUrl?: string
}): string {
  const parts = [APPLY_REFUSED_MARKER, renderApplyRefusal(options.reason).trimEnd()]
  const where = [
    options.commit ? `Commit \`${options.commit.slice(0, 7)}\`` : undefined,
    options.runUrl ? link('workflow run', options.runUrl) : undefined
  ].filter((part): part is string => part !== undefined)
  parts.push(
    `<sub>${where.length > 0 ? `${where.join(' · ')} · ` : ''}Cloudflare was not changed. Once the cause above is fixed, re-run the apply workflow or merge a fix.</sub>`
  )
  return `${parts.join('\n\n')}\n`
}
