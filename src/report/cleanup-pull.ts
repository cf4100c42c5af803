/** The cleanup pull request's body: which ended grants it deletes from the access file, and why it is safe. */
import { formatInstant, targetLabel } from './labels.js'
import { codeSpan, escapeTableCell, table } from './markdown.js'

export const CLEANUP_PULL_MARKER = '<!-- cloudflare-access-as-code:cleanup -->'

export interface EndedEntry {
  target: { kind: 'group' | 'role'; name: string }
  email: string
  expires: string
  reason?: string
  file: string
}

export function renderCleanupPullBody(removed: readonly EndedEntry[]): string {
  const rows = removed.map((entry) => [
    `${targetLabel(entry.target)} ${escapeTableCell(entry.target.name)}`,
    codeSpan(entry.email, { inTable: true }),
    formatInstant(entry.expires),
    escapeTableCell(entry.reason ?? ''),
    codeSpan(entry.file, { inTable: true })
  ])
  return [
    CLEANUP_PULL_MARKER,
    `Removes ${removed.length === 1 ? 'the entry' : `the ${removed.length} entries`} whose end date has passed, so the access file lists only access that is current. Opened by Cloudflare Access as Code (\`mode: cleanup\`); only those lines change.`,
    '',
    table(['Group or role', 'E-mail', 'Ended', 'Reason', 'File'], rows),
    '',
    'Nothing changes in Cloudflare: `mode: expire` revoked these grants when they ended, so the plan of this pull request shows no change. If it shows removals, expire has not run since they ended; merging then removes them, with the approvals the plan asks for.',
    '',
    'Each cleanup run rewrites this branch from the default branch as it is then, so earlier approvals lapse when it changes.'
  ].join('\n')
}
