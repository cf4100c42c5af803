/** Who the token is, so that we only ever edit comments and issues we wrote. */
import { ACTIONS_BOT_LOGIN } from './logins.js'
import { gitHubApiError, statusOf } from './errors.js'
import type { Octokit } from './octokit.js'

/**
 * GET /user answers for personal tokens; installation tokens (the workflow GITHUB_TOKEN, GitHub Apps) get 403 there
 * but GraphQL `viewer` names them (`github-actions[bot]`, `my-app[bot]`). When neither answers, the token is taken to
 * be the workflow GITHUB_TOKEN.
 */
export async function resolveIdentity(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const status = statusOf(error)
    // 401 is a bad token, not an installation token: say so instead of guessing.
    if (status !== 403 && status !== 404) throw gitHubApiError(error, 'identify the GitHub token')
  }
  try {
    const answer = await octokit.graphql<{ viewer?: { login?: string } }>(
      'query { viewer { login } }'
    )
    const login = answer.viewer?.login
    if (login) return login
  } catch {
    // Some installation tokens cannot query GraphQL viewer either; fall back below.
  }
  return ACTIONS_BOT_LOGIN
}
