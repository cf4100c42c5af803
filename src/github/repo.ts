/** The GitHub operations the modes use, as an interface (fakes in tests) and its implementation over Octokit. */
import type { AccessFileText } from '../model/index.js'
import {
  findMergedPullRequest,
  findPullRequestFromBranch,
  getPullRequest,
  listPullRequestFiles,
  listReviews
} from './pull-requests.js'
import {
  createComment,
  listIssueComments,
  updateStickyComment,
  upsertStickyComment
} from './comments.js'
import { listPushedFiles, type PushedFiles } from './compare.js'
import { readFilesAtRef } from './files.js'
import { resolveIdentity } from './identity.js'
import {
  createIssue,
  findIssueByMarker,
  getIssue,
  findLatestIssueWithLabel,
  listIssuesWithMarker,
  updateIssue
} from './issues.js'
import { actionsMayCreatePullRequests, createPullRequestWithFile } from './export-pull-request.js'
import { isTeamMember } from './teams.js'
import {
  publicEmail,
  pullRequestCommitLogins,
  repositoryPermission,
  type RepositoryPermission
} from './reviewers.js'
import type { Octokit } from './octokit.js'

export interface RepoRef {
  owner: string
  repo: string
}

export interface PullRequestInfo {
  number: number
  url: string
  author: string
  baseRef: string
  baseSha: string
  headSha: string
  /** The head branch's name (absent in older fakes): request pull requests come from `access-request/<issue>`. */
  headRef?: string
  mergeCommitSha: string | null
  merged: boolean
  title: string
}

export interface Review {
  id: number
  user: string
  /** GitHub's account type: User, Bot or Organization; absent when GitHub did not say. */
  userType?: string
  /** APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING. */
  state: string
  commitId: string
  submittedAt?: string
}

export interface IssueInfo {
  number: number
  url: string
  title: string
  body: string
  state: string
  author: string
  /** Label names, when the answer listed them. */
  labels?: string[]
}

export interface CommentInfo {
  id: number
  author: string
  body: string
  createdAt: string
  /** Equals createdAt until someone edits the comment. */
  updatedAt: string
}

export interface StickyCommentResult {
  id: number
  action: 'created' | 'updated' | 'unchanged'
}

export interface PullRequestWithFileArgs {
  branch: string
  base: string
  path: string
  content: string
  title: string
  body: string
  /** Commit message; defaults to the title. */
  message?: string
  /**
   * Start the branch again from `base` (force) before writing, so the pull request holds exactly this content on a
   * new head commit. Request pull requests do: an edited request must be approved again.
   */
  reset?: boolean
}

export interface GitHubPort {
  /**
   * Login of the token's identity: GET /user, else GraphQL `viewer` (works for app installation tokens), else
   * `github-actions[bot]`. Used to recognise our own comments and issues. Cached.
   */
  whoAmI(): Promise<string>
  /**
   * Creates or edits in place the comment that contains `marker` and was written by us; comments by anyone else
   * carrying the marker are never touched. No request is made when the body is unchanged.
   */
  upsertStickyComment(
    issueNumber: number,
    marker: string,
    body: string
  ): Promise<StickyCommentResult>
  /**
   * Edits our comment that contains `marker`, as upsertStickyComment does; never creates one (undefined then).
   * `body` may be a function of the comment's current body (to mark it out of date, say).
   */
  updateStickyComment(
    issueNumber: number,
    marker: string,
    body: string | ((existing: string) => string)
  ): Promise<StickyCommentResult | undefined>
  createComment(issueNumber: number, body: string): Promise<{ id: number }>
  /** Every comment on the issue, oldest first. */
  listIssueComments(issueNumber: number): Promise<CommentInfo[]>
  /**
   * The access file(s) at `ref`: a plain path is read directly (missing -> []); a glob is matched against the
   * recursive tree at `ref`. Sorted by path.
   */
  readFilesAtRef(ref: string, pattern: string): Promise<AccessFileText[]>
  /** The merged pull request into `defaultBranch` whose merge commit is `sha` (squash, merge or rebase). */
  findMergedPullRequest(sha: string, defaultBranch: string): Promise<PullRequestInfo | undefined>
  /** The newest pull request (open or closed) from `branch` of this repository into `base`. */
  findPullRequestFromBranch(
    branch: string,
    base: string
  ): Promise<(PullRequestInfo & { state: string }) | undefined>
  /** One pull request by number; undefined when it does not exist. */
  getPullRequest(pullNumber: number): Promise<PullRequestInfo | undefined>
  /** All reviews, chronological. */
  listReviews(pullNumber: number): Promise<Review[]>
  /** Every path the pull request changes (both names of a rename). */
  pullRequestFiles(pullNumber: number): Promise<string[]>
  /** The paths a push changed, from the branch tip `before` it to the commit pushed (`after`). */
  pushedFiles(before: string, after: string): Promise<PushedFiles>
  /**
   * true for an active member; false when the team exists and the login is not an active member;
   * 'unknown' when the token cannot read the team (it needs the organization permission members: read).
   */
  isTeamMember(org: string, teamSlug: string, login: string): Promise<boolean | 'unknown'>
  /** The login's permission on this repository ('none' for an unknown login). Cached for the run. */
  repositoryPermission(login: string): Promise<RepositoryPermission>
  /** Logins that authored or committed any commit of the pull request (GitHub's web-flow committer left out). */
  pullRequestCommitLogins(pullNumber: number): Promise<string[]>
  /** The account's public e-mail, when it shows one. Cached for the run. */
  publicEmail(login: string): Promise<string | undefined>
  /** One issue (open or closed) by number; undefined when there is none or it is a pull request. */
  getIssue(number: number): Promise<IssueInfo | undefined>
  /** The issue (open or closed) with `label` whose body contains `marker` and that we wrote. */
  findIssueByMarker(label: string, marker: string): Promise<IssueInfo | undefined>
  /**
   * The most recently created issue of ours with `label` whose body contains `markerPrefix`, skipping the one whose
   * body contains `exceptMarker` (the current period), if given.
   */
  findLatestIssueWithLabel(
    label: string,
    markerPrefix: string,
    exceptMarker?: string
  ): Promise<IssueInfo | undefined>
  /** Every issue (open or closed) with `label` whose body contains `marker` and that we wrote, oldest first. */
  listIssuesWithMarker(label: string, marker: string): Promise<IssueInfo[]>
  /** Creates the issue, creating any missing label first (each label is checked once per run). */
  createIssue(title: string, body: string, labels: string[]): Promise<IssueInfo>
  updateIssue(
    number: number,
    fields: { title?: string; body?: string; state?: 'open' | 'closed' }
  ): Promise<void>
  /**
   * Writes `content` to `path` on `branch` (created from `base` when missing, reused when present) and opens a pull
   * request into `base`, or returns the open one for that branch.
   */
  createPullRequestWithFile(args: PullRequestWithFileArgs): Promise<{ number: number; url: string }>
  /** The repository setting that lets GITHUB_TOKEN open pull requests; 'unknown' when the token cannot read it. */
  actionsMayCreatePullRequests(): Promise<boolean | 'unknown'>
}

export interface GitHubPortOptions {
  /**
   * The login the token writes as, when known (e.g. `my-app[bot]`). Skips the lookup; set it when neither GET /user
   * nor GraphQL can tell.
   */
  login?: string
  /**
   * The client that asks who the token is, when it differs from `octokit`: one in its own write queue (createOctokit
   * with its own `queue`), still retrying rate limits. The throttle counts every GraphQL call as a write and spaces
   * writes a second apart, so the identity query would hold the sticky comment back a second.
   */
  identityOctokit?: Octokit
}

export function createGitHubPort(
  octokit: Octokit,
  repo: RepoRef,
  options: GitHubPortOptions = {}
): GitHubPort {
  let identity: Promise<string> | undefined
  const whoAmI = (): Promise<string> => {
    if (!identity) {
      identity = options.login
        ? Promise.resolve(options.login)
        : resolveIdentity(options.identityOctokit ?? octokit)
      // A failed lookup is not cached: the next call may succeed.
      identity.catch(() => {
        identity = undefined
      })
    }
    return identity
  }
  const teamCache = new Map<string, Promise<boolean | 'unknown'>>()
  const permissions = new Map<string, Promise<RepositoryPermission>>()
  const emails = new Map<string, Promise<string | undefined>>()
  const labels = new Set<string>()
  return {
    whoAmI,
    upsertStickyComment: async (issueNumber, marker, body) =>
      upsertStickyComment(octokit, repo, await whoAmI(), issueNumber, marker, body),
    updateStickyComment: async (issueNumber, marker, body) =>
      updateStickyComment(octokit, repo, await whoAmI(), issueNumber, marker, body),
    createComment: (issueNumber, body) => createComment(octokit, repo, issueNumber, body),
    listIssueComments: (issueNumber) => listIssueComments(octokit, repo, issueNumber),
    readFilesAtRef: (ref, pattern) => readFilesAtRef(octokit, repo, ref, pattern),
    findMergedPullRequest: (sha, defaultBranch) =>
      findMergedPullRequest(octokit, repo, sha, defaultBranch),
    findPullRequestFromBranch: (branch, base) =>
      findPullRequestFromBranch(octokit, repo, branch, base),
    getPullRequest: (pullNumber) => getPullRequest(octokit, repo, pullNumber),
    listReviews: (pullNumber) => listReviews(octokit, repo, pullNumber),
    pullRequestFiles: (pullNumber) => listPullRequestFiles(octokit, repo, pullNumber),
    pushedFiles: (before, after) => listPushedFiles(octokit, repo, before, after),
    isTeamMember: (org, teamSlug, login) =>
      cached(teamCache, `${org}/${teamSlug}/${login}`.toLowerCase(), () =>
        isTeamMember(octokit, org, teamSlug, login)
      ),
    repositoryPermission: (login) =>
      cached(permissions, login.toLowerCase(), () => repositoryPermission(octokit, repo, login)),
    pullRequestCommitLogins: (pullNumber) => pullRequestCommitLogins(octokit, repo, pullNumber),
    publicEmail: (login) => cached(emails, login.toLowerCase(), () => publicEmail(octokit, login)),
    getIssue: (number) => getIssue(octokit, repo, number),
    findIssueByMarker: async (label, marker) =>
      findIssueByMarker(octokit, repo, await whoAmI(), label, marker),
    findLatestIssueWithLabel: async (label, markerPrefix, exceptMarker) =>
      findLatestIssueWithLabel(octokit, repo, await whoAmI(), label, markerPrefix, exceptMarker),
    listIssuesWithMarker: async (label, marker) =>
      listIssuesWithMarker(octokit, repo, await whoAmI(), label, marker),
    createIssue: (title, body, names) => createIssue(octokit, repo, title, body, names, labels),
    updateIssue: (number, fields) => updateIssue(octokit, repo, number, fields),
    createPullRequestWithFile: (args) => createPullRequestWithFile(octokit, repo, args),
    actionsMayCreatePullRequests: () => actionsMayCreatePullRequests(octokit, repo)
  }
}

/** One request per key for the run; a failed one is not kept, so the next call asks again. */
function cached<T>(
  cache: Map<string, Promise<T>>,
  key: string,
  load: () => Promise<T>
): Promise<T> {
  let answer = cache.get(key)
  if (!answer) {
    answer = load()
    cache.set(key, answer)
    answer.catch(() => cache.delete(key))
  }
  return answer
}
