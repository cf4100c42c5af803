import type { CloudflareClientOptions } from '../../src/cloudflare/index.js'

export const API = 'https://api.cloudflare.com'
export const BASE = `${API}/client/v4`
export const ACCOUNT = '0123456789abcdef0123456789abcdef'
export const TOKEN = 'tok_SECRET_0123456789abcdefghijklmnopqrstu'
export const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c'

export function envelope(result: unknown, resultInfo?: Record<string, number>) {
  return {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo ? { result_info: resultInfo } : {})
  }
}

export function failure(
  code: number,
  message: string,
  chain?: { code: number; message: string }[]
) {
  return {
    success: false,
    errors: [{ code, message, ...(chain ? { error_chain: chain } : {}) }],
    messages: [],
    result: null
  }
}

/** Sleeps recorded instead of waited. */
export function recordingSleep() {
  const calls: number[] = []
  const sleep = async (ms: number) => {
    calls.push(ms)
  }
  return { calls, sleep }
}

export function clientOptions(
  overrides: Partial<CloudflareClientOptions> = {}
): CloudflareClientOptions {
  return {
    apiUrl: BASE,
    accountId: ACCOUNT,
    credentials: { kind: 'token', token: TOKEN },
    sleep: async () => undefined,
    random: () => 0.5,
    ...overrides
  }
}

export function member(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `m${String(i).padStart(31, '0')}`,
    status: 'accepted',
    user: { id: `u${i}`, email: `person${i}@example.com`, first_name: null, last_name: null },
    roles: [{ id: 'r1', name: 'Administrator', description: 'x', permissions: {} }],
    policies: [],
    ...extra
  }
}

export function group(i: number, extra: Record<string, unknown> = {}) {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Group ${i}`,
    include: [{ email: { email: `g${i}@example.com` } }],
    exclude: [],
    require: [],
    is_default: false,
    ...extra
  }
}

export function role(i: number) {
  return { id: `r${i}`, name: `Role ${i}`, description: `Role number ${i}`, permissions: {} }
}

export function user(i: number) {
  return {
    id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    uid: `uid${i}`,
    email: `user${i}@example.com`,
    name: `User ${i}`,
    access_seat: true,
    gateway_seat: false,
    last_successful_login: i % 2 === 0 ? '2026-01-01T00:00:00Z' : null
  }
}

/** Pages of `items` as Cloudflare would return them. */
export function pageOf<T>(items: T[], page: number, perPage: number, withTotalPages = true) {
  const slice = items.slice((page - 1) * perPage, page * perPage)
  return envelope(slice, {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
    ...(withTotalPages ? { total_pages: Math.ceil(items.length / perPage) } : {})
  })
}
