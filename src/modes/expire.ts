/**
 * expire: for a frequent schedule. Removes expired grants and nothing else: it can never add anything, so it needs no
 * approval, and it runs only on the default branch, whose end dates owners approved. Request issues whose grant ended
 * get a comment and are closed; with end-sessions, the people removed from groups are signed out of Access.
 */
import { errorMessage } from '../action/error-message.js'
import { applyPlan, type CloudflareClient } from '../cloudflare/index.js'
import { emailKey } from '../config/values.js'
import { selectChanges, type PlanOptions } from '../diff/index.js'
import type { Change, Plan, SessionEnding } from '../model/index.js'
import { renderApplySummary } from '../report/index.js'
import { renderRequestExpired } from '../report/request-comment.js'
import {
  defaultBranchRefusal,
  describeBlockers,
  planOptions,
  planWorkspace,
  type LivePlan
} from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'
import { REQUEST_LABEL } from './request.js'

/** The request issue a grant came from: the request pull request ends each reason with `(request #N)`. */
export function requestIssueOfReason(reason: string | undefined): number | undefined {
  const match = /\(request #([1-9]\d{0,9})\)$/.exec(reason ?? '')
  return match ? Number(match[1]) : undefined
}

const REMOVALS: readonly Change['action'][] = ['remove', 'revoke', 'remove-member']

export async function runExpire(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io, github } = deps
  const offDefault = defaultBranchRefusal(deps, 'expire')
  if (offDefault) return { outputs: {}, failure: offDefault }
  const live = await planWorkspace(deps)
  if (!live.ok) return { outputs: {}, failure: 'The access file is invalid; nothing was revoked.' }
  const { client, plan } = live
  if (!plan.changes.some((change) => change.cause === 'expired')) {
    io.info('No grant has expired: nothing to revoke.')
    return { outputs: { 'has-changes': 'false' } }
  }
  const narrowed = expiredOnly(live, planOptions(inputs, deps.now()))
  if (!narrowed.ok) return { outputs: {}, failure: narrowed.refusal }
  const expiredPlan = narrowed.plan
  const blockers = describeBlockers(expiredPlan)
  if (blockers) {
    return {
      outputs: {},
      failure: `Expired grants were not revoked; the plan is blocked:\n${blockers}`
    }
  }
  const result = await applyPlan(client, expiredPlan, {
    dryRun: inputs.dryRun,
    onProgress: (message) => io.info(message)
  })
  io.info(`Revoked expired grants: ${result.applied} applied, ${result.failed} failed.`)
  const revoked = result.outcomes
    .filter((outcome) => outcome.status === 'applied')
    .map((outcome) => outcome.change)
  const sessions =
    inputs.endSessions && !inputs.dryRun ? await endSessions(client, revoked, io) : undefined
  await io.appendSummary(
    renderApplySummary({
      plan: expiredPlan,
      result,
      runName: 'expire',
      ...(sessions ? { sessions } : {}),
      ...(deps.runUrl ? { runUrl: deps.runUrl } : {})
    })
  )
  if (github && !inputs.dryRun) await closeRequestIssues(deps, revoked)
  const unended = (sessions ?? []).filter((session) => session.status === 'failed').length
  return {
    outputs: {
      'has-changes': String(expiredPlan.changes.length > 0),
      removals: String(expiredPlan.stats.removals),
      applied: String(result.applied),
      failed: String(result.failed)
    },
    failure:
      result.failed > 0
        ? `${result.failed} expired grant${result.failed === 1 ? '' : 's'} could not be revoked; see the log.`
        : unended > 0
          ? `The expired grants were revoked, but the Access sessions of ${unended} ${unended === 1 ? 'person' : 'people'} could not be ended; see the job summary.`
          : undefined
  }
}

/**
 * The plan narrowed to the removals of expired grants, its guards run again on what is left (the expire mode, and the
 * CLI's --expired-only). A refusal if it ever holds anything else: it is built to hold only those, and is not trusted.
 */
export function expiredOnly(
  live: Pick<LivePlan, 'plan' | 'snapshot'>,
  options: PlanOptions
): { ok: true; plan: Plan } | { ok: false; refusal: string } {
  const plan = selectChanges(live.plan, (change) => change.cause === 'expired', {
    live: live.snapshot,
    options
  })
  const stray = plan.changes.filter(
    (change) => !REMOVALS.includes(change.action) || change.cause !== 'expired'
  )
  if (stray.length === 0) return { ok: true, plan }
  return {
    ok: false,
    refusal: `expire refused to write: its plan holds ${stray.length} change(s) that are not expired-grant removals.`
  }
}

/**
 * end-sessions: a removed rule stops new sign-ins, not an open session, so each person removed from a group gets
 * their Access sessions ended, once however many groups they left, and only after the removal was written (ended
 * first, they could sign straight back in). Roles need none: Cloudflare checks them on every dashboard and API call.
 */
async function endSessions(
  client: CloudflareClient,
  revoked: Change[],
  io: ModeDeps['io']
): Promise<SessionEnding[]> {
  const emails = new Map<string, string>()
  for (const change of revoked) {
    if (change.target.kind === 'group' && change.action === 'remove') {
      const key = emailKey(change.email)
      if (!emails.has(key)) emails.set(key, change.email)
    }
  }
  const sessions: SessionEnding[] = []
  for (const email of emails.values()) {
    try {
      const ended = await client.endAccessSessions(email)
      sessions.push({ email, status: ended ? 'ended' : 'not-confirmed' })
      if (ended) io.info(`Ended the Access sessions of ${email}.`)
      else io.warning(`Cloudflare did not confirm ending the Access sessions of ${email}.`)
    } catch (error) {
      const reason = errorMessage(error)
      sessions.push({ email, status: 'failed', reason })
      io.warning(`Could not end the Access sessions of ${email}: ${reason}`)
    }
  }
  return sessions
}

/**
 * Comments on and closes each request issue whose grant was revoked (only issues carrying the request label). The
 * grants are revoked already: an issue GitHub will not let us close is a warning, and the others are still closed.
 */
async function closeRequestIssues(deps: ModeDeps, revoked: Change[]): Promise<void> {
  const github = deps.github!
  for (const change of revoked) {
    const number = requestIssueOfReason(change.reason)
    if (number === undefined) continue
    try {
      const issue = await github.getIssue(number)
      if (!issue || issue.state !== 'open' || !(issue.labels ?? []).includes(REQUEST_LABEL))
        continue
      await github.createComment(number, renderRequestExpired(change, deps.now()))
      await github.updateIssue(number, { state: 'closed' })
      deps.io.info(`Closed request #${number}: its grant ended and was revoked.`)
    } catch (error) {
      deps.io.warning(
        `Request #${number} was not closed; its grant ended and was revoked. ${errorMessage(error)}`
      )
    }
  }
}
