/** The apply result as plain text for a terminal (CLI `apply`), in the plan's own layout. */
import type { ApplyResult } from '../model/index.js'
import { groupByTarget, targetLabel } from './labels.js'
import { toSingleLine } from './markdown.js'
import { alignRows, PLAIN, styleForAction, SYMBOL, WORD, type TextStyle } from './plan-text.js'

export function renderApplyText(result: ApplyResult, style: TextStyle = PLAIN): string {
  const lines: string[] = []
  for (const { target, changes } of groupByTarget(result.outcomes)) {
    lines.push(style.bold(`${targetLabel(target)} "${toSingleLine(target.name)}"`))
    const rows = changes.map((outcome) => {
      const { change } = outcome
      const status = outcome.status === 'applied' && result.dryRun ? 'would apply' : outcome.status
      return [
        SYMBOL[change.action],
        WORD[change.action],
        toSingleLine(change.email),
        status,
        outcome.reason ? toSingleLine(outcome.reason) : ''
      ]
    })
    lines.push(
      ...alignRows(rows).map((row, index) => {
        const { change, status } = changes[index]!
        return `  ${(status === 'failed' ? style.red : styleForAction(style, change.action))(row)}`
      }),
      ''
    )
  }
  lines.push(
    result.dryRun
      ? `Dry run, nothing was changed: ${result.applied} would be applied, ${result.failed} failed, ${result.skipped} skipped.`
      : `${result.applied} applied, ${result.failed} failed, ${result.skipped} skipped.` +
          (result.failed > 0 ? ' Re-running converges: applied changes are not repeated.' : '')
  )
  return lines.join('\n') + '\n'
}
