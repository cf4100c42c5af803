/**
 * request, on an issue comment: `/extend <duration>` by the requester on their granted request issue opens a pull
 * request (on the request's branch, so apply still knows whose request it is) that moves the grant's end later.
 * It needs the owners' approval like the request did; the requester's and the grantee's approvals do not count.
 */
import { emailKey } from '../config/values.js'
import { sameLogin } from '../github/index.js'
import {
  EXTENSION_COMMENT_MARKER,
  renderExtensionAccepted,
  renderExtensionPullBody,
  renderExtensionRefusal
} from '../report/request-comment.js'
import { addGrantToAccessFile } from '../request/edit-access-file.js'
import { checkExtension, readExtendCommand } from '../request/extension.js'
import { describeDuration } from '../request/duration.js'
import { loadDesiredState } from './common.js'
import { requestIssueOfReason } from './expire.js'
import type { ModeDeps, ModeResult } from './ports.js'
import { REQUEST_LABEL, requestBranch } from './request.js'
import {
  checkRequestIssue,
  opensWithWorkflowToken,
  requestNeedsGitHubToken
} from './request-check.js'
import { unsafeRequestContext } from './request-context.js'

export async function runExtension(deps: ModeDeps): Promise<ModeResult> {
  const { event, github, io, inputs } = deps
  const { issue, comment } = event
  if (event.action !== 'created' || !issue || !comment) {
    io.info(`Comment ${event.action ?? 'event'}: nothing to extend.`)
    return { outputs: {} }
  }
  const command = readExtendCommand(comment.body)
  if (!command) {
    io.info('The comment is not an /extend command: nothing to do.')
    return { outputs: {} }
  }
  if (!(issue.labels ?? []).includes(REQUEST_LABEL)) {
    io.info(`#${issue.number} is not an access request issue: /extend does nothing there.`)
    return { outputs: {} }
  }
  if (comment.isBot) {
    io.info('The comment is by a bot: only the requester can extend a request.')
    return { outputs: {} }
  }
  if (!github) return requestNeedsGitHubToken()
  const outputs = { 'issue-number': String(issue.number) }
  const refuse = async (problems: string[]): Promise<ModeResult> => {
    await github.upsertStickyComment(
      issue.number,
      EXTENSION_COMMENT_MARKER,
      renderExtensionRefusal(problems)
    )
    io.info(`Extension of request #${issue.number} not accepted: ${problems.join(' ')}`)
    return { outputs }
  }
  const unsafe = unsafeRequestContext(event)
  if (unsafe) return refuse([unsafe])
  if (!sameLogin(comment.author, issue.author)) {
    return refuse([
      `Only @${issue.author}, who asked for this access, can extend it; @${comment.author} can open a request of their own.`
    ])
  }
  if (issue.state === 'closed') {
    return refuse([
      'This request is closed: its grant ended or it was withdrawn. Open a new request.'
    ])
  }
  const files = await deps.readWorkspaceFiles(inputs.config)
  const loaded = loadDesiredState(files, inputs, io)
  if (!loaded.ok) {
    return refuse([
      `The access file (${inputs.config}) on the default branch is invalid, so no extension can be checked; its owners must fix it first.`
    ])
  }
  const now = deps.now()
  // The request as it stands, checked again (the policy may have changed since it was granted); its duration is
  // checkExtension's to judge.
  const checked = await checkRequestIssue({
    github,
    issue,
    desired: loaded.desired,
    now,
    form: { duration: '1m' }
  })
  if (!checked.ok) return refuse(checked.problems)
  const { grant } = checked
  const spec = (grant.kind === 'group' ? loaded.desired.groups : loaded.desired.roles).find(
    (candidate) => candidate.name === grant.name
  )!
  const held = spec.members.find((member) => member.key === emailKey(grant.email))
  const target = `the ${grant.kind} "${grant.name}"`
  if (!held?.expires || requestIssueOfReason(held.reason) !== issue.number) {
    return refuse([
      `${grant.email} does not hold ${target} through this request on the default branch: its pull request is not merged yet (edit the issue to change the duration instead), or the grant was removed. Open a new request if it ended.`
    ])
  }
  const extension = checkExtension({
    duration: command.duration,
    held,
    policy: spec.requests!,
    target,
    now
  })
  if (!extension.ok) return refuse([extension.problem])
  const base = event.defaultBranch
  if (!base) {
    return {
      outputs,
      failure: 'The event does not name the default branch; cannot open the pull request.'
    }
  }
  const file = files.find((candidate) => candidate.path === grant.file)!
  const pullRequest = await github.createPullRequestWithFile({
    branch: requestBranch(issue.number),
    base,
    path: grant.file,
    // The reason stays as approved (it names the request, which expire closes when the grant ends).
    content: addGrantToAccessFile(file.text, {
      ...grant,
      expires: extension.end,
      reason: held.reason!
    }),
    title: `Access request #${issue.number}: extend ${grant.kind} "${grant.name}" by ${describeDuration(extension.durationMs)}`,
    body: renderExtensionPullBody({ grant, ...extension }, issue.number),
    reset: true
  })
  await github.upsertStickyComment(
    issue.number,
    EXTENSION_COMMENT_MARKER,
    renderExtensionAccepted({
      grant,
      ...extension,
      pullRequest,
      openedWithWorkflowToken: await opensWithWorkflowToken(github)
    })
  )
  io.info(
    `Extension of request #${issue.number}: pull request #${pullRequest.number} (${pullRequest.url}).`
  )
  return { outputs }
}
