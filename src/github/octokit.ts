/** The one place GitHub clients are built: toolkit defaults plus throttling and retry. */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Octokit as CoreOctokit } from '@octokit/core'
import type { OctokitOptions } from '@octokit/core/types'

export interface OctokitFactoryOptions {
  /** API root; defaults to GITHUB_API_URL as @actions/github read it at import time. */
  baseUrl?: string
  /**
   * Replaces the toolkit's proxy-aware fetch. Tests pass globalThis.fetch so nock can see the traffic
   * (nock does not patch the undici package the toolkit uses, nock/nock#2183).
   */
  fetch?: typeof fetch
  /** false turns off the write queue (1 write/s, 3 s between notifications), which makes tests crawl. */
  throttle?: boolean
  /**
   * The write queue this client waits in (the throttle's id); clients with the same queue share one. A client for a
   * read that GitHub counts as a write (GraphQL) gets its own, so it never waits behind the comments.
   */
  queue?: string
  /** Milliseconds per second of every wait (retry-after, the rate limit's reset, a retry's back-off); tests shrink it. */
  msPerSecondOfWait?: number
  onWarning?: (message: string) => void
}

/** Retries of a request that hit a secondary rate limit, each after the wait GitHub asked for. */
export const SECONDARY_LIMIT_RETRIES = 3
/**
 * The longest wait, in seconds, for a retry-after or for the primary rate limit's reset: a longer one fails the call
 * with the time to re-run instead of holding the job (GitHub asks for 60 s when it names no time).
 */
export const MAX_WAIT_SECONDS = 120

/**
 * A REST client with paginate, throttling and retry. Rate limits are the throttling plugin's: a secondary limit is
 * retried after the wait GitHub asks for, up to SECONDARY_LIMIT_RETRIES times; the primary limit waits for its reset
 * once when that is at most MAX_WAIT_SECONDS away, else the call fails naming the reset time (errors.ts).
 */
export function createOctokit(token: string, options: OctokitFactoryOptions = {}) {
  const warn = options.onWarning ?? (() => {})
  const octokitOptions: OctokitOptions = {
    throttle:
      options.throttle === false
        ? { enabled: false }
        : {
            ...(options.queue === undefined ? {} : { id: options.queue }),
            ...(options.msPerSecondOfWait === undefined
              ? {}
              : { retryAfterBaseValue: options.msPerSecondOfWait }),
            onRateLimit: (retryAfter, request, _octokit, retryCount) => {
              const again = retryCount < 1 && retryAfter <= MAX_WAIT_SECONDS
              warn(
                `GitHub's rate limit for this token is used up (${request.method} ${request.url}); ` +
                  (again
                    ? `waiting ${retryAfter} s for it to reset.`
                    : `it resets in ${retryAfter} s, too long to wait.`)
              )
              return again
            },
            onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
              const again = retryCount < SECONDARY_LIMIT_RETRIES && retryAfter <= MAX_WAIT_SECONDS
              warn(
                `GitHub secondary rate limit hit by ${request.method} ${request.url}; ` +
                  (again
                    ? `retrying in ${retryAfter} s, as GitHub asks (retry ${retryCount + 1} of ${SECONDARY_LIMIT_RETRIES}).`
                    : retryAfter > MAX_WAIT_SECONDS
                      ? `GitHub asks to wait ${retryAfter} s, too long to wait.`
                      : `giving up after ${retryCount} retries.`)
              )
              return again
            }
          },
    // Rate limits (403, 429) belong to the throttling plugin; the others are answers, not glitches.
    retry: {
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
      ...(options.msPerSecondOfWait === undefined
        ? {}
        : { retryAfterBaseValue: options.msPerSecondOfWait })
    }
  }
  if (options.baseUrl !== undefined) octokitOptions.baseUrl = options.baseUrl.replace(/\/+$/, '')
  if (options.fetch !== undefined) octokitOptions.request = { fetch: options.fetch }
  return getOctokit(token, octokitOptions, retryAfterIsSecondaryLimit, throttling, retry)
}

export type Octokit = ReturnType<typeof createOctokit>

/** GitHub's words for a secondary rate limit, which the throttling plugin looks for in the message. */
const SECONDARY_LIMIT = /\bsecondary rate\b/i

/**
 * GitHub answers a secondary rate limit with 403 or 429 and a retry-after header, not always with its usual message;
 * the throttling plugin only knows it by the message. Runs innermost (first plugin), so the throttle sees the error
 * named, and retries it as a secondary limit.
 */
function retryAfterIsSecondaryLimit(octokit: CoreOctokit): void {
  octokit.hook.error('request', (error) => {
    const { status, response } = error as {
      status?: number
      response?: { headers?: Record<string, string | undefined> }
    }
    const retryAfter = response?.headers?.['retry-after']
    if (
      (status === 403 || status === 429) &&
      retryAfter !== undefined &&
      error instanceof Error &&
      !SECONDARY_LIMIT.test(error.message)
    ) {
      error.message = `${error.message} (secondary rate limit: GitHub asks to retry after ${retryAfter} s)`
    }
    throw error
  })
}
