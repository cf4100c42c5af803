/** The plan: what would change, why, and what stops it. Produced by src/diff, rendered by src/report, applied by src/cloudflare. */
import type { SourceLocation } from './desired.js'

/** requested: the file asks for it; expired: the grant's end date passed; drift: in Cloudflare but not in the file. */
export type ChangeCause = 'requested' | 'expired' | 'drift'

/**
 * add/remove: an email rule in a group's include.
 * grant/revoke: a role on an existing membership.
 * invite: a role for someone who is not a member yet (an e-mail invitation).
 * remove-member: revoking a member's last role, which removes the membership.
 */
export type ChangeAction = 'add' | 'remove' | 'grant' | 'revoke' | 'invite' | 'remove-member'

export interface Target {
  kind: 'group' | 'role'
  name: string
  id: string
}

export interface Change {
  /**
   * Stable within a plan and across plans of one account: `<target kind>:<target id>:<e-mail key>`. Everything that
   * points at a change (the pull request's own changes, apply outcomes, selections) uses this key, never a position.
   */
  key: string
  action: ChangeAction
  target: Target
  /** As written in the file for additions, as stored in Cloudflare for removals. */
  email: string
  cause: ChangeCause
  expires?: string
  reason?: string
  /** Where the file asks for it (requested and expired changes). */
  source?: SourceLocation
  /** Key of the Operation (in Plan.operations) that carries this change. */
  operation: string
}

/**
 * One write to Cloudflare. Several changes can share one operation (one PUT per group, one per member). Each
 * operation carries its own delta, so what it writes is read from it alone: the executor, the guards and the
 * renderers all trust the operation. `key` is stable: `group:<id>`, `member:<id>` or `invite:<e-mail key>`.
 */
export type Operation =
  | {
      type: 'update-group'
      key: string
      groupId: string
      groupName: string
      /** Emails to append as `{email: {email}}` rules, spelled as in the file. */
      add: string[]
      /** Emails whose email rules are dropped, compared case-insensitively. */
      remove: string[]
    }
  /**
   * grant/revoke: role ids against the roles read. The executor re-reads the member and applies this delta to the
   * roles held then, so roles given in the meantime are kept.
   */
  | {
      type: 'update-member'
      key: string
      memberId: string
      email: string
      grant: string[]
      revoke: string[]
    }
  | { type: 'invite-member'; key: string; email: string; roleIds: string[] }
  /** Revokes the member's last roles (`revoke`), which removes the membership. */
  | { type: 'remove-member'; key: string; memberId: string; email: string; revoke: string[] }

export type FindingKind =
  | 'unknown-group'
  | 'unknown-role'
  | 'ambiguous-group'
  | 'group-id-mismatch'
  | 'empty-include'
  | 'group-limit'
  | 'policy-member'
  | 'no-zero-trust-user'

export interface Finding {
  kind: FindingKind
  /** error findings block apply; warnings are shown. */
  severity: 'error' | 'warning'
  message: string
  target?: { kind: 'group' | 'role'; name: string }
  email?: string
  suggestions?: string[]
  source?: SourceLocation
}

export type GuardKind = 'max-removals' | 'last-super-admin' | 'self-removal'

export interface GuardViolation {
  guard: GuardKind
  message: string
  /** The action input that overrides this guard, e.g. allow-mass-removal. */
  overrideInput: 'allow-mass-removal' | 'allow-lockout'
  /** True when that input was set: the guard is reported but does not stop apply. */
  overridden: boolean
}

export interface ExpiringGrant {
  target: Target
  email: string
  expires: string
  daysLeft: number
}

export interface Plan {
  accountId: string
  generatedAt: string
  /** Ordered: groups before roles, by target name, then removals before additions, then email. */
  changes: Change[]
  operations: Operation[]
  findings: Finding[]
  guards: GuardViolation[]
  expiring: ExpiringGrant[]
  managed: { groups: Target[]; roles: Target[] }
  unmanaged: { groups: { id: string; name: string }[]; roles: { id: string; name: string }[] }
  stats: {
    additions: number
    removals: number
    /** Live grants in managed groups and roles: the base of a percentage max_removals. */
    grantsUnderManagement: number
    removalLimit: number
  }
}

export type OperationStatus = 'applied' | 'failed' | 'skipped'

export interface OperationResult {
  operation: Operation
  status: OperationStatus
  /** Why it failed or was skipped. */
  reason?: string
}

/** What became of one change: the status and reason of the write that carried it. */
export interface ChangeOutcome {
  change: Change
  status: OperationStatus
  reason?: string
}

export interface ApplyResult {
  dryRun: boolean
  /** One per change, in Plan.changes order: what renderers list. */
  outcomes: ChangeOutcome[]
  /** One per write, in Plan.operations order: the audit of what was sent. */
  operations: OperationResult[]
  /** Counted in changes (what people read), not operations. */
  applied: number
  failed: number
  skipped: number
}
