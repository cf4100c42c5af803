/** Organization team membership, for owners written as `@org/team`. */
import { gitHubApiError, statusOf } from './errors.js'
import type { Octokit } from './octokit.js'

/**
 * 200 with state active -> true. 404 means "not a member" only if the team itself is visible: GitHub also answers
 * 404 for teams the token cannot see, so a second lookup tells the two apart. 401/403 (the workflow GITHUB_TOKEN
 * cannot read organization teams) -> 'unknown'.
 */
export async function isTeamMember(
  octokit: Octokit,
  org: string,
  teamSlug: string,
  login: string
): Promise<boolean | 'unknown'> {
  const doing = `check whether @${login} is in team @${org}/${teamSlug}`
  try {
    const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
      org,
      team_slug: teamSlug,
      username: login
    })
    return data.state === 'active'
  } catch (error) {
    const status = statusOf(error)
    if (status === 401 || status === 403) return 'unknown'
    if (status !== 404) throw gitHubApiError(error, doing)
  }
  try {
    await octokit.rest.teams.getByName({ org, team_slug: teamSlug })
    return false
  } catch (error) {
    const status = statusOf(error)
    if (status === 401 || status === 403 || status === 404) return 'unknown'
    throw gitHubApiError(error, doing)
  }
}
