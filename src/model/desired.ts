/** Desired state: what the access file(s) say. Produced by src/config, consumed by src/diff. */

/** Where something was written in an access file; line and column are 1-based. */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

/** One person's grant of a group membership or an account role. */
export interface Grant {
  /** As written in the file (trimmed): kept for display and for new rules. */
  email: string
  /** Trimmed and lower-cased: the only thing ever compared. */
  key: string
  /** ISO 8601 instant from which the grant no longer counts (a bare date means 00:00 UTC that day). */
  expires?: string
  reason?: string
  source: SourceLocation
}

/** authoritative: the file is the whole truth; additive: the file only adds (expired grants are still removed). */
export type GroupMode = 'authoritative' | 'additive'

/** Who may ask for a group or role through a request issue, and for how long at most. */
export interface RequestPolicy {
  /** As written (or the default), for messages. */
  maxDuration: string
  maxDurationMs: number
  /** GitHub logins or `@org/team`s who may ask; empty means nobody. */
  requesters: string[]
  /** GitHub logins or teams who may ask on someone else's behalf. */
  forOthers: string[]
  source: SourceLocation
}

export interface GroupSpec {
  /** Access group name exactly as in Cloudflare. */
  name: string
  /** Pins the group when several share the name. */
  id?: string
  mode: GroupMode
  /** GitHub logins (`octocat`) or teams (`@org/team`) whose approval a change to this group needs. */
  owners: string[]
  members: Grant[]
  /** Present when the file accepts requests for this group. */
  requests?: RequestPolicy
  source: SourceLocation
}

export interface RoleSpec {
  /** Account role name exactly as in Cloudflare. */
  name: string
  owners: string[]
  members: Grant[]
  requests?: RequestPolicy
  source: SourceLocation
}

export type RemovalLimit = { kind: 'count'; value: number } | { kind: 'percent'; value: number }

export interface ReviewSettings {
  /** Days after the period starts by which grants must be decided. */
  dueDays?: number
  /** What a grant nobody decided gets once the due date passes. */
  onNoDecision?: 'keep' | 'revoke'
  /** Logins or teams mentioned in reminders after the due date. */
  escalateTo: string[]
  /** Logins or teams whose approval of the evidence pull request signs the review off. */
  signoff: string[]
}

export interface AccessSettings {
  staleAfterDays?: number
  maxRemovals?: RemovalLimit
  review?: ReviewSettings
}

export interface DesiredState {
  accountId?: string
  settings: AccessSettings
  /** Sorted by name. */
  groups: GroupSpec[]
  /** Sorted by name. */
  roles: RoleSpec[]
  /** GitHub login (lower case) -> that person's e-mail addresses (trimmed, lower case), from `people:`. */
  people?: Record<string, string[]>
  /** The files that were merged, in the order read. */
  files: string[]
}

/** A problem in an access file, located for people and for annotations. */
export interface ConfigError {
  file: string
  line: number
  column: number
  message: string
}
