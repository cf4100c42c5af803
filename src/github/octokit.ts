/** The one place GitHub clients are built: toolkit defaults plus throttling and retry. */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
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
  onWarning?: (message: string) => void
}

/** How often a request that hit the primary rate limit is retried before giving up. */
const RATE_LIMIT_RETRIES = 2

/**
 * A REST client with paginate, throttling and retry, in the style of peter-evans/create-pull-request:
 * primary rate limits are retried twice, secondary ones are reported and not retried.
 */
export function createOctokit(token: string, options: OctokitFactoryOptions = {}) {
  const warn = options.onWarning ?? (() => {})
  const octokitOptions: OctokitOptions = {
    throttle:
      options.throttle === false
        ? { enabled: false }
        : {
            onRateLimit: (retryAfter, request, _octokit, retryCount) => {
              const again = retryCount < RATE_LIMIT_RETRIES
              warn(
                `GitHub rate limit hit by ${request.method} ${request.url}; ` +
                  (again ? `retrying in ${retryAfter} s.` : 'giving up after retries.')
              )
              return again
            },
            onSecondaryRateLimit: (retryAfter, request) => {
              warn(
                `GitHub secondary rate limit hit by ${request.method} ${request.url} ` +
                  `(GitHub asks to wait ${retryAfter} s); not retrying.`
              )
              return false
            }
          },
    // 429 belongs to the throttling plugin; the others are answers, not glitches.
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] }
  }
  if (options.baseUrl !== undefined) octokitOptions.baseUrl = options.baseUrl.replace(/\/+$/, '')
  if (options.fetch !== undefined) octokitOptions.request = { fetch: options.fetch }
  return getOctokit(token, octokitOptions, throttling, retry)
}

export type Octokit = ReturnType<typeof createOctokit>
