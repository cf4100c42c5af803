/**
 * request: an access request issue (from the issue form) becomes one pull request that adds the grant, or a comment
 * that says what is wrong. The requester is the issue's author from the event, never anything the form says.
 */
import { sameLogin } from '../github/index.js'
import {
  renderRequestAccepted,
  renderRequestPullBody,
  renderRequestRefusal,
  REQUEST_COMMENT_MARKER
} from '../report/request-comment.js'
import { addGrantToAccessFile } from '../request/edit-access-file.js'
import { describeDuration } from '../request/duration.js'
import { loadDesiredState } from './common.js'
import type { ModeDeps, ModeResult } from './ports.js'
import { unsafeRequestContext } from './request-context.js'
import { runExtension } from './request-extension.js'
import {
  checkRequestIssue,
  opensWithWorkflowToken,
  requestNeedsGitHubToken
} from './request-check.js'

/** The label the shipped issue form puts on request issues; mode auto runs request on issues that carry it. */
export const REQUEST_LABEL = 'access-request'
const ACTIONS = ['opened', 'edited', 'reopened']

export function requestBranch(issueNumber: number): string {
  return `access-request/${issueNumber}`
}

/** The request issue a request branch belongs to. */
export function requestIssueNumber(branch: string | undefined): number | undefined {
  const match = /^access-request\/([1-9]\d{0,9})$/.exec(branch ?? '')
  return match ? Number(match[1]) : undefined
}

export async function runRequest(deps: ModeDeps): Promise<ModeResult> {
  const { event, github, io, inputs } = deps
  if (event.kind === 'issue_comment') return runExtension(deps)
  const issue = event.issue
  if (event.kind !== 'issues' || !issue) {
    return {
      outputs: {},
      failure:
        'request runs on issues events (opened, edited) of request issues, and on their comments (/extend).'
    }
  }
  if (!ACTIONS.includes(event.action ?? '')) {
    io.info(`Issue ${event.action ?? 'event'}: nothing to request.`)
    return { outputs: {} }
  }
  if (event.action === 'edited' && event.bodyBefore === undefined) {
    io.info('Only the title changed: the request stands as it was.')
    return { outputs: {} }
  }
  if (!github) return requestNeedsGitHubToken()
  if (
    event.sender?.isBot &&
    event.sender.login &&
    sameLogin(event.sender.login, await github.whoAmI())
  ) {
    // Our own edit of the issue must not start another round.
    io.info('The issue was changed by this action: nothing to do.')
    return { outputs: {} }
  }
  const outputs = { 'issue-number': String(issue.number) }
  const unsafe = unsafeRequestContext(event)
  if (unsafe) {
    await github.upsertStickyComment(
      issue.number,
      REQUEST_COMMENT_MARKER,
      renderRequestRefusal([unsafe])
    )
    io.info(`Request #${issue.number} not accepted: ${unsafe}`)
    return { outputs }
  }
  const files = await deps.readWorkspaceFiles(inputs.config)
  const loaded = loadDesiredState(files, inputs, io)
  if (!loaded.ok) {
    await github.upsertStickyComment(
      issue.number,
      REQUEST_COMMENT_MARKER,
      renderRequestRefusal([
        `The access file (${inputs.config}) on the default branch is invalid, so no request can be checked; its owners must fix it first.`
      ])
    )
    return { outputs, failure: 'The access file is invalid; the request was not checked.' }
  }
  const checked = await checkRequestIssue({
    github,
    issue,
    desired: loaded.desired,
    now: deps.now()
  })
  if (!checked.ok) {
    await github.upsertStickyComment(
      issue.number,
      REQUEST_COMMENT_MARKER,
      renderRequestRefusal(checked.problems)
    )
    io.info(
      `Request #${issue.number} not accepted: ${checked.problems.length} problem(s), see the issue.`
    )
    return { outputs }
  }
  const { grant } = checked
  const file = files.find((candidate) => candidate.path === grant.file)!
  const base = event.defaultBranch
  if (!base) {
    return {
      outputs,
      failure: 'The event does not name the default branch; cannot open the pull request.'
    }
  }
  const pullRequest = await github.createPullRequestWithFile({
    branch: requestBranch(issue.number),
    base,
    path: grant.file,
    // The reason names the request, so expire can find the issue to close when the grant ends.
    content: addGrantToAccessFile(file.text, {
      ...grant,
      reason: `${grant.reason} (request #${issue.number})`
    }),
    title: `Access request #${issue.number}: ${grant.kind} "${grant.name}" for ${describeDuration(grant.durationMs)}`,
    body: renderRequestPullBody(grant, issue.number),
    reset: true
  })
  await github.upsertStickyComment(
    issue.number,
    REQUEST_COMMENT_MARKER,
    renderRequestAccepted({
      grant,
      pullRequest,
      openedWithWorkflowToken: await opensWithWorkflowToken(github)
    })
  )
  io.info(`Request #${issue.number}: pull request #${pullRequest.number} (${pullRequest.url}).`)
  return { outputs }
}
