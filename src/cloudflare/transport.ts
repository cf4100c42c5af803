/**
 * One Cloudflare request with authentication, envelope checks, retries, a concurrency bound and a
 * request budget. Uses the global fetch, looked up per call so test interceptors see it.
 */
import { CloudflareApiError, errorCodes, hintFor, redact } from './errors.js'
import {
  createLimiter,
  createRequestBudget,
  formatDuration,
  parseRateLimitHeaders,
  type RateLimitHeaders
} from './limits.js'
import { sanitizeExternalText } from '../report/untrusted-text.js'
import { decideAfterAttempt, redactMessages, type AttemptOutcome } from './retry-decision.js'
import { envelopeSchema, type ResultInfo } from './schemas.js'

export type CloudflareCredentials =
  | { kind: 'token'; token: string }
  | { kind: 'key'; email: string; key: string }

export interface TransportOptions {
  apiUrl: string
  credentials: CloudflareCredentials
  concurrency: number
  maxRetryAfterSeconds: number
  maxRetries: number
  requestTimeoutMs: number
  /** This run's share of the token's limit; `source` names where it is set, for the log. */
  budget: { requests: number; windowMs: number; source?: string }
  /** Requests started per second at most: Cloudflare's per-IP limit. */
  perSecond: number
  sleep: (ms: number) => Promise<void>
  random: () => number
  now: () => number
  onRetry?: (message: string) => void
  /** Called with each wait on the request budget of 100 ms or more: its length and reason. */
  onWait?: (message: string) => void
}

/**
 * idempotent: GET, PUT and DELETE, retried on 5xx, timeouts and connection errors.
 * create: POST, retried only when the request surely did not take effect (429) or no answer came
 * back (the caller then treats "already exists" as success); never on 5xx, where the server may
 * have acted before failing.
 */
export type RetryPolicy = 'idempotent' | 'create'

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  path: string
  query?: Record<string, string | number>
  body?: unknown
  /** Defaults to idempotent for GET/PUT/DELETE and create for POST. */
  retry?: RetryPolicy
}

export interface ApiResponse {
  status: number
  result: unknown
  resultInfo?: ResultInfo
  messages: unknown[]
}

export interface Transport {
  request(request: ApiRequest): Promise<ApiResponse>
  readonly requestCount: number
  readonly secrets: string[]
}

const MAX_BACKOFF_MS = 30_000
const BASE_BACKOFF_MS = 1_000

interface RawAnswer {
  status: number
  retryAfter: string | null
  text: string
}

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = options.apiUrl.replace(/\/+$/, '')
  const limit = createLimiter(options.concurrency)
  const budget = createRequestBudget({
    ...options.budget,
    perSecond: options.perSecond,
    sleep: options.sleep,
    now: options.now,
    onWait: options.onWait
  })
  const credentials = options.credentials
  const secrets = credentials.kind === 'token' ? [credentials.token] : [credentials.key]
  let requestCount = 0

  const authHeaders: Record<string, string> =
    credentials.kind === 'token'
      ? { Authorization: `Bearer ${credentials.token}` }
      : { 'X-Auth-Email': credentials.email, 'X-Auth-Key': credentials.key }

  /** One attempt, inside the budget: Cloudflare's Ratelimit headers on the answer tell the budget what is left. */
  const send = async (request: ApiRequest, url: string): Promise<RawAnswer> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders }
    if (request.body !== undefined) headers['Content-Type'] = 'application/json'
    await budget.take()
    let limits: RateLimitHeaders | undefined
    try {
      requestCount++
      const response = await globalThis.fetch(url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.requestTimeoutMs)
      })
      limits = parseRateLimitHeaders(
        response.headers.get('ratelimit'),
        response.headers.get('ratelimit-policy')
      )
      const text = await response.text()
      return { status: response.status, retryAfter: response.headers.get('retry-after'), text }
    } finally {
      budget.answered(limits)
    }
  }

  const backoffMs = (retry: number): number =>
    Math.floor(options.random() * Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (retry - 1)))

  const request = async (request: ApiRequest): Promise<ApiResponse> => {
    const policy = request.retry ?? (request.method === 'POST' ? 'create' : 'idempotent')
    const label = `${request.method} ${request.path}`
    const url = baseUrl + request.path + queryString(request.query)
    const maxAttempts = Math.max(0, options.maxRetries) + 1
    const fail = (
      summary: string,
      details: Partial<ConstructorParameters<typeof CloudflareApiError>[1]>
    ) => new CloudflareApiError(summary, { method: request.method, path: request.path, ...details })

    for (let attempt = 1; ; attempt++) {
      let answer: RawAnswer | undefined
      let outcome: AttemptOutcome
      try {
        answer = await limit(() => send(request, url))
        outcome = { kind: 'answer', ...answer }
      } catch (error) {
        outcome = {
          kind: 'no-answer',
          what: describeNetworkError(error, options.requestTimeoutMs, secrets)
        }
      }
      const decision = decideAfterAttempt(outcome, {
        method: request.method,
        path: request.path,
        policy,
        attempt,
        maxAttempts,
        maxRetryAfterSeconds: options.maxRetryAfterSeconds,
        credentialKind: credentials.kind,
        secrets,
        now: options.now(),
        backoffMs
      })
      if (decision.kind === 'fail') throw fail(decision.summary, decision.details)
      if (decision.kind === 'retry') {
        options.onRetry?.(
          `Cloudflare API ${label}: ${decision.because}; retry ${attempt} of ${maxAttempts - 1} in ${formatDuration(decision.delayMs)}.`
        )
        await options.sleep(decision.delayMs)
        continue
      }
      // Done comes only with a 2xx answer: the envelope decides the rest.
      if (!answer) throw fail('no answer.', { attempts: attempt })
      return readSuccess(answer, request, attempt, secrets, credentials.kind)
    }
  }

  return {
    request,
    get requestCount() {
      return requestCount
    },
    secrets
  }
}

function readSuccess(
  answer: RawAnswer,
  request: ApiRequest,
  attempt: number,
  secrets: string[],
  credentialKind: 'token' | 'key'
): ApiResponse {
  const details = {
    method: request.method,
    path: request.path,
    status: answer.status,
    attempts: attempt
  }
  let json: unknown
  try {
    json = JSON.parse(answer.text)
  } catch {
    throw new CloudflareApiError(`HTTP ${answer.status} with a body that is not JSON.`, {
      ...details,
      hint: 'Check that the API URL points at the Cloudflare v4 API (…/client/v4).'
    })
  }
  const parsed = envelopeSchema.safeParse(json)
  if (!parsed.success) {
    throw new CloudflareApiError(
      'the answer is not a Cloudflare API envelope ({success, errors, messages, result}).',
      { ...details, hint: 'Check that the API URL points at the Cloudflare v4 API (…/client/v4).' }
    )
  }
  const envelope = parsed.data
  if (!envelope.success) {
    const errors = redactMessages(envelope.errors ?? [], secrets)
    throw new CloudflareApiError(`HTTP ${answer.status} but success is false.`, {
      ...details,
      errors,
      hint: hintFor(request.method, request.path, answer.status, errorCodes(errors), credentialKind)
    })
  }
  return {
    status: answer.status,
    result: envelope.result,
    resultInfo: envelope.result_info ?? undefined,
    messages: envelope.messages ?? []
  }
}

function queryString(query: Record<string, string | number> | undefined): string {
  if (!query || Object.keys(query).length === 0) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) params.set(key, String(value))
  return `?${params.toString()}`
}

function describeNetworkError(error: unknown, timeoutMs: number, secrets: string[]): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${formatDuration(timeoutMs)}`
  }
  // fetch wraps the socket error: "fetch failed" with the useful code and message in `cause`
  // (for refused connections, an AggregateError whose `errors` carry them).
  const outer = asRecord(error)
  const cause = asRecord(outer?.cause)
  const inner = Array.isArray(cause?.errors) ? asRecord(cause.errors[0]) : undefined
  const code = [cause?.code, inner?.code, outer?.code].find((c) => typeof c === 'string')
  const message = [cause?.message, inner?.message, outer?.message].find(
    (m) => typeof m === 'string' && m !== ''
  )
  const detail = sanitizeExternalText(
    [code, message].filter((part) => typeof part === 'string').join(': '),
    200
  )
  return redact(`connection failed${detail ? ` (${detail})` : ''}`, secrets)
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)
    : undefined
}
