import type {
  AccessSettings,
  ConfigError,
  DesiredState,
  Grant,
  GroupSpec,
  RequestPolicy,
  RoleSpec,
  SourceLocation
} from '../model/index.js'
import { formatPath, type Locator } from './locate.js'
import { isRecord, type ParsedAccessFile } from './parse-access-file.js'
import { removalLimitFromFile } from './removal-limit.js'
import { DEFAULT_MAX_DURATION, parseDuration } from '../request/duration.js'
import type { AccessFile, MemberEntry, RequestPolicyInput } from './schema.js'
import { compareText, emailKey, expiryInstant } from './values.js'

export type ParseResult = { ok: true; desired: DesiredState } | { ok: false; errors: ConfigError[] }

function compareErrors(a: ConfigError, b: ConfigError): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareText(a.message, b.message)
  )
}

function location(error: ConfigError): SourceLocation {
  return { file: error.file, line: error.line, column: error.column }
}

interface Seen {
  file: string
  line: number
}

/** Checks that need every file: one definition per group or role, one account, one settings block. */
function crossFileErrors(files: readonly ParsedAccessFile[]): ConfigError[] {
  const errors: ConfigError[] = []
  const defined = { groups: new Map<string, Seen>(), roles: new Map<string, Seen>() }
  let account: { id: string; file: string; line: number } | undefined
  let settings: Seen | undefined
  for (const file of files) {
    const { raw, locator: at } = file
    if (!raw || !at) continue
    for (const section of ['groups', 'roles'] as const) {
      const specs = raw[section]
      if (!isRecord(specs)) continue
      const noun = section === 'groups' ? 'group' : 'role'
      for (const name of Object.keys(specs)) {
        const here = at.key([section, name], '')
        const first = defined[section].get(name)
        if (!first) {
          defined[section].set(name, { file: file.path, line: here.line })
          continue
        }
        errors.push({
          ...here,
          message: `${formatPath([section, name])} is also defined in ${first.file} at line ${first.line}; define each ${noun} in one file only.`
        })
      }
    }
    if (typeof raw.account_id === 'string') {
      const here = at.value(['account_id'], '')
      const id = raw.account_id.trim()
      if (!account) account = { id, file: file.path, line: here.line }
      else if (account.id.toLowerCase() !== id.toLowerCase()) {
        errors.push({
          ...here,
          message: `account_id: ${JSON.stringify(id)} differs from ${JSON.stringify(account.id)} in ${account.file} at line ${account.line}; all access files must name the same Cloudflare account.`
        })
      }
    }
    if (raw.settings !== undefined) {
      const here = at.key(['settings'], '')
      if (!settings) settings = { file: file.path, line: here.line }
      else {
        errors.push({
          ...here,
          message: `settings: already given in ${settings.file} at line ${settings.line}; put settings in one file only.`
        })
      }
    }
  }
  return errors
}

function toGrant(entry: MemberEntry, source: SourceLocation): Grant {
  const fields = typeof entry === 'string' ? { email: entry } : entry
  const grant: Grant = { email: fields.email, key: emailKey(fields.email), source }
  if (fields.expires !== undefined) grant.expires = expiryInstant(fields.expires)
  if (fields.reason) grant.reason = fields.reason
  return grant
}

function toGrants(
  section: 'groups' | 'roles',
  name: string,
  members: readonly MemberEntry[],
  at: Locator
): Grant[] {
  return members.map((entry, index) =>
    toGrant(entry, location(at.value([section, name, 'members', index], '')))
  )
}

function toRequestPolicy(
  section: 'groups' | 'roles',
  name: string,
  policy: RequestPolicyInput | undefined,
  at: Locator
): RequestPolicy | undefined {
  if (!policy) return undefined
  const maxDuration = policy.max_duration?.trim() ?? DEFAULT_MAX_DURATION
  return {
    maxDuration,
    // The schema refused anything parseDuration cannot read.
    maxDurationMs: parseDuration(maxDuration)!,
    requesters: policy.requesters,
    forOthers: policy.for_others,
    source: location(at.key([section, name, 'requests'], ''))
  }
}

function toDesiredParts(data: AccessFile, at: Locator): { groups: GroupSpec[]; roles: RoleSpec[] } {
  const groups = Object.entries(data.groups ?? {}).map(([name, spec]): GroupSpec => {
    const group: GroupSpec = {
      name,
      mode: spec.mode,
      owners: spec.owners,
      members: toGrants('groups', name, spec.members, at),
      source: location(at.key(['groups', name], ''))
    }
    if (spec.id !== undefined) group.id = spec.id.toLowerCase()
    const requests = toRequestPolicy('groups', name, spec.requests, at)
    if (requests) group.requests = requests
    return group
  })
  const roles = Object.entries(data.roles ?? {}).map(([name, spec]): RoleSpec => {
    const role: RoleSpec = {
      name,
      owners: spec.owners,
      members: toGrants('roles', name, spec.members, at),
      source: location(at.key(['roles', name], ''))
    }
    const requests = toRequestPolicy('roles', name, spec.requests, at)
    if (requests) role.requests = requests
    return role
  })
  return { groups, roles }
}

function toSettings(data: AccessFile): AccessSettings {
  const settings: AccessSettings = {}
  if (data.settings?.stale_after_days !== undefined) {
    settings.staleAfterDays = data.settings.stale_after_days
  }
  if (data.settings?.max_removals !== undefined) {
    settings.maxRemovals = removalLimitFromFile(data.settings.max_removals)
  }
  const review = data.settings?.review
  if (review !== undefined) {
    settings.review = { escalateTo: review.escalate_to, signoff: review.signoff }
    if (review.due_days !== undefined) settings.review.dueDays = review.due_days
    if (review.on_no_decision !== undefined) settings.review.onNoDecision = review.on_no_decision
  }
  return settings
}

/** Merges files that were each parsed on their own; any error anywhere means no desired state. */
export function mergeAccessFiles(files: readonly ParsedAccessFile[]): ParseResult {
  const errors = [...files.flatMap((file) => file.errors), ...crossFileErrors(files)]
  if (errors.length > 0) return { ok: false, errors: errors.sort(compareErrors) }
  const desired: DesiredState = {
    settings: {},
    groups: [],
    roles: [],
    files: files.map((file) => file.path)
  }
  for (const file of files) {
    if (!file.data || !file.locator) continue
    const { groups, roles } = toDesiredParts(file.data, file.locator)
    desired.groups.push(...groups)
    desired.roles.push(...roles)
    if (file.data.account_id !== undefined) desired.accountId = file.data.account_id.toLowerCase()
    if (file.data.settings !== undefined) desired.settings = toSettings(file.data)
    for (const [login, emails] of Object.entries(file.data.people ?? {})) {
      const people = (desired.people ??= {})
      const key = login.toLowerCase()
      const list = new Set(people[key] ?? [])
      for (const email of typeof emails === 'string' ? [emails] : emails) list.add(emailKey(email))
      people[key] = [...list]
    }
  }
  desired.groups.sort((a, b) => compareText(a.name, b.name))
  desired.roles.sort((a, b) => compareText(a.name, b.name))
  return { ok: true, desired }
}
