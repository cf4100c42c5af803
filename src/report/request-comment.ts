/**
 * What the request mode writes: the sticky comment on the request issue and the request pull request's body. Every
 * piece of issue text is escaped: nothing from the form can ping, link or format.
 */
import { describeDuration } from '../request/duration.js'
import type { Change } from '../model/index.js'
import type { RequestedGrant } from '../request/policy.js'
import { codeSpan, escapeMarkdown, link } from './markdown.js'

export const REQUEST_COMMENT_MARKER = '<!-- cloudflare-access-as-code:request -->'

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
  if (openedWithWorkflowToken) {
    lines.push(
      '',
      "> [!NOTE]\n> The pull request was opened with the workflow's `GITHUB_TOKEN`, which starts no workflow, so its plan has not run: a maintainer must run it (close and reopen the pull request), or give this workflow a GitHub App token."
    )
  }
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
