/** The plan as plain text for a terminal (CLI `plan`): Terraform-like symbols, aligned columns, verdict last. */
import type { ChangeAction, ConfigError, GroupApplications, Plan } from '../model/index.js'
import { applicationsNote, groupApplicationLines } from './group-applications.js'
import {
  ambiguousNames,
  causeLabel,
  changesByTarget,
  countChanges,
  isoDay,
  targetLabel
} from './labels.js'
import { toSingleLine } from './markdown.js'

/** `+` gives access, `-` takes it away, `~` changes the roles of an existing membership. */
export const SYMBOL: Record<ChangeAction, string> = {
  add: '+',
  invite: '+',
  grant: '~',
  revoke: '~',
  remove: '-',
  'remove-member': '-'
}

export const WORD: Record<ChangeAction, string> = {
  add: 'add',
  invite: 'invite',
  grant: 'grant',
  revoke: 'revoke',
  remove: 'remove',
  'remove-member': 'remove member'
}

/** Colours for a terminal; every function is the identity when colour is off (the default). */
export interface TextStyle {
  green(text: string): string
  red(text: string): string
  yellow(text: string): string
  bold(text: string): string
  dim(text: string): string
}

const plain = (text: string): string => text
export const PLAIN: TextStyle = { green: plain, red: plain, yellow: plain, bold: plain, dim: plain }

/** `+` green, `-` red, `~` yellow, as in Terraform's plan. */
export function styleForAction(style: TextStyle, action: ChangeAction): (text: string) => string {
  const symbol = SYMBOL[action]
  return symbol === '+' ? style.green : symbol === '-' ? style.red : style.yellow
}

export function renderPlanText(
  plan: Plan | undefined,
  configErrors: readonly ConfigError[] = [],
  style: TextStyle = PLAIN,
  /** What each changed group opens, when the applications were read. */
  groupApplications?: GroupApplications
): string {
  const lines: string[] = []
  if (configErrors.length > 0) {
    lines.push(style.red('Validation errors:'))
    for (const error of configErrors) {
      lines.push(
        `  ${clean(`${error.file}:${error.line}:${error.column}`)}  ${clean(error.message)}`
      )
    }
    lines.push('')
  }
  if (plan) {
    for (const { target, changes } of changesByTarget(plan)) {
      lines.push(
        style.bold(`${targetLabel(target)} "${clean(target.name)}"`) +
          style.dim(` (${clean(target.id)})`)
      )
      const rows = changes.map(({ change }) => [
        SYMBOL[change.action],
        WORD[change.action],
        clean(change.email),
        causeLabel(change),
        change.expires ? `expires ${clean(isoDay(change.expires))}` : '',
        change.reason ? clean(change.reason) : ''
      ])
      const aligned = alignRows(rows)
      lines.push(
        ...aligned.map(
          (row, index) => `  ${styleForAction(style, changes[index]!.change.action)(row)}`
        ),
        ''
      )
    }
    // A finding's message already ends with its "Did you mean ...?".
    const findings = plan.findings.map(
      (finding) =>
        `  ${finding.severity === 'error' ? 'error  ' : 'warning'}  ${clean(finding.message)}`
    )
    const expiring = plan.expiring.map(
      (grant) =>
        `  expiring  ${clean(grant.email)} in ${targetLabel(grant.target).toLowerCase()} "${clean(grant.target.name)}" on ${clean(isoDay(grant.expires))} (${grant.daysLeft} ${grant.daysLeft === 1 ? 'day' : 'days'} left)`
    )
    if (findings.length + expiring.length > 0)
      lines.push(style.yellow('Warnings:'), ...findings, ...expiring, '')
    if (plan.guards.length > 0) {
      lines.push(style.red('Guards:'))
      for (const guard of plan.guards) {
        lines.push(
          guard.overridden
            ? `  overridden  ${clean(guard.message)} (--${guard.overrideInput} is set)`
            : `  blocking    ${clean(guard.message)} (override with --${guard.overrideInput})`
        )
      }
      lines.push('')
    }
    const ambiguous = ambiguousNames(plan)
    const named = (kind: string, item: { id: string; name: string }) =>
      `${kind} "${clean(item.name)}"` +
      (item.id && ambiguous.has(item.name.toLowerCase()) ? ` (${clean(item.id)})` : '')
    const unmanaged = [
      ...plan.unmanaged.groups.map((group) => named('group', group)),
      ...plan.unmanaged.roles.map((role) => named('role', role))
    ]
    if (unmanaged.length > 0)
      lines.push(`Not managed by this file, untouched: ${unmanaged.join(', ')}`, '')
    if (groupApplications) {
      const opened = groupApplicationLines(plan, groupApplications)
      if (opened.length > 0)
        lines.push(
          'What these group changes open:',
          ...opened.map((line) => `  ${clean(line)}`),
          ''
        )
      const note = applicationsNote(groupApplications)
      if (note) lines.push(note, '')
    }
  }
  const verdict = textVerdict(plan, configErrors)
  const blocked = configErrors.length > 0 || (plan !== undefined && verdict.includes('Blocked'))
  lines.push(style.bold(blocked ? style.red(verdict) : verdict))
  return lines.join('\n') + '\n'
}

function textVerdict(plan: Plan | undefined, configErrors: readonly ConfigError[]): string {
  if (configErrors.length > 0) {
    return `Blocked: ${configErrors.length} validation ${configErrors.length === 1 ? 'error' : 'errors'}; nothing was planned.`
  }
  if (!plan) return 'No plan.'
  const { additions, removals } = countChanges(plan.changes)
  const summary =
    plan.changes.length === 0
      ? 'No changes. Cloudflare matches the access file.'
      : `Plan: ${additions} to add, ${removals} to remove.`
  const errors = plan.findings.filter((finding) => finding.severity === 'error').length
  const blocking = plan.guards.filter((guard) => !guard.overridden).length
  const blockers = [
    errors > 0 ? `${errors} ${errors === 1 ? 'error' : 'errors'}` : '',
    blocking > 0 ? `${blocking} ${blocking === 1 ? 'guard' : 'guards'}` : ''
  ].filter(Boolean)
  return blockers.length > 0 ? `${summary} Blocked by ${blockers.join(' and ')}.` : summary
}

export function alignRows(rows: readonly string[][]): string[] {
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, index) => {
      widths[index] = Math.max(widths[index] ?? 0, cell.length)
    })
  }
  return rows.map((row) => {
    const last = row.reduce((found, cell, index) => (cell ? index : found), 0)
    return row
      .slice(0, last + 1)
      .map((cell, index) => (index === last ? cell : cell.padEnd(widths[index]!)))
      .join('  ')
  })
}

function clean(text: string): string {
  return toSingleLine(text)
}
