/** Checks a submitted request against the access file's policy. Pure but for team lookups, which come in as a callback. */
import { emailKey, isEmailAddress } from '../config/values.js'
import type { DesiredState, RequestPolicy } from '../model/index.js'
import { toSingleLine } from '../report/markdown.js'
import { describeDuration, DURATION_HINT, parseDuration } from './duration.js'
import { FORM_FIELDS, type RequestForm } from './form.js'

/** Answers whether `login` is an active member of `@org/team`; 'unknown' when the token cannot read the team. */
export type TeamCheck = (team: string, login: string) => Promise<boolean | 'unknown'>

const GITHUB_LOGIN = /^@?([A-Za-z0-9](?:-?[A-Za-z0-9]){0,38})$/
/** Reasons are one line in the access file; longer text belongs in the issue. */
export const MAX_REASON_LENGTH = 200

export interface RequestedGrant {
  kind: 'group' | 'role'
  name: string
  /** The access file that defines the group or role: the one the pull request edits. */
  file: string
  email: string
  /** The grantee's GitHub login when known (the requester, or from `people:`). */
  granteeLogin?: string
  requester: string
  forSelf: boolean
  durationMs: number
  /** ISO instant: the time of the check plus the duration, to the minute. */
  expires: string
  reason: string
}

export type RequestCheck = { ok: true; grant: RequestedGrant } | { ok: false; problems: string[] }

export interface RequestCheckInput {
  form: RequestForm
  formProblems: string[]
  /** The issue's author, from the event: never from the form text. */
  requester: string
  requesterIsBot: boolean
  desired: DesiredState
  now: Date
  isTeamMember: TeamCheck
}

function refuse(...problems: string[]): RequestCheck {
  return { ok: false, problems }
}

function loginKey(login: string): string {
  return login.replace(/^@/, '').toLowerCase()
}

/** Whether `login` is one of `list` (logins or teams); 'unknown' when only an unreadable team could say yes. */
async function isListed(
  list: readonly string[],
  login: string,
  isTeamMember: TeamCheck
): Promise<boolean | 'unknown'> {
  let unknown = false
  for (const entry of list) {
    if (entry.startsWith('@') && entry.includes('/')) {
      const answer = await isTeamMember(entry, login)
      if (answer === true) return true
      if (answer === 'unknown') unknown = true
    } else if (loginKey(entry) === loginKey(login)) {
      return true
    }
  }
  return unknown ? 'unknown' : false
}

function loginOf(desired: DesiredState, email: string): string | undefined {
  const key = emailKey(email)
  for (const [login, emails] of Object.entries(desired.people ?? {})) {
    if (emails.includes(key)) return login
  }
  return undefined
}

export async function checkRequest(input: RequestCheckInput): Promise<RequestCheck> {
  const { form, desired, requester } = input
  if (input.requesterIsBot) {
    return refuse(
      `@${requester} is a bot; requests are for people. Open the request issue as the person who needs access.`
    )
  }
  if (input.formProblems.length > 0) return refuse(...input.formProblems)
  if (!form.target) {
    return refuse(
      `"${form.targetText ?? ''}" is not one of the form's choices; pick a group or role from the list (the form's dropdown lists each as "group: name" or "role: name").`
    )
  }
  const { kind, name } = form.target
  const spec = (kind === 'group' ? desired.groups : desired.roles).find(
    (candidate) => candidate.name === name
  )
  if (!spec) {
    return refuse(
      `The access file has no ${kind} named "${name}"; pick one from the form's list (the form may be older than the file).`
    )
  }
  const policy: RequestPolicy | undefined = spec.requests
  if (!policy) {
    return refuse(
      `The ${kind} "${name}" does not accept requests: its entry in the access file has no requests: section. Ask its owners.`
    )
  }
  const problems: string[] = []
  const allowed = await isListed(policy.requesters, requester, input.isTeamMember)
  if (allowed !== true) {
    problems.push(
      `@${requester} may not request the ${kind} "${name}": only its requests.requesters may (${policy.requesters.join(', ') || 'nobody yet'}).` +
        (allowed === 'unknown'
          ? ' A team in that list could not be read: the token needs the organization permission "members: read".'
          : '')
    )
  }

  const durationMs = parseDuration(form.duration ?? '')
  if (durationMs === undefined) {
    problems.push(
      `The duration "${toSingleLine(form.duration ?? '')}" is not one I can read; ${DURATION_HINT}`
    )
  } else if (durationMs > policy.maxDurationMs) {
    problems.push(
      `The duration ${describeDuration(durationMs)} is longer than the ${kind} "${name}" allows (${policy.maxDuration}, ${describeDuration(policy.maxDurationMs)}).`
    )
  }

  const grantee = await resolveGrantee(input, policy, problems)
  const reason = toSingleLine(form.reason ?? '').trim()
  if (reason.length > MAX_REASON_LENGTH) {
    problems.push(
      `The reason is ${reason.length} characters; keep it to ${MAX_REASON_LENGTH} (a ticket and a few words) and put details in the issue.`
    )
  }
  if (grantee) {
    const held = spec.members.find((grant) => grant.key === emailKey(grantee.email))
    if (held && held.expires === undefined) {
      problems.push(
        `${grantee.email} already holds the ${kind} "${name}" without an end date; there is nothing to request.`
      )
    }
  }
  if (problems.length > 0 || !grantee || durationMs === undefined) return refuse(...problems)
  return {
    ok: true,
    grant: {
      kind,
      name,
      file: spec.source.file,
      email: grantee.email,
      ...(grantee.login ? { granteeLogin: grantee.login } : {}),
      requester,
      forSelf: grantee.forSelf,
      durationMs,
      expires: endOfRequest(input.now, durationMs),
      reason
    }
  }
}

/** The end, to the minute and without milliseconds: it is read by people in the file and in comments. */
function endOfRequest(now: Date, durationMs: number): string {
  const end = Math.floor((now.getTime() + durationMs) / 60_000) * 60_000
  return new Date(end).toISOString().replace('.000Z', 'Z')
}

interface Grantee {
  email: string
  login?: string
  forSelf: boolean
}

async function resolveGrantee(
  input: RequestCheckInput,
  policy: RequestPolicy,
  problems: string[]
): Promise<Grantee | undefined> {
  const { form, desired, requester } = input
  const people = desired.people ?? {}
  const ownEmails = people[loginKey(requester)] ?? []
  const other = form.onBehalfOf?.trim()
  if (other) {
    let grantee: Grantee
    if (isEmailAddress(other)) {
      const login = loginOf(desired, other)
      grantee = { email: other, ...(login ? { login } : {}), forSelf: false }
    } else {
      const match = GITHUB_LOGIN.exec(other)
      if (!match) {
        problems.push(
          `"${toSingleLine(other)}" under "${FORM_FIELDS.onBehalfOf}" is neither a GitHub login nor an e-mail address.`
        )
        return undefined
      }
      const emails = people[match[1]!.toLowerCase()]
      if (!emails || emails.length !== 1) {
        problems.push(
          `The access file's people: ${emails ? `lists several e-mails for @${match[1]}` : `has no e-mail for @${match[1]}`}; write the e-mail address under "${FORM_FIELDS.onBehalfOf}" instead.`
        )
        return undefined
      }
      grantee = { email: emails[0]!, login: match[1]!, forSelf: false }
    }
    if (grantee.login && loginKey(grantee.login) === loginKey(requester)) grantee.forSelf = true
    if (ownEmails.includes(emailKey(grantee.email))) grantee.forSelf = true
    if (!grantee.forSelf) {
      const mayAskForOthers = await isListed(policy.forOthers, requester, input.isTeamMember)
      if (mayAskForOthers !== true) {
        problems.push(
          `@${requester} may not ask on someone else's behalf for this: only requests.for_others may (${policy.forOthers.join(', ') || 'nobody yet'}).`
        )
        return undefined
      }
    }
    return grantee
  }
  const own = form.email?.trim()
  if (own !== undefined && !isEmailAddress(own)) {
    problems.push(`"${toSingleLine(own)}" under "${FORM_FIELDS.email}" is not an e-mail address.`)
    return undefined
  }
  if (ownEmails.length > 0) {
    if (own === undefined && ownEmails.length === 1) {
      return { email: ownEmails[0]!, login: requester, forSelf: true }
    }
    if (own !== undefined && ownEmails.includes(emailKey(own))) {
      return { email: own, login: requester, forSelf: true }
    }
    problems.push(
      own === undefined
        ? `The access file's people: lists several e-mails for @${requester}; write the one to use under "${FORM_FIELDS.email}".`
        : `${own} is not one of the e-mails the access file's people: lists for @${requester}; leave "${FORM_FIELDS.email}" empty or use one of those.`
    )
    return undefined
  }
  if (own === undefined) {
    problems.push(
      `The access file's people: has no e-mail for @${requester}; write yours under "${FORM_FIELDS.email}".`
    )
    return undefined
  }
  const owner = loginOf(desired, own)
  if (owner && loginKey(owner) !== loginKey(requester)) {
    problems.push(
      `${own} belongs to @${owner} in the access file's people:; to ask for someone else, use "${FORM_FIELDS.onBehalfOf}".`
    )
    return undefined
  }
  return { email: own, login: requester, forSelf: true }
}
