/** Cloudflare v4 envelopes, errors and page/per_page pagination, shared by every route. */

export interface ApiMessage {
  code: number
  message: string
  error_chain?: { code: number; message: string }[]
}

/** A failure the emulator answers with: HTTP status plus Cloudflare's `errors` array. */
export class ApiError extends Error {
  readonly status: number
  readonly errors: ApiMessage[]
  readonly headers: Record<string, string>

  constructor(status: number, errors: ApiMessage[], headers: Record<string, string> = {}) {
    super(errors.map((e) => `${e.code} ${e.message}`).join('; '))
    this.status = status
    this.errors = errors
    this.headers = headers
  }
}

export interface ResultInfo {
  page: number
  per_page: number
  count: number
  total_count: number
  total_pages: number
}

export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export function success(result: unknown, status = 200, messages: ApiMessage[] = []): Reply {
  return { status, body: { success: true, errors: [], messages, result } }
}

export function failureBody(errors: ApiMessage[]): unknown {
  return { success: false, errors, messages: [], result: null }
}

export function noRoute(path: string): ApiError {
  return new ApiError(400, [
    {
      code: 7003,
      message: `Could not route to ${path}, perhaps your object identifier is invalid?`
    },
    { code: 7000, message: 'No route for that URI' }
  ])
}

/** A well-formed id that names nothing in this account. */
export function notFound(path: string, what: string): ApiError {
  return new ApiError(404, [
    {
      code: 7003,
      message: `Could not route to ${path}, perhaps your object identifier is invalid? (${what})`
    }
  ])
}

export function badRequest(code: number, message: string): ApiError {
  return new ApiError(400, [{ code, message }])
}

export interface PageLimits {
  defaultPerPage: number
  minPerPage: number
  maxPerPage: number
  /** reject: 400 outside the limits (members); clamp: silently use the nearest limit. */
  outOfRange: 'reject' | 'clamp'
}

function integerParam(query: Record<string, string>, name: string): number | undefined {
  const raw = query[name]
  if (raw === undefined || raw === '') return undefined
  if (!/^\d+$/.test(raw)) {
    throw badRequest(1001, `Invalid request: ${name} must be a positive integer, got "${raw}"`)
  }
  return Number(raw)
}

/**
 * One page of `items` plus result_info; a page past the end is an empty result, not an error. `present` turns a
 * stored item into its response shape, for the page's items only (large accounts page cheaply). No copy is needed:
 * the server serializes a reply as soon as it is made.
 */
export function paginate<T>(
  items: readonly T[],
  query: Record<string, string>,
  limits: PageLimits,
  present: (item: T) => unknown = (item) => item
): Reply {
  const page = integerParam(query, 'page') ?? 1
  if (page < 1) throw badRequest(1001, 'Invalid request: page must be 1 or more')
  let perPage = integerParam(query, 'per_page') ?? limits.defaultPerPage
  if (perPage < limits.minPerPage || perPage > limits.maxPerPage) {
    if (limits.outOfRange === 'reject') {
      throw badRequest(
        1001,
        `Invalid request: per_page must be between ${limits.minPerPage} and ${limits.maxPerPage}, got ${perPage}`
      )
    }
    perPage = Math.min(Math.max(perPage, limits.minPerPage), limits.maxPerPage)
  }
  const start = (page - 1) * perPage
  const result = items.slice(start, start + perPage).map(present)
  const resultInfo: ResultInfo = {
    page,
    per_page: perPage,
    count: result.length,
    total_count: items.length,
    total_pages: Math.ceil(items.length / perPage)
  }
  return {
    status: 200,
    body: { success: true, errors: [], messages: [], result, result_info: resultInfo }
  }
}
