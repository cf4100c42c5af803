/** The short Markdown report committed with an access review's evidence record. */
import type { EvidenceRecord } from '../review/evidence.js'
import { formatInstant, targetLabel } from './labels.js'
import { codeSpan, escapeMarkdown, link, table } from './markdown.js'

export function renderEvidenceReport(record: EvidenceRecord): string {
  const { population, totals } = record
  const lines = [
    `# Access review ${escapeMarkdown(record.period.title)}: evidence`,
    '',
    `Period ${record.period.start} to ${record.period.end}, due ${record.period.due} (on no decision: ${record.onNoDecision}). Generated ${escapeMarkdown(formatInstant(record.generatedAt))}.`,
    '',
    '## Population',
    '',
    `Account ${codeSpan(population.accountId)}, read ${escapeMarkdown(formatInstant(population.readAt))} from ${population.endpoints.map((endpoint) => codeSpan(endpoint)).join(', ')}; SHA-256 of the listings ${codeSpan(population.sha256)}.`,
    '',
    table(
      [
        'Access groups',
        'Account members',
        'Roles',
        'Zero Trust users',
        'Managed groups and roles',
        'Grants'
      ],
      [
        [
          String(population.counts.accessGroups),
          String(population.counts.accountMembers),
          String(population.counts.roles),
          String(population.counts.zeroTrustUsers),
          String(population.counts.managedGroupsAndRoles),
          String(population.counts.grants)
        ]
      ]
    ),
    '',
    '## Decisions',
    '',
    `${totals.kept} kept, ${totals.revoked} revoked (${totals.removed} carried out), ${totals.undecided} undecided, ${totals.exceptions} exceptions. Every grant, with who decided and when, is in \`record.json\` and \`record.csv\`.`,
    ''
  ]
  const { revocations } = record
  if (revocations.pullRequest) {
    lines.push(`Revocations: pull request #${revocations.pullRequest.number}.`, '')
  }
  if (revocations.merged) {
    const commit = revocations.merged.mergeCommit
    lines.push(
      `Merged as ${commit ? codeSpan(commit.slice(0, 12)) : 'an unknown commit'} (pull request #${revocations.merged.number}).`,
      ''
    )
  }
  if (revocations.apply) {
    const run = revocations.apply.run
      ? link('the apply run', revocations.apply.run)
      : 'the apply run'
    lines.push(
      `Applied by ${run}: ${escapeMarkdown(revocations.apply.verdict)}${revocations.apply.edited ? ' (its comment was edited since it was written)' : ''}.`,
      ''
    )
  }
  if (revocations.results.length > 0) {
    const removed = revocations.results.filter((entry) => entry.result === 'removed').length
    lines.push(
      `${removed} of ${revocations.results.length} revoked grants are absent from the account as read; the rest are still present.`,
      ''
    )
  }
  if (record.exceptions.length > 0) {
    lines.push('## Exceptions', '', 'Kept without a decision after the due date:', '')
    for (const grant of record.grants.filter((entry) => entry.outcome === 'exception')) {
      lines.push(
        `- ${codeSpan(grant.email)} in ${targetLabel(grant.target)} ${escapeMarkdown(grant.target.name)}`
      )
    }
    lines.push('')
  }
  return lines.join('\n')
}

export const SIGNOFF_MARKER = '<!-- cloudflare-access-as-code:review-signoff -->'

/** The comment that closes a signed-off review. */
export function renderSignoffComment(input: {
  by: string
  how: 'approval' | 'merge'
  pullRequest: number
  at: string
}): string {
  const what =
    input.how === 'approval'
      ? `${codeSpan(input.by)} approved the evidence pull request #${input.pullRequest}`
      : `the evidence pull request #${input.pullRequest} was merged (no \`signoff\` is set)`
  return (
    [
      SIGNOFF_MARKER,
      `**Access review signed off:** ${what}; seen ${escapeMarkdown(formatInstant(input.at))}. The review is closed, and ticks in its issues no longer count.`
    ].join('\n') + '\n'
  )
}
