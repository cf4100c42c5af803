/** Turns GitHub API failures into messages people can act on. Never includes request headers (the token). */

/** A GitHub API call that failed, with what we were doing and what the token may be missing. */
export class GitHubApiError extends Error {
  override name = 'GitHubApiError'
  constructor(
    message: string,
    /** HTTP status, or undefined when no answer came (network failure). */
    readonly status: number | undefined
  ) {
    super(message)
  }
}

/** The HTTP status of an Octokit RequestError (or anything shaped like one). */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const status = (error as { status: unknown }).status
    if (typeof status === 'number') return status
  }
  return undefined
}

/** The `message` GitHub put in the response body, if any. */
function apiMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const response = (error as { response?: { data?: unknown } }).response
  const data = response?.data
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const message = (data as { message: unknown }).message
    if (typeof message === 'string') return message
  }
  return undefined
}

/**
 * Wraps a failure as GitHubApiError: "Could not <doing>: GitHub answered 403 (Resource not accessible by
 * integration). <hint>". `permission` names the token permission the call needs, shown for 401/403/404.
 */
export function gitHubApiError(error: unknown, doing: string, permission?: string): GitHubApiError {
  if (error instanceof GitHubApiError) return error
  const status = statusOf(error)
  if (status === undefined) {
    const reason = error instanceof Error ? error.message : String(error)
    return new GitHubApiError(
      `Could not ${doing}: the GitHub API did not answer (${reason}).`,
      undefined
    )
  }
  const detail = apiMessage(error)
  let message = `Could not ${doing}: GitHub answered ${status}${detail ? ` (${detail})` : ''}.`
  if (status === 401) {
    message += ' The GitHub token is invalid or expired; check the github-token input.'
  } else if ((status === 403 || status === 404) && permission) {
    message += ` Check that the token has ${permission}`
    message +=
      ' (for the workflow GITHUB_TOKEN, set it under `permissions:` in the job; pull requests from forks get a read-only token).'
  } else if (status === 422 && detail?.includes('too long')) {
    message += ' The text is over the GitHub size limit.'
  }
  return new GitHubApiError(message, status)
}

/** Runs `call`, rethrowing failures as GitHubApiError. */
export async function describeFailure<T>(
  doing: string,
  permission: string | undefined,
  call: () => Promise<T>
): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw gitHubApiError(error, doing, permission)
  }
}
