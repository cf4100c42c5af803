/** Export mode's pull request: one file written to a branch, proposed into the base branch. */
import { GitHubApiError, describeFailure, gitHubApiError, statusOf } from './errors.js'
import { encodeBase64, readFileAtRef } from './files.js'
import { fitBody } from './logins.js'
import type { Octokit } from './octokit.js'
import type { PullRequestWithFileArgs, RepoRef } from './repo.js'

const WRITE_CONTENTS = 'contents: write'

/**
 * Idempotent: a second run reuses the branch (it is never reset, so commits people added stay), skips the commit
 * when the file already has the content, and returns the open pull request instead of opening another.
 */
export async function createPullRequestWithFile(
  octokit: Octokit,
  repo: RepoRef,
  args: PullRequestWithFileArgs
): Promise<{ number: number; url: string }> {
  const { branch, base, path } = args
  const baseSha = await branchSha(octokit, repo, base)
  if (baseSha === undefined) {
    throw new GitHubApiError(
      `Could not open the export pull request: the base branch "${base}" does not exist in ${repo.owner}/${repo.repo}.`,
      404
    )
  }
  const branchTip = await branchSha(octokit, repo, branch)
  if (branchTip === undefined) {
    await describeFailure(`create the branch "${branch}"`, WRITE_CONTENTS, () =>
      octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: baseSha })
    )
  } else if (args.reset && branchTip !== baseSha) {
    // A new head commit: reviews of the earlier head no longer count as approvals of this one.
    await describeFailure(`reset the branch "${branch}" to "${base}"`, WRITE_CONTENTS, () =>
      octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: baseSha, force: true })
    )
  }
  const current = await readFileAtRef(octokit, repo, branch, path)
  if (current?.text !== args.content) {
    await describeFailure(`write ${path} on the branch "${branch}"`, WRITE_CONTENTS, () =>
      octokit.rest.repos.createOrUpdateFileContents({
        ...repo,
        path,
        branch,
        message: args.message ?? args.title,
        content: encodeBase64(args.content),
        ...(current ? { sha: current.sha } : {})
      })
    )
  }
  const open = await describeFailure(
    `look for an open pull request from "${branch}"`,
    'pull-requests: read',
    () =>
      octokit.rest.pulls.list({
        ...repo,
        head: `${repo.owner}:${branch}`,
        base,
        state: 'open',
        per_page: 1
      })
  )
  const existing = open.data[0]
  if (existing) return { number: existing.number, url: existing.html_url }
  const { data } = await describeFailure(
    `open a pull request from "${branch}" into "${base}"`,
    'pull-requests: write',
    () =>
      octokit.rest.pulls.create({
        ...repo,
        head: branch,
        base,
        title: args.title,
        body: fitBody(args.body)
      })
  )
  return { number: data.number, url: data.html_url }
}

/**
 * Whether the repository lets the workflow GITHUB_TOKEN open pull requests (the setting "Allow GitHub Actions to
 * create and approve pull requests"). Reading it needs administration access, which GITHUB_TOKEN lacks: 'unknown'
 * then, and for any refusal to read it.
 */
export async function actionsMayCreatePullRequests(
  octokit: Octokit,
  repo: RepoRef
): Promise<boolean | 'unknown'> {
  try {
    const { data } =
      await octokit.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository({ ...repo })
    return data.can_approve_pull_request_reviews
  } catch (error) {
    const status = statusOf(error)
    if (status === 403 || status === 404) return 'unknown'
    throw gitHubApiError(error, 'read whether GitHub Actions may create pull requests')
  }
}

async function branchSha(
  octokit: Octokit,
  repo: RepoRef,
  branch: string
): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })
    return data.object.sha
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw gitHubApiError(error, `read the branch "${branch}"`, 'contents: read')
  }
}
