/**
 * What the request mode writes: the sticky comment on the request issue and the request pull request's body. Every
 * piece of issue text is escaped: nothing from the form can ping, link or format.
 */
import { describeDuration } from '../request/duration.js'
import type { Change } from '../model/index.js'
import type { RequestedGrant } from '../request/policy.js'
import { codeSpan, escapeMarkdown, link } from './markdown.js'

export const REQUEST_COMMENT_MARKER = '<!-- cloudflare-access-as-code:request -->'

const WORKFLOW_TOKEN_NOTE =
  "> [!NOTE]\n> The pull request was opened with the workflow's `GITHUB_TOKEN`, which starts no workflow, so its plan has not run: a maintainer must run it (close and reopen the pull request), or give this workflow a GitHub App token."

function target(grant: { kind: 'group' | 'role'; name: string }): string {
  return `the ${grant.kind} ${codeSpan(grant.name)}`
}

export function renderRequestRefusal(problems: readonly string[]): string {
  return [
    REQUEST_COMMENT_MARKER,
    '### Access request: not accepted',
    '',
    'No pull request was opened and nothing changed in Cloudflare, because:',
    '',
    ...problems.map((problem) => `- ${escapeMarkdown(problem)}`),
    '',
    'Edit the issue to fix the form; the request is checked again on every edit.'
  ].join('\n')
}

export interface AcceptedRequest {
  grant: RequestedGrant
  pullRequest: { number: number; url: string }
  /** The pull request was written with the workflow's GITHUB_TOKEN, which starts no workflow on it. */
  openedWithWorkflowToken: boolean
}

export function renderRequestAccepted({
  grant,
  pullRequest,
  openedWithWorkflowToken
}: AcceptedRequest): string {
  const lines = [
    REQUEST_COMMENT_MARKER,
    '### Access request: pull request opened',
    '',
    `- **What:** ${codeSpan(grant.email)} in ${target(grant)}`,
    `- **For:** ${describeDuration(grant.durationMs)}, until ${grant.expires} (\`expires\` in the file; the time counts from this request or its last edit)`,
    `- **Reason:** ${escapeMarkdown(grant.reason)}`,
    `- **Pull request:** ${link(`#${pullRequest.number}`, pullRequest.url)}`,
    '',
    `An owner of ${target(grant)} must approve the pull request; the requester's own approval does not count. Merging grants the access; it is removed again when it expires.`,
    'Editing this issue updates the pull request, and approvals given before the edit no longer count.'
  ]
  if (openedWithWorkflowToken) lines.push('', WORKFLOW_TOKEN_NOTE)
  return lines.join('\n')
}

export const REQUEST_PULL_MARKER_PREFIX = '<!-- cloudflare-access-as-code:request-pull:'

export function requestPullMarker(issueNumber: number): string {
  return `${REQUEST_PULL_MARKER_PREFIX}${issueNumber} -->`
}

export function renderRequestPullBody(grant: RequestedGrant, issueNumber: number): string {
  return [
    requestPullMarker(issueNumber),
    `Access request #${issueNumber}, opened by Cloudflare Access as Code from the request issue.`,
    '',
    `- **Grant:** ${codeSpan(grant.email)} in ${target(grant)}, ${describeDuration(grant.durationMs)} (until ${grant.expires})`,
    `- **Requested by:** ${codeSpan(grant.requester)}${grant.forSelf ? '' : ` on behalf of ${codeSpan(grant.granteeLogin ?? grant.email)}`}`,
    `- **Reason:** ${escapeMarkdown(grant.reason)}`,
    '',
    "The requester's approval does not count. Editing the request issue rewrites this branch."
  ].join('\n')
}

/** On the request issue when expire revoked its grant; the issue is closed with it. */
export function renderRequestExpired(change: Change, now: Date): string {
  return [
    REQUEST_COMMENT_MARKER.replace('request', 'request-expired'),
    '### Access request: ended',
    '',
    `${codeSpan(change.email)} no longer holds ${target(change.target)}: the grant ended${change.expires ? ` at ${change.expires}` : ''} and was revoked at ${now.toISOString()}.`,
    '',
    'Closing this request. To ask again, open a new request.'
  ].join('\n')
}

export const EXTENSION_COMMENT_MARKER = '<!-- cloudflare-access-as-code:request-extension -->'

export function renderExtensionRefusal(problems: readonly string[]): string {
  return [
    EXTENSION_COMMENT_MARKER,
    '### Access extension: not accepted',
    '',
    'No pull request was opened and nothing changed in Cloudflare, because:',
    '',
    ...problems.map((problem) => `- ${escapeMarkdown(problem)}`),
    '',
    'Comment again with `/extend` and a duration (such as `/extend 4h`) to ask again.'
  ].join('\n')
}

export interface AcceptedExtension {
  grant: RequestedGrant
  durationMs: number
  previousEnd: string
  end: string
  pullRequest: { number: number; url: string }
  openedWithWorkflowToken: boolean
}

export function renderExtensionAccepted(extension: AcceptedExtension): string {
  const { grant, pullRequest } = extension
  const lines = [
    EXTENSION_COMMENT_MARKER,
    '### Access extension: pull request opened',
    '',
    `- **What:** ${codeSpan(grant.email)} in ${target(grant)}`,
    `- **Extended by:** ${describeDuration(extension.durationMs)}, from ${extension.previousEnd} to ${extension.end}`,
    `- **Pull request:** ${link(`#${pullRequest.number}`, pullRequest.url)}`,
    '',
    `An owner of ${target(grant)} must approve it, as for the request; the requester's and the grantee's approvals do not count. Until it is merged, the grant still ends at ${extension.previousEnd}.`
  ]
  if (extension.openedWithWorkflowToken) lines.push('', WORKFLOW_TOKEN_NOTE)
  return lines.join('\n')
}

export function renderExtensionPullBody(
  extension: Pick<AcceptedExtension, 'grant' | 'durationMs' | 'previousEnd' | 'end'>,
  issueNumber: number
): string {
  const { grant } = extension
  return [
    requestPullMarker(issueNumber),
    `Extension of access request #${issueNumber}, asked for with /extend on the request issue.`,
    '',
    `- **Grant:** ${codeSpan(grant.email)} in ${target(grant)}`,
    `- **End:** ${extension.previousEnd} → ${extension.end} (${describeDuration(extension.durationMs)} more)`,
    `- **Requested by:** ${codeSpan(grant.requester)}`,
    '',
    "The requester's approval does not count. Another /extend, or an edit of the request issue, rewrites this branch."
  ].join('\n')
}
