/**
 * The request issue form: its fields (shared by the generated template and the parser) and the parser of the
 * Markdown GitHub writes for a submitted form (`### Label`, a blank line, the answer; `_No response_` when empty).
 */

export const FORM_FIELDS = {
  target: 'Group or role',
  duration: 'Duration',
  reason: 'Reason',
  email: 'Your e-mail',
  onBehalfOf: 'On behalf of'
} as const

/** How a target reads in the dropdown and in the parsed form: `group: Support`, `role: Administrator`. */
export function targetOption(kind: 'group' | 'role', name: string): string {
  return `${kind}: ${name}`
}

export interface RequestForm {
  target?: { kind: 'group' | 'role'; name: string }
  /** The target text as written, when it is not `group: ...` or `role: ...`. */
  targetText?: string
  duration?: string
  reason?: string
  email?: string
  onBehalfOf?: string
}

const NO_RESPONSE = '_No response_'
/** Answers longer than this are refused: no field of a request needs more. */
export const MAX_ANSWER_LENGTH = 1000

/** The answers by heading; a heading that appears twice keeps its first answer. */
export function parseFormSections(body: string): Map<string, string> {
  const sections = new Map<string, string>()
  let heading: string | undefined
  let lines: string[] = []
  const close = () => {
    if (heading !== undefined && !sections.has(heading)) {
      const answer = lines.join('\n').trim()
      sections.set(heading, answer === NO_RESPONSE ? '' : answer)
    }
  }
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const match = /^###\s+(.+?)\s*$/.exec(line)
    if (match) {
      close()
      heading = match[1]!
      lines = []
    } else {
      lines.push(line)
    }
  }
  close()
  return sections
}

export interface FormReading {
  form: RequestForm
  /** Fields that are missing or unreadable, as sentences. */
  problems: string[]
}

export function readRequestForm(body: string): FormReading {
  const sections = parseFormSections(body)
  const problems: string[] = []
  const form: RequestForm = {}
  const answer = (label: string, required: boolean): string | undefined => {
    const value = sections.get(label)
    if (value === undefined || value === '') {
      if (required) problems.push(`The form has no answer under "### ${label}".`)
      return undefined
    }
    if (value.length > MAX_ANSWER_LENGTH) {
      problems.push(
        `The answer under "### ${label}" is longer than ${MAX_ANSWER_LENGTH} characters.`
      )
      return undefined
    }
    return value
  }
  const target = answer(FORM_FIELDS.target, true)
  if (target !== undefined) {
    const match = /^(group|role):\s*(.+)$/.exec(target)
    if (match) form.target = { kind: match[1] as 'group' | 'role', name: match[2]!.trim() }
    else form.targetText = target
  }
  const fields = [
    ['duration', FORM_FIELDS.duration, true],
    ['reason', FORM_FIELDS.reason, true],
    ['email', FORM_FIELDS.email, false],
    ['onBehalfOf', FORM_FIELDS.onBehalfOf, false]
  ] as const
  for (const [key, label, required] of fields) {
    const value = answer(label, required)
    if (value !== undefined) form[key] = value
  }
  return { form, problems }
}
