/** The decision-record comment: what one edit of a review issue decided, for people and for the next run. */
import type { AccessReview } from '../review/access-review.js'
import {
  decisionRecordMarker,
  decisionRecordPayload,
  type Attribution
} from '../review/decisions.js'
import { formatInstant, targetLabel } from './labels.js'
import { codeSpan, escapeMarkdown } from './markdown.js'

/** Lines listed for people; the record itself always holds every entry. */
const MAX_LISTED = 200

export function renderDecisionComment(
  review: AccessReview,
  periodKey: string,
  attribution: Attribution
): string {
  const grants = new Map<string, string>()
  for (const section of review.inventory) {
    for (const item of section.items) {
      grants.set(
        item.key,
        `${codeSpan(item.email)} in ${targetLabel(section.target)} ${escapeMarkdown(section.target.name)}`
      )
    }
  }
  const what = (key: string) => grants.get(key) ?? 'a grant no longer in this review'
  const first = attribution.accepted[0] ?? attribution.refused[0]
  const lines = [
    decisionRecordMarker(periodKey),
    decisionRecordPayload(attribution),
    `**Access review decisions** by ${codeSpan(first?.by ?? 'nobody')}, ${escapeMarkdown(formatInstant(first?.at ?? review.generatedAt))}`,
    ''
  ]
  const listed = [
    ...attribution.accepted.map(
      (record) => `- ${record.decision === 'keep' ? 'kept' : 'revoked'} ${what(record.key)}`
    ),
    ...attribution.refused.map(
      (refusal) =>
        `- not counted: ${refusal.decision} ${what(refusal.key)}: ${escapeMarkdown(refusal.reason)}`
    )
  ]
  lines.push(...listed.slice(0, MAX_LISTED))
  if (listed.length > MAX_LISTED) {
    lines.push(`- … and ${listed.length - MAX_LISTED} more, in the record above.`)
  }
  lines.push(
    '',
    '_This comment is the record of these decisions: the review counts it only while nobody edits it._'
  )
  return lines.join('\n') + '\n'
}
