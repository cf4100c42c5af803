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

/**
 * The `message` GitHub put in the response body, if any, with what a 422's `errors[]` say (GitHub's message there is
 * only "Validation Failed"; the field and the reason are in the errors).
 */
function apiMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const response = (error as { response?: { data?: unknown } }).response
  const data = response?.data as { message?: unknown; errors?: unknown } | undefined
  if (typeof data !== 'object' || data === null || typeof data.message !== 'string')
    return undefined
  const details = (Array.isArray(data.errors) ? data.errors : [])
    .map((item: { message?: unknown; field?: unknown; code?: unknown }) =>
      typeof item?.message === 'string'
        ? item.message
        : [item?.field, item?.code].filter((part) => typeof part === 'string').join(' ')
    )
    .filter((detail) => detail !== '')
  return details.length > 0 ? `${data.message}: ${details.join('; ')}` : data.message
}

/**
 * Wraps a failure as GitHubApiError: "Could not <doing>: GitHub answered 403 (Resource not accessible by
 * integration). <hint>". `permission` names the token permission the call needs, shown for 401/403/404.
 */
export function gitHubApiError(error: unknown, doing: string, permission?: string): GitHubApiError {
  if (error instanceof GitHubApiError) return error
  const status = statusOf(error)
  const network = networkFailure(error)
  if (status === undefined || network) {
    const reason = network ?? (error instanceof Error ? error.message : String(error))
    return new GitHubApiError(
      `Could not ${doing}: no answer from ${hostOf(error) ?? 'the GitHub API'} (${reason}).`,
      undefined
    )
  }
  const detail = apiMessage(error)
  let message = `Could not ${doing}: GitHub answered ${status}${detail ? ` (${detail})` : ''}.`
  const limit = status === 403 || status === 429 ? rateLimit(error) : undefined
  if (limit) {
    message += ` ${limit}`
  } else if (status === 401) {
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

function headersOf(error: unknown): Record<string, string | undefined> {
  const response = (error as { response?: { headers?: Record<string, string | undefined> } })
    .response
  return response?.headers ?? {}
}

/** What a 403 or 429 says about GitHub's rate limits, after the throttle's retries; undefined when it is not one. */
function rateLimit(error: unknown): string | undefined {
  const headers = headersOf(error)
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset'])
    const at =
      Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : undefined
    return `The token's GitHub API rate limit is used up${at ? ` until ${at}` : ''}; re-run the job after that, or give the job a token with its own limit (a GitHub App's).`
  }
  const message = error instanceof Error ? error.message : ''
  if (headers['retry-after'] !== undefined || /\bsecondary rate\b/i.test(message)) {
    return 'That is a GitHub secondary rate limit, still hit after the retries GitHub asked for; re-run the job in a few minutes.'
  }
  return undefined
}

/**
 * Octokit reports a request that got no answer as a RequestError with status 500 and no response, wrapping fetch's
 * TypeError, whose `cause` has the socket's code. Names it in words, with the code; undefined for a real answer.
 */
function networkFailure(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  if ((error as { response?: unknown }).response !== undefined) return undefined
  const chain: Record<string, unknown>[] = []
  for (let link: unknown = error; typeof link === 'object' && link !== null && chain.length < 5; ) {
    const record = link as Record<string, unknown>
    chain.push(record)
    // A refused connection to a name with several addresses is an AggregateError of one error per address.
    link = Array.isArray(record.errors) ? record.errors[0] : record.cause
  }
  const code = chain.map((link) => link.code).find((value) => typeof value === 'string') as
    | string
    | undefined
  if (code !== undefined) return `${NETWORK_CODES[code] ?? 'network failure'}, ${code}`
  if (chain.some((link) => link.name === 'TimeoutError')) return 'timed out'
  if (chain.some((link) => link.name === 'AbortError')) return 'aborted'
  // Octokit's own "no answer": a request, no response; its innermost message is all there is.
  if ((error as { request?: unknown }).request === undefined) return undefined
  const messages = chain.map((link) => link.message).filter((value) => typeof value === 'string')
  return messages.filter((message) => message !== '').pop() ?? 'no answer'
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  UND_ERR_SOCKET: 'connection closed',
  ETIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out connecting',
  UND_ERR_HEADERS_TIMEOUT: 'timed out waiting for the answer',
  UND_ERR_BODY_TIMEOUT: 'timed out reading the answer',
  ENOTFOUND: 'DNS lookup failed: no such host',
  EAI_AGAIN: 'DNS lookup failed, temporarily',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate self-signed'
}

/** The host the failed request went to (never the path or query: they are ours, but the host is what to check). */
function hostOf(error: unknown): string | undefined {
  const url = (error as { request?: { url?: unknown } } | null)?.request?.url
  if (typeof url !== 'string') return undefined
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
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
