/** The reminder comment on a review issue: mentions only the owners who still have grants to decide. */
import type { Reminder } from '../review/reminders.js'
import { reminderMarker } from '../review/reminders.js'
import { targetLabel } from './labels.js'
import { escapeMarkdown, mentionList, plural } from './markdown.js'
import { partNumbersOf, type ReviewPartLink } from './review-issue.js'

export function renderReminderComment(
  reminder: Reminder,
  options: {
    periodKey: string
    today: string
    due: string
    daysLeft: number
    /** A split review: each owner is pointed at the child issues holding their grants, not at every group. */
    parts?: readonly ReviewPartLink[]
  }
): string {
  const { daysLeft, due } = options
  const when =
    daysLeft < 0
      ? `was due ${due} (${-daysLeft === 1 ? 'yesterday' : `${-daysLeft} days ago`})`
      : `is due ${due} (${daysLeft === 0 ? 'today' : daysLeft === 1 ? 'tomorrow' : `in ${daysLeft} days`})`
  const partsOf = options.parts ? partNumbersOf(options.parts) : undefined
  const what = (sections: Reminder['owners'][number]['sections']) =>
    partsOf
      ? [...new Set(sections.flatMap((section) => partsOf.get(section.target) ?? []))]
          .sort((a, b) => a - b)
          .map((number) => `#${number}`)
          .join(', ')
      : sections
          .map((section) => `${targetLabel(section.target)} ${escapeMarkdown(section.target.name)}`)
          .join(', ')
  const lines = [
    reminderMarker(options.periodKey, options.today),
    `**Access review reminder:** ${plural(reminder.undecided, 'grant is', 'grants are')} still undecided; this review ${when}. Tick keep or revoke for each grant in ${options.parts ? 'the parts listed' : 'the issue above'}.`,
    '',
    ...reminder.owners.map(
      (entry) =>
        `- ${mentionList([entry.owner])}: ${entry.undecided} undecided in ${what(entry.sections)}`
    )
  ]
  if (reminder.unowned.length > 0) {
    lines.push(`- no owner listed: ${what(reminder.unowned)} (add owners in the access file)`)
  }
  if (reminder.escalateTo.length > 0) {
    lines.push('', `Escalated to ${mentionList(reminder.escalateTo)}: the due date has passed.`)
  }
  return lines.join('\n') + '\n'
}
