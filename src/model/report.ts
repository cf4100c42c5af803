/** What the renderers in src/report receive. Built by the modes in src/modes, rendered by pure functions. */
import type { ConfigError } from './desired.js'
import type { ApplyResult, Plan } from './plan.js'

/** Whether the owners of a group or role the pull request touches have approved it. */
export interface OwnerApproval {
  target: { kind: 'group' | 'role'; name: string }
  /** From the base branch's file: a pull request cannot appoint its own approvers. */
  owners: string[]
  /** Owners (or members of owner teams) whose latest review approves the head commit. */
  approvedBy: string[]
}

/** One way an Access application's policy names a group (src/diff/applications.ts computes these). */
export interface GroupApplicationUse {
  application: { id: string; name: string }
  policy: { id: string; name: string; decision: string }
  role: 'include' | 'require' | 'exclude'
  /** Set when the use comes through an outer group that includes this one. */
  via?: string
}

/** Group id -> its uses, or the permission the token lacks to read them. */
export type GroupApplications =
  | { status: 'read'; uses: Record<string, GroupApplicationUse[]> }
  | { status: 'forbidden'; permission: string }

export interface PlanReportInput {
  /** Absent when no live plan could be made (fork pull request, invalid file, ...); `notes` says why. */
  plan?: Plan
  /**
   * Keys of the plan's changes that this pull request asks for (the change is not in the base branch's plan).
   * The others are drift that merging will also correct. Absent outside pull requests: every change is shown alike.
   */
  requestedByPullRequest?: string[]
  configErrors: ConfigError[]
  ownerApprovals: OwnerApproval[]
  /** Plain sentences shown near the top, e.g. why there is no live plan. */
  notes: string[]
  /** Link to the workflow run. */
  runUrl?: string
  /** The pull request head commit this plan is for. */
  headSha?: string
  /** The whole plan as JSON, uploaded as a workflow artifact (upload-plan); `url` when GitHub gave an id. */
  planArtifact?: { name: string; url?: string }
  /** What the changed groups open; absent when not read (no group changes). */
  groupApplications?: GroupApplications
}

export interface ApplyReportInput {
  plan: Plan
  result: ApplyResult
  pullRequest?: { number: number; url: string }
  runUrl?: string
  /** The heading's name for the run; default "apply" (expire names itself). */
  runName?: string
  /** expire with end-sessions: the Access sessions it ended, one entry per person. */
  sessions?: SessionEnding[]
}

/** Ending one person's Access sessions (POST revoke_user) after their group grant was revoked. */
export interface SessionEnding {
  email: string
  /** not-confirmed: Cloudflare answered, but with result false. */
  status: 'ended' | 'not-confirmed' | 'failed'
  reason?: string
}
