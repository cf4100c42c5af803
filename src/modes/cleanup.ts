/**
 * cleanup: for a weekly schedule. Opens or updates one pull request (branch access-cleanup) that deletes the entries
 * whose end date has passed, so the access file stops listing grants that have ended. It never talks to Cloudflare
 * and takes no Cloudflare credentials: expire revokes ended grants as they end; cleanup only tidies the file, and once
 * expire has run, the pull request's plan shows no Cloudflare change.
 */
import { isExpired } from '../diff/grants.js'
import type { DesiredState } from '../model/index.js'
import {
  CLEANUP_PULL_MARKER,
  renderCleanupPullBody,
  type EndedEntry
} from '../report/cleanup-pull.js'
import { removeGrants, type Revocation } from '../review/index.js'
import { defaultBranchRefusal, loadDesiredState } from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'

export const CLEANUP_BRANCH = 'access-cleanup'

export async function runCleanup(deps: ModeDeps): Promise<ModeResult> {
  const { inputs, io, github, event } = deps
  const offDefault = defaultBranchRefusal(deps, 'cleanup')
  if (offDefault) return { outputs: {}, failure: offDefault }
  if (!github || !event.defaultBranch) {
    return {
      outputs: {},
      failure: github
        ? 'The event does not name the default branch; cannot open the cleanup pull request.'
        : 'cleanup needs the github-token input (contents: write, pull-requests: write) to open its pull request.'
    }
  }
  const files = await deps.readWorkspaceFiles(inputs.config)
  const loaded = loadDesiredState(files, inputs, io)
  if (!loaded.ok) {
    return { outputs: {}, failure: 'The access file is invalid; nothing was cleaned up.' }
  }
  const removed = endedEntries(loaded.desired, deps.now())
  if (removed.length === 0) {
    io.info('No entry in the access file has ended: nothing to clean up.')
    return { outputs: { 'has-changes': 'false', removals: '0' } }
  }
  const edit = removeGrants(
    files,
    loaded.desired,
    removed.map((entry): Revocation => entry.revocation)
  )
  if (!edit.ok) {
    return {
      outputs: {},
      failure: `The ended entries could not be cut from the access file: ${edit.reason}`
    }
  }
  const body = renderCleanupPullBody(removed.map((entry) => entry.shown))
  const title = `Access file: remove ${removed.length === 1 ? '1 ended grant' : `${removed.length} ended grants`}`
  let pullRequest: { number: number; url: string } | undefined
  for (const [index, file] of edit.files.entries()) {
    // The first write starts the branch again from the default branch: the pull request is exactly today's cut.
    pullRequest = await github.createPullRequestWithFile({
      branch: CLEANUP_BRANCH,
      base: event.defaultBranch,
      path: file.path,
      content: file.text,
      title,
      body,
      message: `Remove ended grants from ${file.path}`,
      reset: index === 0
    })
  }
  io.info(
    `Cleanup pull request #${pullRequest!.number} (${pullRequest!.url}) removes ${removed.length} ended entr${removed.length === 1 ? 'y' : 'ies'}.`
  )
  await io.appendSummary(`${body.replace(CLEANUP_PULL_MARKER, '### Access file cleanup')}\n`)
  return { outputs: { 'has-changes': 'true', removals: String(removed.length) } }
}

interface Ended {
  revocation: Revocation
  shown: EndedEntry
}

/** Every entry that has ended, per group and role (the file lists a person at most once per group or role). */
function endedEntries(desired: DesiredState, now: Date): Ended[] {
  const specs = [
    ...desired.groups.map((spec) => ({ spec, kind: 'group' as const, id: spec.id ?? '' })),
    ...desired.roles.map((spec) => ({ spec, kind: 'role' as const, id: '' }))
  ]
  return specs.flatMap(({ spec, kind, id }) =>
    spec.members
      .filter((grant) => isExpired(grant, now.getTime()))
      .map((grant) => ({
        revocation: { key: grant.key, email: grant.email, target: { kind, name: spec.name, id } },
        shown: {
          target: { kind, name: spec.name },
          email: grant.email,
          expires: grant.expires!,
          ...(grant.reason ? { reason: grant.reason } : {}),
          file: grant.source.file
        }
      }))
  )
}
