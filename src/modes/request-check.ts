/**
 * What a request issue and its /extend comments share: the GitHub token both need, and the issue read and checked
 * against the access file's request policy, with teams looked up through the GitHub port as approvals do.
 */
import {
  ACTIONS_BOT_LOGIN,
  isBotLogin,
  sameLogin,
  teamMembershipFrom,
  type GitHubPort
} from '../github/index.js'
import type { DesiredState } from '../model/index.js'
import { readRequestForm, type RequestForm } from '../request/form.js'
import { checkRequest, type RequestCheck } from '../request/policy.js'
import type { ModeResult } from './ports.js'

/** Without a GitHub token there is nobody to answer the issue as and no pull request to open. */
export function requestNeedsGitHubToken(): ModeResult {
  return {
    outputs: {},
    failure:
      'request needs the github-token input (issues: write, contents: write, pull-requests: write) to open the pull request.'
  }
}

/**
 * The request issue checked against the file's policy. The requester is the issue's author from the event, never
 * anything the form says; `form` lets /extend replace what it judges itself (the duration).
 */
export function checkRequestIssue(input: {
  github: Pick<GitHubPort, 'isTeamMember'>
  issue: { body: string; author: string }
  desired: DesiredState
  now: Date
  form?: Partial<RequestForm>
}): Promise<RequestCheck> {
  const { form, problems } = readRequestForm(input.issue.body)
  return checkRequest({
    form: { ...form, ...input.form },
    formProblems: problems,
    requester: input.issue.author,
    requesterIsBot: isBotLogin(input.issue.author),
    desired: input.desired,
    now: input.now,
    isTeamMember: teamMembershipFrom(input.github)
  })
}

/** Whether the pull request is opened with the workflow GITHUB_TOKEN (which starts no plan workflow). */
export async function opensWithWorkflowToken(github: Pick<GitHubPort, 'whoAmI'>): Promise<boolean> {
  return sameLogin(await github.whoAmI(), ACTIONS_BOT_LOGIN)
}
