/** The outcome of an apply as GitHub Markdown: a comment on the merged pull request and the job summary. */
import type { ApplyReportInput, ChangeOutcome, SessionEnding } from '../model/index.js'
import {
  DEFAULT_MAX_LENGTH,
  SUMMARY_MAX_BYTES,
  measureUtf8Bytes,
  renderWithinLimit
} from './cap.js'
import { ACTION_LABEL, causeLabel, groupByTarget, targetLabel } from './labels.js'
import { codeSpan, escapeMarkdown, escapeTableCell, link, plural, table } from './markdown.js'

export const APPLY_COMMENT_MARKER = '<!-- cloudflare-access-as-code:apply -->'

export function renderApplyComment(
  input: ApplyReportInput,
  options: { maxLength?: number } = {}
): string {
  // A shortened comment may send readers to the summary only when the summary lists every change.
  const full = renderApply(input, {
    level: 0,
    shortened: false,
    marker: false,
    summaryComplete: false
  })
  const summaryComplete = measureUtf8Bytes(full) <= SUMMARY_MAX_BYTES
  return renderWithinLimit(
    (level, shortened) => renderApply(input, { level, shortened, marker: true, summaryComplete }),
    2,
    options.maxLength ?? DEFAULT_MAX_LENGTH
  )
}

export function renderApplySummary(input: ApplyReportInput): string {
  return renderWithinLimit(
    (level, shortened) =>
      renderApply(input, { level, shortened, marker: false, summaryComplete: false }),
    2,
    SUMMARY_MAX_BYTES,
    measureUtf8Bytes
  )
}

export function applyVerdict(input: ApplyReportInput): string {
  const { result } = input
  const total = result.applied + result.failed + result.skipped
  if (result.dryRun) {
    const parts = [
      `${result.applied} would be applied`,
      result.failed > 0 ? `${result.failed} failed` : '',
      result.skipped > 0 ? `${result.skipped} skipped` : ''
    ].filter(Boolean)
    return `🧪 Dry run: nothing was changed in Cloudflare. ${plural(total, 'change')}: ${parts.join(', ')}.`
  }
  if (total === 0) return '✅ Nothing to apply: Cloudflare already matched the access file.'
  if (result.failed === 0 && result.skipped === 0) {
    return `✅ Applied ${plural(result.applied, 'change')}.`
  }
  const parts = [
    result.failed > 0 ? `${result.failed} failed` : '',
    `${result.applied} applied`,
    result.skipped > 0 ? `${result.skipped} skipped` : ''
  ].filter(Boolean)
  return `${result.failed > 0 ? '❌' : '⚠️'} ${plural(total, 'change')}: ${parts.join(', ')}.`
}

function renderApply(
  input: ApplyReportInput,
  options: { level: number; shortened: boolean; marker: boolean; summaryComplete: boolean }
): string {
  const { plan, result } = input
  const blocks: string[] = []
  const head = options.marker ? [APPLY_COMMENT_MARKER] : []
  const runName = input.runName ?? 'apply'
  head.push(
    `### Cloudflare Access ${runName}${result.dryRun ? ' (dry run)' : ''}`,
    '',
    `**${applyVerdict(input)}**`
  )
  blocks.push(head.join('\n'))
  const context = [`Account ${codeSpan(plan.accountId)}`]
  if (input.pullRequest) {
    context.push(
      // "merged in", not "approved in": allow-unapproved can apply a merge nobody approved.
      `merged in ${link(`#${input.pullRequest.number}`, input.pullRequest.url)}`
    )
  }
  blocks.push(context.join(' · '))
  if (options.shortened) {
    const run = input.runUrl ? link('this workflow run', input.runUrl) : 'this workflow run'
    const where = options.summaryComplete
      ? `Every change is listed in the job summary of ${run}.`
      : 'No other copy lists every change one by one.'
    blocks.push(
      `> [!NOTE]\n> This ${options.marker ? 'comment' : 'summary'} is shortened to fit GitHub's size limit: failures are listed one by one, the other changes counted per target. ${where}`
    )
  }
  const targets = groupByTarget(result.outcomes)
  if (options.level === 0) {
    for (const { target, changes } of targets) {
      const rows = changes.map((outcome) => {
        const { change } = outcome
        return [
          escapeTableCell(outcomeText(outcome, result.dryRun)),
          ACTION_LABEL[change.action],
          codeSpan(change.email, { inTable: true }),
          escapeTableCell(causeLabel(change))
        ]
      })
      blocks.push(
        [
          `**${targetLabel(target)} ${escapeMarkdown(target.name)}**`,
          '',
          table(['Result', 'Change', 'Email', 'Cause'], rows)
        ].join('\n')
      )
    }
  } else {
    // Shortened: failures stay visible one by one, the rest as counts per target.
    const lines: string[] = []
    for (const { target, changes } of targets) {
      const counts = new Map<string, number>()
      for (const { status } of changes) counts.set(status, (counts.get(status) ?? 0) + 1)
      const text = [...counts]
        .map(
          ([status, count]) =>
            `${count} ${status === 'applied' && result.dryRun ? 'would be applied' : status}`
        )
        .join(', ')
      lines.push(`- **${targetLabel(target)} ${escapeMarkdown(target.name)}**: ${text}`)
      for (const outcome of changes) {
        if (outcome.status === 'failed') {
          lines.push(
            `  - ${escapeMarkdown(outcomeText(outcome, result.dryRun))}: ${ACTION_LABEL[outcome.change.action]} ${codeSpan(outcome.change.email)}`
          )
        }
      }
    }
    if (lines.length > 0) blocks.push(lines.join('\n'))
  }
  if (input.sessions && input.sessions.length > 0) blocks.push(renderSessions(input.sessions))
  if (result.failed > 0 && !result.dryRun) {
    blocks.push(
      'Failed changes were not made. Fix the cause shown above, then re-run the apply job.'
    )
  }
  if (input.runUrl) blocks.push(`<sub>${link('Workflow run', input.runUrl)}</sub>`)
  return blocks.join('\n\n') + '\n'
}

function outcomeText(outcome: ChangeOutcome, dryRun: boolean): string {
  const reason = outcome.reason ? ` (${outcome.reason})` : ''
  switch (outcome.status) {
    case 'applied':
      return dryRun ? '🧪 would apply' : '✅ applied'
    case 'failed':
      return `❌ failed${reason}`
    case 'skipped':
      return `⏭️ skipped${reason}`
  }
}

const SESSION_TEXT: Record<SessionEnding['status'], string> = {
  ended: '✅ ended',
  'not-confirmed': '⚠️ not confirmed by Cloudflare',
  failed: '❌ failed'
}

function renderSessions(sessions: readonly SessionEnding[]): string {
  return [
    '**Access sessions**',
    '',
    ...sessions.map(
      (session) =>
        `- ${SESSION_TEXT[session.status]}${session.reason ? ` (${escapeMarkdown(session.reason)})` : ''}: ${codeSpan(session.email)}`
    ),
    '',
    'Removing a rule stops new sign-ins, not a session already open, so expire ends the Access sessions of each person it removed from a group; they sign in again for the access they still hold.'
  ].join('\n')
}
