/** Steps every mode shares: read the access file(s), read the account, plan. */
import { parseAccessFiles, type ParsedFiles } from '../config/index.js'
import type { CloudflareClient } from '../cloudflare/index.js'
import { mapGroupsToApplications } from '../diff/applications.js'
import { planBlockers, planChanges, type PlanOptions } from '../diff/index.js'
import { actionOverrideAdvice } from '../report/overrides.js'
import type {
  AccountSnapshot,
  ConfigError,
  DesiredState,
  GroupApplications,
  Plan
} from '../model/index.js'
import { inPhase } from '../model/phases.js'
import type { ActionInputs } from '../action/inputs.js'
import type { ActionIO, ModeDeps } from './ports.js'

/** GitHub shows at most 10 error annotations per step; the rest go to the summary. */
const MAX_ANNOTATIONS = 10

export type DesiredResult =
  | { ok: true; desired: DesiredState }
  | { ok: false; errors: ConfigError[] }

/**
 * Parses the access file(s) and checks the account id against the input. Errors are annotated on their lines.
 * `accountIdInput` names where the account id came from, as the reader knows it (the CLI's flag, say). Files in
 * `earlier` with the same text are not parsed again, and the files parsed here are added to it.
 */
export function loadDesiredState(
  files: { path: string; text: string }[],
  inputs: ActionInputs,
  io: ActionIO,
  accountIdInput = 'the cloudflare-account-id input',
  earlier?: ParsedFiles
): DesiredResult {
  const parsed = inPhase('file parse', () => parseAccessFiles(files, earlier))
  const errors = parsed.ok ? [] : [...parsed.errors]
  if (parsed.ok) {
    const fromFile = parsed.desired.accountId
    if (inputs.accountId && fromFile && inputs.accountId !== fromFile) {
      errors.push({
        file: parsed.desired.files[0] ?? inputs.config,
        line: 1,
        column: 1,
        message: `account_id ${fromFile} in the access file conflicts with ${accountIdInput} ${inputs.accountId}. Remove one or make them agree.`
      })
    }
  }
  if (errors.length > 0) {
    annotateConfigErrors(errors, io)
    return { ok: false, errors }
  }
  return parsed as { ok: true; desired: DesiredState }
}

function annotateConfigErrors(errors: ConfigError[], io: ActionIO): void {
  const limit = io.annotationLimit ?? MAX_ANNOTATIONS
  for (const error of errors.slice(0, limit)) {
    io.error(error.message, { file: error.file, line: error.line, column: error.column })
  }
  if (errors.length > limit) {
    io.error(
      `${errors.length - limit} more errors in the access file; the job summary lists all ${errors.length}.`
    )
  }
}

function resolveAccountId(inputs: ActionInputs, desired: DesiredState | undefined): string {
  const accountId = inputs.accountId ?? desired?.accountId
  if (!accountId) {
    throw new Error(
      'No Cloudflare account id: set the cloudflare-account-id input or account_id in the access file.'
    )
  }
  return accountId
}

export function planOptions(inputs: ActionInputs, now: Date): PlanOptions {
  return {
    now,
    expiryWarningDays: inputs.expiryWarningDays,
    maxRemovals: inputs.maxRemovals,
    allowMassRemoval: inputs.allowMassRemoval,
    allowLockout: inputs.allowLockout
  }
}

export interface LivePlan {
  client: CloudflareClient
  snapshot: AccountSnapshot
  plan: Plan
}

/** Connects with the given credentials, checks them once, reads the whole account and plans against it. */
export async function readAccountAndPlan(deps: ModeDeps, desired: DesiredState): Promise<LivePlan> {
  if (!deps.cloudflare) {
    throw new Error(
      'No Cloudflare credentials: set cloudflare-api-token (or cloudflare-api-key with cloudflare-email) from a repository or environment secret.'
    )
  }
  const client = deps.cloudflare(resolveAccountId(deps.inputs, desired))
  // The check and the reads go out together (one round trip less); the check's error, with its hint, wins.
  const snapshot = await inPhase('reads', async () => {
    const verified = client.verifyCredentials()
    const reading = client.readAccountSnapshot()
    reading.catch(() => undefined)
    await verified
    return reading
  })
  const plan = inPhase('plan', () =>
    planChanges(desired, snapshot, planOptions(deps.inputs, deps.now()))
  )
  deps.io.info(
    `Read ${snapshot.groups.length} Access groups, ${snapshot.members.length} account members, ${snapshot.roles.length} roles and ${snapshot.users.length} Zero Trust users in ${client.requestCount} requests.`
  )
  return { client, snapshot, plan }
}

/** The access file(s) of the workspace, read, checked and planned against the live account; the file's errors otherwise. */
export async function planWorkspace(
  deps: ModeDeps
): Promise<
  ({ ok: true; desired: DesiredState } & LivePlan) | { ok: false; errors: ConfigError[] }
> {
  const loaded = loadDesiredState(
    await deps.readWorkspaceFiles(deps.inputs.config),
    deps.inputs,
    deps.io,
    deps.inputName?.('cloudflare-account-id')
  )
  if (!loaded.ok) return loaded
  return { ok: true, desired: loaded.desired, ...(await readAccountAndPlan(deps, loaded.desired)) }
}

/** The outputs every planning mode shares. */
export function planOutputs(plan: Plan): {
  'has-changes': string
  additions: string
  removals: string
} {
  return {
    'has-changes': String(plan.changes.length > 0),
    additions: String(plan.stats.additions),
    removals: String(plan.stats.removals)
  }
}

/** Why a plan may not be applied, as one message, or undefined when it may. */
export function describeBlockers(plan: Plan): string | undefined {
  const reasons = planBlockers(plan, actionOverrideAdvice)
  return reasons.length === 0 ? undefined : reasons.join('\n')
}

/** What each Access group opens, for the plan comment; a token without the apps permission gets a note instead. */
export async function readGroupApplications(
  client: CloudflareClient,
  snapshot: AccountSnapshot
): Promise<GroupApplications> {
  const read = await client.readAccessApplications()
  if (read.status === 'forbidden') return read
  const uses = mapGroupsToApplications(read.applications, snapshot.groups)
  return { status: 'read', uses: Object.fromEntries(uses) }
}

/** What the plan's group changes open: read only when the plan changes a group, so other runs cost no request. */
export function readApplicationsOfGroupChanges(
  live: LivePlan
): Promise<GroupApplications> | undefined {
  if (!live.plan.changes.some((change) => change.target.kind === 'group')) return undefined
  return readGroupApplications(live.client, live.snapshot)
}

/** The file's end dates only count on the default branch: a feature branch could end an approved grant early. */
export function defaultBranchRefusal({ event }: ModeDeps, mode: string): string | undefined {
  if (event.kind === 'schedule') return undefined
  if (event.defaultBranch && event.ref === `refs/heads/${event.defaultBranch}`) return undefined
  return `${mode} only runs on the default branch (${event.defaultBranch ?? 'unknown'}), and this run is on ${event.ref ?? 'an unknown ref'}.`
}
