/** What GitHub knows about the people around a pull request, for deciding whose approval counts. */
import { describeFailure, gitHubApiError, statusOf } from './errors.js'
import type { Octokit } from './octokit.js'
import type { RepoRef } from './repo.js'

/** GitHub's repository permission levels; `none` also for a login GitHub does not know. */
export type RepositoryPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

const PERMISSIONS = ['admin', 'maintain', 'write', 'triage', 'read'] as const

/** GitHub's own committer for commits made in its web interface (merges, suggestions): not a person who pushed. */
const WEB_FLOW_LOGIN = 'web-flow'

/**
 * The login's permission on the repository. `role_name` names maintain and triage, which the older `permission`
 * field folds into write and read.
 */
export async function repositoryPermission(
  octokit: Octokit,
  repo: RepoRef,
  login: string
): Promise<RepositoryPermission> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      ...repo,
      username: login
    })
    // A custom role's name is none of these: its base permission then decides.
    const role = data.role_name?.toLowerCase()
    return (
      PERMISSIONS.find((level) => level === role) ??
      PERMISSIONS.find((level) => level === data.permission) ??
      'none'
    )
  } catch (error) {
    if (statusOf(error) === 404) return 'none'
    throw gitHubApiError(error, `read the repository permission of @${login}`, 'metadata: read')
  }
}

/** Logins that authored or committed a commit of the pull request (GitHub lists at most 250 commits). */
export async function pullRequestCommitLogins(
  octokit: Octokit,
  repo: RepoRef,
  pullNumber: number
): Promise<string[]> {
  const commits = await describeFailure(
    `read the commits of pull request #${pullNumber}`,
    'pull-requests: read',
    () =>
      octokit.paginate(octokit.rest.pulls.listCommits, {
        ...repo,
        pull_number: pullNumber,
        per_page: 100
      })
  )
  const logins = new Set<string>()
  for (const commit of commits) {
    for (const who of [commit.author, commit.committer]) {
      const login = who && 'login' in who ? who.login : undefined
      if (login && login.toLowerCase() !== WEB_FLOW_LOGIN) logins.add(login)
    }
  }
  return [...logins]
}

/** The public e-mail of a GitHub account, when it shows one (a token sees no private addresses of others). */
export async function publicEmail(octokit: Octokit, login: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.users.getByUsername({ username: login })
    return 'email' in data && typeof data.email === 'string' && data.email ? data.email : undefined
  } catch (error) {
    if (statusOf(error) === 404) return undefined
    throw gitHubApiError(error, `read the GitHub account of @${login}`)
  }
}
