/**
 * Applies an approved plan: exactly the planned writes, each on its own, so one failure does not
 * stop the others, and re-running after a partial failure converges.
 */
import type {
  ApplyResult,
  ChangeOutcome,
  Operation,
  OperationResult,
  OperationStatus,
  Plan
} from '../model/index.js'
import type { AccountMember } from '../model/index.js'
import type { CloudflareClient, GroupUpdateBody, RawAccessGroup } from './client.js'
import { CloudflareApiError, isAlreadyMemberError } from './errors.js'
import { formatDuration, mapConcurrently } from './limits.js'
import { applyMembershipChange } from '../diff/index.js'

export interface ApplyOptions {
  dryRun: boolean
  /** Operations in flight at once; default 4 (the client bounds requests separately). */
  concurrency?: number
  /**
   * Called with a sentence for the log as a long apply goes (PROGRESS_MIN_OPERATIONS writes or more): at every tenth
   * of the writes done, with the counts, the rate and the time left. Counts and times only, never a name or e-mail.
   */
  onProgress?: (message: string) => void
  /** Clock for the progress rate; default Date.now. */
  now?: () => number
}

/** Applies shorter than this are over before a progress line would help; they log nothing until the result. */
export const PROGRESS_MIN_OPERATIONS = 50

export async function applyPlan(
  client: CloudflareClient,
  plan: Plan,
  options: ApplyOptions
): Promise<ApplyResult> {
  const operations: OperationResult[] = options.dryRun
    ? plan.operations.map((operation) => ({ operation, status: 'skipped', reason: 'dry run' }))
    : await runAll(client, plan.operations, options)

  return resultOf(plan, operations, options.dryRun)
}

async function runAll(
  client: CloudflareClient,
  operations: Operation[],
  options: ApplyOptions
): Promise<OperationResult[]> {
  const fresh = await rereadChanged(client, operations, options.onProgress)
  const progress = progressReporter(operations.length, options)
  return mapConcurrently(operations, options.concurrency ?? 4, async (operation) => {
    const result = await runOperation(client, operation, fresh)
    progress(result.status)
    return result
  })
}

/**
 * The changed objects as Cloudflare holds them right before the writes, where reading them by list pages is fewer
 * requests than one GET each; the others are read with their own GET just before their write. Only the id lookup
 * changes: each write still applies just its planned delta to what was read. Lost-answer re-reads stay per object.
 */
interface FreshReads {
  groups?: Map<string, RawAccessGroup>
  members?: Map<string, AccountMember>
}

/**
 * Chooses per collection: a list read costs the pages the client's last read of it found (page size is the largest),
 * per-object reads cost one GET per changed object; the list is used only when strictly cheaper. An object missing
 * from the list (deleted since the plan, or moved across pages as they were read) falls back to its own GET, which
 * gives the definite answer; a list that fails leaves every object of it to its own GET.
 */
async function rereadChanged(
  client: CloudflareClient,
  operations: Operation[],
  log: ((message: string) => void) | undefined
): Promise<FreshReads> {
  const groupIds = new Set<string>()
  const memberIds = new Set<string>()
  for (const operation of operations) {
    if (operation.type === 'update-group') groupIds.add(operation.groupId)
    else if (operation.type !== 'invite-member') memberIds.add(operation.memberId)
  }
  const byList = async <T extends { id: string }>(
    collection: 'groups' | 'members',
    ids: Set<string>,
    what: string,
    list: () => Promise<T[]>
  ): Promise<Map<string, T> | undefined> => {
    const pages = client.listPages(collection)
    if (pages === undefined || pages >= ids.size) return undefined
    try {
      const items = await list()
      log?.(
        `Re-read the ${ids.size.toLocaleString('en-US')} changed ${what} by listing them (${pages.toLocaleString('en-US')} ` +
          `request${pages === 1 ? '' : 's'} instead of ${ids.size.toLocaleString('en-US')} GETs) right before writing.`
      )
      return new Map(items.filter((item) => ids.has(item.id)).map((item) => [item.id, item]))
    } catch (error) {
      log?.(
        `Listing the ${what} to re-read them failed (${errorText(error)}); each is re-read with its own GET instead.`
      )
      return undefined
    }
  }
  const [groups, members] = await Promise.all([
    byList('groups', groupIds, 'Access groups', () => client.listGroups()),
    byList('members', memberIds, 'account members', () => client.listMembers())
  ])
  return { ...(groups ? { groups } : {}), ...(members ? { members } : {}) }
}

/** Counts finished writes and logs a line each time another tenth of them is done. */
function progressReporter(total: number, options: ApplyOptions): (status: OperationStatus) => void {
  const { onProgress } = options
  if (!onProgress || total < PROGRESS_MIN_OPERATIONS) return () => undefined
  const now = options.now ?? Date.now
  const start = now()
  const counts: Record<OperationStatus, number> = { applied: 0, failed: 0, skipped: 0 }
  let done = 0
  let reportedTenths = 0
  return (status) => {
    counts[status]++
    done++
    const tenths = Math.floor((done * 10) / total)
    if (tenths <= reportedTenths) return
    reportedTenths = tenths
    const elapsedMs = Math.max(1, now() - start)
    const perSecond = (done * 1000) / elapsedMs
    const left =
      done < total ? `, about ${formatDuration(((total - done) / done) * elapsedMs)} left` : ''
    onProgress(
      `Apply progress: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} writes done ` +
        `(${tenths * 10}%; ${counts.applied.toLocaleString('en-US')} applied, ${counts.skipped.toLocaleString('en-US')} skipped, ` +
        `${counts.failed.toLocaleString('en-US')} failed), ${perSecond.toFixed(perSecond < 10 ? 1 : 0)} per second, ` +
        `${formatDuration(elapsedMs)} so far${left}.`
    )
  }
}

/**
 * Gives each change of the plan the outcome of the write that carries it (by operation key) and counts them:
 * what people read is changes, not writes. Pure, so renderers' tests build results the executor's way.
 */
export function resultOf(plan: Plan, operations: OperationResult[], dryRun: boolean): ApplyResult {
  const byKey = new Map(operations.map((result) => [result.operation.key, result]))
  const counts: Record<OperationStatus, number> = { applied: 0, failed: 0, skipped: 0 }
  const outcomes = plan.changes.map((change): ChangeOutcome => {
    const result = byKey.get(change.operation)
    // A change whose write is not in the plan cannot be carried out: say so rather than count it as done.
    const outcome: ChangeOutcome = result
      ? { change, status: result.status, ...(result.reason ? { reason: result.reason } : {}) }
      : { change, status: 'skipped', reason: 'the plan has no write for this change' }
    counts[outcome.status]++
    return outcome
  })
  return { dryRun, outcomes, operations, ...counts }
}

async function runOperation(
  client: CloudflareClient,
  operation: Operation,
  fresh: FreshReads
): Promise<OperationResult> {
  try {
    switch (operation.type) {
      case 'update-group':
        return await updateGroup(client, operation, fresh.groups?.get(operation.groupId))
      case 'update-member':
      case 'remove-member':
        return await changeMemberRoles(client, operation, fresh.members?.get(operation.memberId))
      case 'invite-member':
        try {
          await client.inviteMember(operation.email, operation.roleIds)
        } catch (error) {
          if (isAlreadyMemberError(error)) {
            return {
              operation,
              status: 'skipped',
              reason: `${operation.email} became a member of the account after the plan was made; their roles were not changed. Re-run the plan to review them.`
            }
          }
          throw error
        }
        return { operation, status: 'applied' }
    }
  } catch (error) {
    return failed(operation, errorText(error))
  }
}

/**
 * Re-reads the member and applies only the operation's grants and revocations to the roles it holds now, as groups are
 * re-read before their write: a role given in the dashboard since the plan was made is kept, and a membership that
 * gained such a role is not removed with it.
 */
async function changeMemberRoles(
  client: CloudflareClient,
  operation: Extract<Operation, { type: 'update-member' | 'remove-member' }>,
  listed: AccountMember | undefined
): Promise<OperationResult> {
  const { email } = operation
  let member
  try {
    member = listed ?? (await client.getMember(operation.memberId))
  } catch (error) {
    if (!isNotFound(error)) throw error
    const gone = `${email} is no longer a member of the account (removed since the plan was made)`
    return operation.type === 'remove-member'
      ? { operation, status: 'skipped', reason: `${gone}.` }
      : failed(operation, `${gone}, so their roles were not changed. Re-run the plan.`)
  }
  if (member.usesPolicies) {
    return {
      operation,
      status: 'skipped',
      reason:
        `${email} has been moved to permission policies since the plan was made` +
        (member.policyReason ? ` (${member.policyReason})` : '') +
        `; role management never changes such members.`
    }
  }
  const revoked = new Set(operation.revoke)
  const granted = operation.type === 'update-member' ? operation.grant : []
  const held = member.roles.map((role) => role.id)
  const roleIds = [...new Set([...held.filter((id) => !revoked.has(id)), ...granted])].sort()
  if (roleIds.length === held.length && roleIds.every((id) => held.includes(id))) {
    return {
      operation,
      status: 'skipped',
      reason: `${email} already has these roles in Cloudflare.`
    }
  }
  if (roleIds.length === 0) {
    if (operation.type !== 'remove-member') {
      return failed(
        operation,
        `${email} would be left with no role, which removes the membership; the plan did not say so. Re-run the plan.`
      )
    }
    const lost = await writeOrReread(
      () => client.removeMember(operation.memberId),
      async () => {
        try {
          await client.getMember(operation.memberId)
          return false
        } catch (error) {
          if (isNotFound(error)) return true
          throw error
        }
      }
    )
    return lost
      ? { operation, status: 'applied', reason: `${email}: ${lost}` }
      : { operation, status: 'applied' }
  }
  const lost = await writeOrReread(
    () => client.setMemberRoles(operation.memberId, roleIds),
    async () => {
      const now = (await client.getMember(operation.memberId)).roles.map((role) => role.id).sort()
      return now.length === roleIds.length && now.every((id, i) => id === roleIds[i])
    }
  )
  if (lost) return { operation, status: 'applied', reason: `${email}: ${lost}` }
  return operation.type === 'remove-member'
    ? {
        operation,
        status: 'applied',
        reason: `${email} was given other roles since the plan was made: only the planned roles were revoked and the membership was kept.`
      }
    : { operation, status: 'applied' }
}

async function updateGroup(
  client: CloudflareClient,
  operation: Extract<Operation, { type: 'update-group' }>,
  listed: RawAccessGroup | undefined
): Promise<OperationResult> {
  // Re-read (listed just before the writes, or its own GET) so that rules added in the dashboard since the plan are kept.
  let group
  try {
    group = listed ?? (await client.getGroup(operation.groupId))
  } catch (error) {
    if (isNotFound(error)) {
      return failed(
        operation,
        `the Access group "${operation.groupName}" (${operation.groupId}) no longer exists in Cloudflare; it was deleted after the plan was made. Re-run the plan.`
      )
    }
    throw error
  }
  const include = applyMembershipChange(group.include, operation.add, operation.remove)
  if (include.length === 0) {
    return failed(
      operation,
      `the Access group "${group.name}" would be left with no include rules, which Cloudflare rejects and which would lock everyone out of what it protects. Add another member or rule to the group, then re-run.`
    )
  }
  if (JSON.stringify(include) === JSON.stringify(group.include)) {
    return {
      operation,
      status: 'skipped',
      reason: `the Access group "${group.name}" already has these changes in Cloudflare.`
    }
  }
  const body: GroupUpdateBody = {
    name: group.name,
    include,
    exclude: group.exclude ?? [],
    require: group.require ?? [],
    // Only the boolean form is a request field; the array form is an artefact of the response schema.
    ...(typeof group.is_default === 'boolean' ? { is_default: group.is_default } : {})
  }
  const lost = await writeOrReread(
    () => client.putGroup(operation.groupId, body),
    async () =>
      JSON.stringify((await client.getGroup(operation.groupId)).include) === JSON.stringify(include)
  )
  return lost
    ? { operation, status: 'applied', reason: `the Access group "${group.name}": ${lost}` }
    : { operation, status: 'applied' }
}

/**
 * Runs a write. When it fails without a definite answer (no answer at all, a 5xx, or a 404 on a retried DELETE),
 * Cloudflare may have carried it out before the answer was lost: `isInPlace` re-reads the target. Returns undefined
 * when the write was answered, the sentence for the outcome when the re-read shows it took effect; otherwise the
 * write's own error is thrown (with the re-read's, when that failed too).
 */
async function writeOrReread(
  write: () => Promise<unknown>,
  isInPlace: () => Promise<boolean>
): Promise<string | undefined> {
  try {
    await write()
    return undefined
  } catch (error) {
    if (!isAmbiguous(error)) throw error
    let inPlace: boolean
    try {
      inPlace = await isInPlace()
    } catch (reread) {
      throw new Error(
        `${errorText(error)} Re-reading to check whether it took effect failed too: ${errorText(reread)}`,
        { cause: error }
      )
    }
    if (!inPlace) throw error
    return `Cloudflare's answer was lost (${errorText(error)}); a re-read shows the change in place.`
  }
}

/** A failure after which the write may still have happened. */
function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof CloudflareApiError)) return false
  if (error.status === undefined || error.status >= 500) return true
  // A retried DELETE answered 404: an earlier attempt whose answer was lost most likely removed it.
  return error.status === 404 && error.method === 'DELETE' && error.attempts > 1
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function isNotFound(error: unknown): boolean {
  return error instanceof CloudflareApiError && error.status === 404
}

function failed(operation: Operation, reason: string): OperationResult {
  return { operation, status: 'failed', reason }
}
