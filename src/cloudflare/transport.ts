/**
 * One Cloudflare request with authentication, envelope checks, retries, a concurrency bound and a
 * request budget. Uses the global fetch, looked up per call so test interceptors see it.
 */
import { CloudflareApiError, hintFor, redact, type CloudflareMessage } from './errors.js'
import { createLimiter, createRequestBudget } from './limits.js'
import { sanitizeExternalText } from '../report/untrusted-text.js'
import { envelopeSchema, failureEnvelopeSchema, type ResultInfo } from './schemas.js'

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
  budget: { requests: number; windowMs: number }
  sleep: (ms: number) => Promise<void>
  random: () => number
  now: () => number
  onRetry?: (message: string) => void
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
  const budget = createRequestBudget(
    options.budget.requests,
    options.budget.windowMs,
    options.sleep,
    options.now
  )
  const credentials = options.credentials
  const secrets = credentials.kind === 'token' ? [credentials.token] : [credentials.key]
  let requestCount = 0

  const authHeaders: Record<string, string> =
    credentials.kind === 'token'
      ? { Authorization: `Bearer ${credentials.token}` }
      : { 'X-Auth-Email': credentials.email, 'X-Auth-Key': credentials.key }

  const send = async (request: ApiRequest, url: string): Promise<RawAnswer> => {
    const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders }
    if (request.body !== undefined) headers['Content-Type'] = 'application/json'
    requestCount++
    const response = await globalThis.fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(options.requestTimeoutMs)
    })
    const text = await response.text()
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text }
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
      await budget.take()
      let answer: RawAnswer
      try {
        answer = await limit(() => send(request, url))
      } catch (error) {
        const what = describeNetworkError(error, options.requestTimeoutMs, secrets)
        if (attempt >= maxAttempts) {
          throw fail(
            `no answer after ${attempt} attempt${attempt === 1 ? '' : 's'}; last: ${what}.`,
            {
              attempts: attempt,
              hint: 'Check that the API URL is reachable from the runner, then re-run.'
            }
          )
        }
        const delay = backoffMs(attempt)
        options.onRetry?.(
          `Cloudflare API ${label}: ${what}; retry ${attempt} of ${maxAttempts - 1} in ${seconds(delay)}.`
        )
        await options.sleep(delay)
        continue
      }

      if (answer.status === 429) {
        const waitSeconds = parseRetryAfter(answer.retryAfter, options.now())
        if (waitSeconds !== undefined && waitSeconds > options.maxRetryAfterSeconds) {
          throw fail(
            `rate limited (HTTP 429); Cloudflare asks to wait ${waitSeconds} s, longer than the allowed ${options.maxRetryAfterSeconds} s.`,
            {
              status: 429,
              attempts: attempt,
              errors: readErrors(answer.text, secrets),
              hint: 'Cloudflare allows 1,200 requests per 5 minutes per user or token, shared with the dashboard and other tools. Wait for the block to pass and re-run, or raise the retry-after limit.'
            }
          )
        }
        if (attempt >= maxAttempts) {
          throw fail(`still rate limited (HTTP 429) after ${attempt} attempts.`, {
            status: 429,
            attempts: attempt,
            errors: readErrors(answer.text, secrets),
            hint: 'Another tool may be using the same token or user heavily; wait a few minutes and re-run.'
          })
        }
        const delay = waitSeconds === undefined ? backoffMs(attempt) : waitSeconds * 1000
        options.onRetry?.(
          `Cloudflare API ${label}: rate limited (HTTP 429); retry ${attempt} of ${maxAttempts - 1} in ${seconds(delay)}.`
        )
        await options.sleep(delay)
        continue
      }

      if (answer.status >= 500) {
        const errors = readErrors(answer.text, secrets)
        if (policy === 'create') {
          throw fail(
            `HTTP ${answer.status}; not retried because the write may have taken effect.`,
            {
              status: answer.status,
              attempts: attempt,
              errors,
              hint: 'Re-run the plan to see whether it did, then apply again if needed.'
            }
          )
        }
        if (attempt >= maxAttempts) {
          throw fail(`HTTP ${answer.status} on each of ${attempt} attempts.`, {
            status: answer.status,
            attempts: attempt,
            errors,
            hint: 'Cloudflare may be having an outage (see its status page); re-run later.'
          })
        }
        const delay = backoffMs(attempt)
        options.onRetry?.(
          `Cloudflare API ${label}: HTTP ${answer.status}; retry ${attempt} of ${maxAttempts - 1} in ${seconds(delay)}.`
        )
        await options.sleep(delay)
        continue
      }

      if (answer.status < 200 || answer.status >= 300) {
        const errors = readErrors(answer.text, secrets)
        const codes = errors.flatMap((e) => [e.code, ...(e.error_chain ?? []).map((c) => c.code)])
        throw fail(`HTTP ${answer.status}.`, {
          status: answer.status,
          attempts: attempt,
          errors,
          hint: hintFor(request.method, request.path, answer.status, codes, credentials.kind)
        })
      }

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
    const codes = errors.flatMap((e) => [e.code, ...(e.error_chain ?? []).map((c) => c.code)])
    throw new CloudflareApiError(`HTTP ${answer.status} but success is false.`, {
      ...details,
      errors,
      hint: hintFor(request.method, request.path, answer.status, codes, credentialKind)
    })
  }
  return {
    status: answer.status,
    result: envelope.result,
    resultInfo: envelope.result_info ?? undefined,
    messages: envelope.messages ?? []
  }
}

function readErrors(text: string, secrets: string[]): CloudflareMessage[] {
  try {
    const parsed = failureEnvelopeSchema.safeParse(JSON.parse(text))
    return parsed.success ? redactMessages(parsed.data.errors ?? [], secrets) : []
  } catch {
    return []
  }
}

function redactMessages(errors: CloudflareMessage[], secrets: string[]): CloudflareMessage[] {
  return errors.map((e) => ({
    code: e.code,
    message: redact(e.message, secrets),
    ...(e.error_chain
      ? {
          error_chain: e.error_chain.map((c) => ({
            code: c.code,
            message: redact(c.message, secrets)
          }))
        }
      : {})
  }))
}

function queryString(query: Record<string, string | number> | undefined): string {
  if (!query || Object.keys(query).length === 0) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) params.set(key, String(value))
  return `?${params.toString()}`
}

/** retry-after is whole seconds or an HTTP date (RFC 9110); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed)
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, Math.ceil((date - now) / 1000))
}

function describeNetworkError(error: unknown, timeoutMs: number, secrets: string[]): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `timed out after ${seconds(timeoutMs)}`
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

function seconds(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`
}
