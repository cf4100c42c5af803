import { z } from 'zod'
import { DEFAULT_MAX_DURATION, durationProblem } from '../request/duration.js'
import { removalLimitProblem } from './removal-limit.js'
import { ACCOUNT_ID, expiryInstant, isEmailAddress, isOwner } from './values.js'

/** How a value reads in a message: people see what they wrote, not a JavaScript type name. */
/** Short one-line text is quoted; longer text is described, so that an error never copies a block of a file. */
export function quoteText(value: string): string {
  return value.length <= 80 && !value.includes('\n')
    ? JSON.stringify(value)
    : `a text of ${value.length} characters`
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'empty'
  if (typeof value === 'string') {
    const quoted = quoteText(value)
    return quoted.startsWith('"') ? `the text ${quoted}` : quoted
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)}`
  if (value instanceof Date) return `the date ${value.toISOString()}`
  if (Array.isArray(value)) return 'a list'
  return 'a mapping'
}

/** An error callback for a schema's own type check; other issues keep the message set where they arise. */
function mustBe(expected: string) {
  return (issue: { code?: string; input?: unknown }) =>
    issue.code === 'invalid_type' || issue.code === 'invalid_value'
      ? `must be ${expected}, but it is ${describeValue(issue.input)}.`
      : undefined
}

const emailAddress = z
  .string({ error: mustBe('an e-mail address') })
  .trim()
  .refine(isEmailAddress, {
    error: (issue) => `${quoteText(String(issue.input))} is not an e-mail address.`
  })
  .meta({ format: 'email', description: 'E-mail address; compared case-insensitively.' })

function notADate(issue: { input?: unknown }): string {
  return `${describeValue(issue.input)} is not a date; write YYYY-MM-DD (the grant ends at 00:00 UTC that day) or an ISO date-time with an offset such as 2026-12-31T18:00:00+02:00.`
}

const expiry = z
  .union(
    [
      z
        .string()
        .refine((text) => expiryInstant(text) !== undefined, { error: notADate })
        .meta({
          pattern:
            '^\\d{4}-\\d{2}-\\d{2}(T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):[0-5]\\d))?$'
        }),
      // Only reachable when a caller parses YAML 1.1 timestamps into Dates; the parser here keeps them as text.
      z.date()
    ],
    { error: notADate }
  )
  .meta({
    description:
      'When the grant ends: a date (YYYY-MM-DD, from 00:00 UTC that day) or an ISO date-time with an offset.',
    examples: ['2026-12-31', '2026-12-31T18:00:00+02:00']
  })

export const memberEntrySchema = z
  .strictObject(
    {
      email: emailAddress,
      expires: expiry.optional(),
      reason: z
        .string({ error: mustBe('text saying why the grant exists') })
        .trim()
        .meta({ description: 'Why this person has the grant, e.g. a ticket.' })
        .optional()
    },
    { error: mustBe('an e-mail address or a mapping with email, expires and reason') }
  )
  .meta({ description: 'A grant with an end date or a reason.' })

const member = z.union([emailAddress, memberEntrySchema], {
  error: (issue) =>
    `must be an e-mail address or a mapping with email (and optionally expires and reason), but it is ${describeValue(issue.input)}.`
})

const owner = z
  .string({ error: mustBe('a GitHub login or team') })
  .trim()
  .refine(isOwner, {
    error: (issue) =>
      `${JSON.stringify(issue.input)} is not a GitHub login or team; write a login such as octocat or a team such as @acme/security.`
  })
  .meta({ pattern: '^(@[A-Za-z0-9-]+/[A-Za-z0-9_.-]+|[A-Za-z0-9-]+)$' })

const owners = z
  .array(owner, { error: mustBe('a list of GitHub logins or teams') })
  .default([])
  .meta({
    description:
      'GitHub users (octocat) or teams (@org/team) whose approval a change to this entry needs.'
  })

const members = z
  .array(member, {
    error: mustBe('a list of e-mail addresses (write `members: []` to mean nobody)')
  })
  .meta({
    description:
      'Everyone who should hold this group or role. Required: write `members: []` to mean nobody.'
  })

const loginsOrTeams = (description: string) =>
  z
    .array(owner, { error: mustBe('a list of GitHub logins or teams') })
    .default([])
    .meta({ description })

export const requestPolicySchema = z
  .strictObject(
    {
      max_duration: z
        .string({ error: mustBe('a duration such as 4h or 3d') })
        .refine((text) => durationProblem(text) === undefined, {
          error: (issue) => durationProblem(String(issue.input))
        })
        .meta({
          pattern: '^\\s*(\\d{1,4}\\s*[mhdwMHDW]\\s*)+$',
          description: `The longest a request may ask for (default ${DEFAULT_MAX_DURATION}): 30m, 4h, 3d, 2w.`
        })
        .optional(),
      requesters: loginsOrTeams(
        'GitHub users (octocat) or teams (@org/team) who may ask for this through a request issue. Default: nobody.'
      ),
      for_others: loginsOrTeams(
        'GitHub users or teams who may ask on behalf of someone else. Default: nobody.'
      )
    },
    { error: mustBe('a mapping with max_duration, requesters and for_others') }
  )
  .meta({
    description:
      'Just-in-time requests: who may ask for this through a request issue, and for how long at most.'
  })

export const groupSpecSchema = z
  .strictObject(
    {
      id: z
        .guid({
          error: (issue) =>
            `${describeValue(issue.input)} is not an Access group id; write the group's UUID (for example 2f6c1b4e-0000-4000-8000-000000000000) or remove id.`
        })
        .meta({ description: 'Pins the Access group when several share the name.' })
        .optional(),
      mode: z
        .enum(['authoritative', 'additive'], {
          error: (issue) =>
            `must be authoritative or additive, but it is ${describeValue(issue.input)}.`
        })
        .default('authoritative')
        .meta({
          description:
            'authoritative (default): the file is the whole truth. additive: the file only adds people (expired grants are still removed).'
        }),
      owners,
      members,
      requests: requestPolicySchema.optional()
    },
    { error: mustBe('a mapping with owners and members') }
  )
  .meta({ description: 'A Cloudflare Access group, by its exact name.' })

export const roleSpecSchema = z
  .strictObject(
    { owners, members, requests: requestPolicySchema.optional() },
    { error: mustBe('a mapping with owners and members') }
  )
  .meta({ description: 'A Cloudflare account role, by its exact name.' })

const REMOVAL_LIMIT_HINT =
  'write a number of removals such as 10 (0 allows none) or a percentage such as "25%".'

const maxRemovals = z
  .union(
    [
      z
        .int({
          error: (issue) =>
            typeof issue.input === 'number'
              ? `${issue.input} is not a whole number; ${REMOVAL_LIMIT_HINT}`
              : undefined
        })
        .nonnegative({
          error: (issue) => `${describeValue(issue.input)} is negative; ${REMOVAL_LIMIT_HINT}`
        }),
      z
        .string()
        .refine((text) => removalLimitProblem(text) === undefined, {
          error: (issue) => removalLimitProblem(String(issue.input))
        })
        .meta({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*%?\\s*$' })
    ],
    {
      error: (issue) =>
        `must be a number of removals such as 10 or a percentage such as "25%", but it is ${describeValue(issue.input)}.`
    }
  )
  .meta({
    description:
      'The most grants one apply may remove: a count (10) or a share of the grants under management ("25%").'
  })

const reviewPeople = z
  .array(owner, { error: mustBe('a list of GitHub logins or teams') })
  .default([])

export const reviewSettingsSchema = z.strictObject(
  {
    due_days: z
      .int({ error: mustBe('a whole number of days') })
      .positive({
        error: (issue) => `must be at least 1 day, but it is ${describeValue(issue.input)}.`
      })
      .meta({
        description:
          'Days after the review period starts by which every grant must be decided. Default 14.'
      })
      .optional(),
    on_no_decision: z
      .enum(['keep', 'revoke'], { error: mustBe('keep or revoke') })
      .meta({
        description:
          'What happens to grants nobody decided once the due date passes: keep (listed as exceptions; the default) or revoke (added to the review revocations pull request, which still needs approval).'
      })
      .optional(),
    escalate_to: reviewPeople.meta({
      description:
        'GitHub users or teams mentioned in the reminders once the due date has passed with grants undecided.'
    }),
    signoff: reviewPeople.meta({
      description:
        'GitHub users or teams whose approval of the evidence pull request signs the review off and closes its issue.'
    })
  },
  { error: mustBe('a mapping with due_days, on_no_decision, escalate_to and signoff') }
)

const peopleSchema = z
  .record(
    z.string(),
    z.union([emailAddress, z.array(emailAddress)], {
      error: (issue) =>
        `must be an e-mail address or a list of them, but it is ${describeValue(issue.input)}.`
    }),
    { error: mustBe('a mapping from GitHub logins to e-mail addresses') }
  )
  .superRefine((people, ctx) => {
    for (const login of Object.keys(people)) {
      if (isOwner(login) && !login.includes('/')) continue
      ctx.addIssue({
        code: 'custom',
        path: [login],
        message: `${JSON.stringify(login)} is not a GitHub login; write a login such as octocat (a team cannot be a person).`
      })
    }
  })
  .meta({
    description:
      "Who is who: GitHub login -> the e-mail address(es) that person's grants use. The access review never counts a person's decision on their own grant.",
    propertyNames: { pattern: '^[A-Za-z0-9-]+$' }
  })

export const settingsSchema = z.strictObject(
  {
    stale_after_days: z
      .int({ error: mustBe('a whole number of days') })
      .positive({
        error: (issue) => `must be at least 1 day, but it is ${describeValue(issue.input)}.`
      })
      .meta({
        description: 'Days without a login after which the access review calls a grant stale.'
      })
      .optional(),
    max_removals: maxRemovals.optional(),
    review: reviewSettingsSchema
      .meta({
        description:
          'How the periodic access review runs: due date, no-decision policy, reminders, sign-off.'
      })
      .optional()
  },
  { error: mustBe('a mapping with stale_after_days, max_removals and review') }
)

export const accessFileSchema = z
  .strictObject(
    {
      version: z
        .literal(1, {
          error: (issue) =>
            `must be 1 (the only access file version), but it is ${describeValue(issue.input)}.`
        })
        .meta({ description: 'Access file format version. Always 1.' }),
      account_id: z
        .string({
          error: mustBe(
            'the 32 hexadecimal characters of a Cloudflare account id (in quotes if they are all digits)'
          )
        })
        .regex(ACCOUNT_ID, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a Cloudflare account id; write the 32 hexadecimal characters from the dashboard URL.`
        })
        .meta({ description: 'The Cloudflare account (32 hex characters).' })
        .optional(),
      settings: settingsSchema.optional(),
      people: peopleSchema.optional(),
      groups: z
        .record(z.string(), groupSpecSchema, {
          error: mustBe('a mapping from Access group names to their members')
        })
        .meta({ description: 'Access groups by their exact name in Cloudflare.' })
        .optional(),
      roles: z
        .record(z.string(), roleSpecSchema, {
          error: mustBe('a mapping from account role names to their members')
        })
        .meta({ description: 'Cloudflare account roles by their exact name.' })
        .optional()
    },
    { error: mustBe('a mapping') }
  )
  .meta({
    title: 'Cloudflare Access as Code: access file',
    description:
      'Who belongs to which Cloudflare Access group and who holds which Cloudflare account role.'
  })

export type AccessFileInput = z.input<typeof accessFileSchema>
export type AccessFile = z.output<typeof accessFileSchema>
export type MemberEntry = z.output<typeof member>
export type RequestPolicyInput = z.output<typeof requestPolicySchema>

/** Keys each kind of mapping allows, for "unknown key" messages. */
export const allowedKeys = {
  top: Object.keys(accessFileSchema.shape),
  settings: Object.keys(settingsSchema.shape),
  review: Object.keys(reviewSettingsSchema.shape),
  group: Object.keys(groupSpecSchema.shape),
  role: Object.keys(roleSpecSchema.shape),
  member: Object.keys(memberEntrySchema.shape),
  requests: Object.keys(requestPolicySchema.shape)
}
