/** Pull requests: which one a pushed commit came from, and its reviews. */
import { GitHubApiError, describeFailure, gitHubApiError, statusOf } from './errors.js'
import type { Octokit } from './octokit.js'
import type { PullRequestInfo, RepoRef, Review } from './repo.js'

const READ_PULLS = 'pull-requests: read'

/** The fields of a pull request we use, common to the full and the list shapes. */
interface PullRequestFields {
  number: number
  html_url: string
  title: string
  user: { login: string } | null
  base: { ref: string; sha: string }
  head: { sha: string; ref: string }
  merge_commit_sha: string | null
  merged_at: string | null
}

export function toPullRequestInfo(pull: PullRequestFields): PullRequestInfo {
  return {
    number: pull.number,
    url: pull.html_url,
    author: pull.user?.login ?? 'ghost',
    baseRef: pull.base.ref,
    baseSha: pull.base.sha,
    headSha: pull.head.sha,
    headRef: pull.head.ref,
    mergeCommitSha: pull.merge_commit_sha,
    merged: pull.merged_at !== null,
    title: pull.title
  }
}

/**
 * Squash and rebase merges put a new commit on the base branch and merge commits create one; in all three GitHub
 * records it as merge_commit_sha. Requiring equality with the pushed sha rules out open pull requests that merely
 * contain the commit, and pull requests into other branches.
 */
export async function findMergedPullRequest(
  octokit: Octokit,
  repo: RepoRef,
  sha: string,
  defaultBranch: string
): Promise<PullRequestInfo | undefined> {
  const pulls = await describeFailure(
    `find the pull request that introduced commit ${sha.slice(0, 7)}`,
    READ_PULLS,
    () =>
      octokit.paginate(octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        ...repo,
        commit_sha: sha,
        per_page: 100
      })
  )
  const merged = pulls.filter(
    (pull) =>
      pull.merged_at !== null && pull.base.ref === defaultBranch && pull.merge_commit_sha === sha
  )
  if (merged.length > 1) {
    throw new GitHubApiError(
      `Commit ${sha.slice(0, 7)} is the merge commit of several pull requests ` +
        `(${merged.map((pull) => `#${pull.number}`).join(', ')}); cannot tell which one was approved.`,
      undefined
    )
  }
  return merged[0] ? toPullRequestInfo(merged[0]) : undefined
}

export async function getPullRequest(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number
): Promise<PullRequestInfo | undefined> {
  try {
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pullNumber })
    return toPullRequestInfo(data)
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw gitHubApiError(error, `read pull request #${pullNumber}`, READ_PULLS)
  }
}

export async function listReviews(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number
): Promise<Review[]> {
  const reviews = await describeFailure(
    `read the reviews of pull request #${pullNumber}`,
    READ_PULLS,
    () =>
      octokit.paginate(octokit.rest.pulls.listReviews, {
        ...repo,
        pull_number: pullNumber,
        per_page: 100
      })
  )
  return reviews.map((review) => ({
    id: review.id,
    user: review.user?.login ?? 'ghost',
    ...(review.user?.type ? { userType: review.user.type } : {}),
    state: review.state,
    commitId: review.commit_id ?? '',
    ...(review.submitted_at ? { submittedAt: review.submitted_at } : {})
  }))
}

/** The newest pull request (open or closed) from `branch` of this repository into `base`; undefined when none. */
export async function findPullRequestFromBranch(
  octokit: Octokit,
  repo: RepoRef,
  branch: string,
  base: string
): Promise<(PullRequestInfo & { state: string }) | undefined> {
  const { data } = await describeFailure(
    `look for the pull request from "${branch}"`,
    READ_PULLS,
    () =>
      octokit.rest.pulls.list({
        ...repo,
        head: `${repo.owner}:${branch}`,
        base,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: 1
      })
  )
  const pull = data[0]
  return pull ? { ...toPullRequestInfo(pull), state: pull.state } : undefined
}

/**
 * Every path the pull request adds, changes, removes or renames (a rename lists both names), for the workflow-file
 * check. GitHub lists up to 3,000 files, 100 a page.
 */
export async function listPullRequestFiles(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number
): Promise<string[]> {
  const files = await describeFailure(
    `read the files of pull request #${pullNumber}`,
    READ_PULLS,
    () =>
      octokit.paginate(octokit.rest.pulls.listFiles, {
        ...repo,
        pull_number: pullNumber,
        per_page: 100
      })
  )
  const paths = files.flatMap((file) =>
    file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]
  )
  return [...new Set(paths)]
}
