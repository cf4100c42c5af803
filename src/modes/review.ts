/** review: a periodic user access review as one GitHub issue per period, updated in place by re-runs. */
import { applyPlan } from '../cloudflare/index.js'
import { planChanges } from '../diff/index.js'
import { desiredForExpiredOnly } from '../diff/expired-only.js'
import type { ApplyResult, Change } from '../model/index.js'
import { renderReviewIssue, reviewMarker, REVIEW_MARKER_PREFIX } from '../report/index.js'
import { buildAccessReview, parseCertifications, reviewPeriod } from '../review/index.js'
import {
  describeBlockers,
  loadDesiredState,
  planOptions,
  planOutputs,
  readAccountAndPlan
} from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'

const DEFAULT_STALE_AFTER_DAYS = 90

export async function runReview(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io, github } = deps
  const loaded = loadDesiredState(await deps.readWorkspaceFiles(inputs.config), inputs, io)
  if (!loaded.ok) {
    return { outputs: {}, failure: 'The access file is invalid; no review was written.' }
  }
  if (!github) {
    return {
      outputs: {},
      failure: 'review needs the github-token input (with issues: write) to write the review issue.'
    }
  }
  if (deps.event.kind === 'issues') {
    // Decisions on review issues are not read yet: an issue event never opens or rewrites a review.
    io.info('An issue event: nothing to review.')
    return { outputs: {} }
  }
  const desired = loaded.desired
  const now = deps.now()
  let { client, snapshot, plan } = await readAccountAndPlan(deps, desired)

  let revokedExpired: ApplyResult | undefined
  let revokedChanges: Change[] | undefined
  const offDefaultBranch = revokeRefusal(deps)
  if (inputs.revokeExpired && offDefaultBranch) {
    io.warning(`Expired grants were not revoked: ${offDefaultBranch}`)
  } else if (inputs.revokeExpired && plan.changes.some((change) => change.cause === 'expired')) {
    const expiredPlan = planChanges(
      desiredForExpiredOnly(desired, snapshot, plan),
      snapshot,
      planOptions(inputs, now)
    )
    const blockers = describeBlockers(expiredPlan)
    if (blockers) {
      io.warning(`Expired grants were not revoked; the plan is blocked:\n${blockers}`)
    } else {
      revokedExpired = await applyPlan(client, expiredPlan, { dryRun: inputs.dryRun })
      revokedChanges = expiredPlan.changes
      io.info(
        `Revoked expired grants: ${revokedExpired.applied} applied, ${revokedExpired.failed} failed.`
      )
      if (revokedExpired.applied > 0 && !inputs.dryRun) {
        // Review what the account holds now, so revoked people are not listed for certification again.
        ;({ client, snapshot, plan } = await readAccountAndPlan(deps, desired))
      }
    }
  }
  const planFile = await io.writePlanFile(plan)

  const period = reviewPeriod(now, inputs.reviewPeriod)
  const marker = reviewMarker(period.key)
  const existing = await github.findIssueByMarker(inputs.reviewLabel, marker)
  const previous = await github.findLatestIssueWithLabel(
    inputs.reviewLabel,
    REVIEW_MARKER_PREFIX,
    marker
  )
  const review = buildAccessReview(desired, snapshot, plan, {
    now,
    staleAfterDays:
      inputs.staleAfterDays ?? desired.settings.staleAfterDays ?? DEFAULT_STALE_AFTER_DAYS,
    expiryWarningDays: inputs.expiryWarningDays
  })
  const issue = renderReviewIssue(review, {
    period,
    previousIssue: previous ? { number: previous.number, url: previous.url } : undefined,
    certifications: existing ? parseCertifications(existing.body) : undefined,
    revokedExpired,
    revokedChanges
  })

  let issueNumber: number
  if (existing) {
    issueNumber = existing.number
    if (existing.body !== issue.body || existing.title !== issue.title) {
      await github.updateIssue(existing.number, { title: issue.title, body: issue.body })
    }
    io.info(`Updated access review #${existing.number}.`)
  } else {
    issueNumber = (await github.createIssue(issue.title, issue.body, [inputs.reviewLabel])).number
    io.info(`Opened access review #${issueNumber}.`)
  }
  await io.appendSummary(issue.body)

  return {
    outputs: {
      ...planOutputs(plan),
      'plan-file': planFile,
      'issue-number': String(issueNumber),
      applied: String(revokedExpired?.applied ?? 0),
      failed: String(revokedExpired?.failed ?? 0)
    },
    failure:
      revokedExpired && revokedExpired.failed > 0
        ? `${revokedExpired.failed} expired grant${revokedExpired.failed === 1 ? '' : 's'} could not be revoked; see the review issue.`
        : undefined
  }
}

/**
 * Revoking writes to Cloudflare on the strength of the end dates in the file, so the file must be the default branch's:
 * a feature branch could give an approved grant an end date in the past. Scheduled runs are always on the default
 * branch; other events must say so.
 */
function revokeRefusal({ event }: ModeDeps): string | undefined {
  if (event.kind === 'schedule') return undefined
  if (event.defaultBranch && event.ref === `refs/heads/${event.defaultBranch}`) return undefined
  return `revoke-expired only acts on the default branch (${event.defaultBranch ?? 'unknown'}), and this run is on ${event.ref ?? 'an unknown ref'}.`
}
