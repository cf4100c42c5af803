/** Concurrency and request-budget limits shared by every request a client makes, and Cloudflare's object limits. */

/**
 * Cloudflare Zero Trust account limits for one Access group (developers.cloudflare.com/cloudflare-one/account-limits):
 * rules across include, exclude and require, and characters in a name. A write past either is refused.
 */
export const ACCESS_GROUP_MAX_RULES = 1000
export const ACCESS_NAME_MAX_LENGTH = 350

/** Runs at most `limit` tasks at once; the rest wait in FIFO order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  const max = Math.max(1, Math.floor(limit))
  let active = 0
  const waiting: (() => void)[] = []
  // A finishing task hands its slot straight to the next waiter; decrementing first would let a newcomer slip in
  // before the waiter resumes and briefly run limit + 1 tasks.
  const release = (): void => {
    const next = waiting.shift()
    if (next) next()
    else active--
  }
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else active++
    try {
      return await task()
    } finally {
      release()
    }
  }
}

/** Maps items with at most `limit` callbacks in flight; results keep the input order. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>
): Promise<R[]> {
  const run = createLimiter(limit)
  return Promise.all(items.map((item, index) => run(() => fn(item, index))))
}

export interface RequestBudget {
  /** Resolves when one more request may be sent, sleeping (and saying why, through onWait) when it may not yet. */
  take(): Promise<void>
  /** Called once per answer (or failed attempt) with Cloudflare's Ratelimit headers, when it sent them. */
  answered(limits?: RateLimitHeaders): void
  /** Milliseconds spent waiting so far. */
  readonly waitedMs: number
}

export interface RequestBudgetOptions {
  /** This run's share of the token's limit: at most `requests` in any `windowMs`. */
  requests: number
  windowMs: number
  /** Where that share is set, for the log (e.g. "input cloudflare-request-budget"). */
  source?: string
  /** Cloudflare's per-IP limit, requests per second: pacing, not a budget, so its sub-second waits are not logged. */
  perSecond?: number
  sleep: (ms: number) => Promise<void>
  now: () => number
  /** Each wait of LOGGED_WAIT_MS or more, as a sentence with its length and reason. */
  onWait?: (message: string) => void
}

/** What Cloudflare says about the token's limit on every answer (API-NOTES correction 8). */
export interface RateLimitHeaders {
  /** From `Ratelimit: "default";r=R;t=T`: requests left, and seconds until the window resets. */
  remaining?: { requests: number; resetSeconds: number }
  /** From `Ratelimit-Policy: "default";q=Q;w=W`: Q requests per W seconds. */
  policy?: { requests: number; windowSeconds: number }
}

/** Waits shorter than this are pacing (a slot freeing within the same burst); longer ones are logged. */
export const LOGGED_WAIT_MS = 100

interface Window {
  requests: number
  windowMs: number
  /** Why a wait on this window happens, for the log; undefined for pacing. */
  reason?: string
  sent: number[]
}

/**
 * A budget kept below Cloudflare's 1,200 requests per 5 minutes per token: hitting the real limit blocks every API
 * call (dashboard included) for five minutes, so waiting here is cheaper. Sliding windows: this run's share, the
 * per-IP requests per second, and the policy Cloudflare names in Ratelimit-Policy; and Cloudflare's own count of
 * what is left (Ratelimit), which also sees the dashboard and other tools on the same token. After a sleep the slot
 * waited for counts as free even if the clock says otherwise, so an injected no-op sleep (tests) cannot spin forever.
 */
export function createRequestBudget(options: RequestBudgetOptions): RequestBudget {
  const { sleep, now } = options
  const own: Window = {
    requests: Math.max(1, Math.floor(options.requests)),
    windowMs: options.windowMs,
    reason: `${formatCount(Math.max(1, Math.floor(options.requests)))} requests per ${formatDuration(options.windowMs)} are this run's budget${options.source ? ` (${options.source})` : ''}`,
    sent: []
  }
  const windows: Window[] = [own]
  if (options.perSecond !== undefined) {
    windows.push({ requests: Math.max(1, Math.floor(options.perSecond)), windowMs: 1000, sent: [] })
  }
  let policy: Window | undefined
  /** Cloudflare's count of requests left, less what was sent since, and when its window resets. */
  let server: { left: number; resetAt: number } | undefined
  let inFlight = 0
  let waitedMs = 0
  let queue: Promise<void> = Promise.resolve()

  const nextWait = (
    current: number
  ): { ms: number; reason?: string; free: () => void } | undefined => {
    let longest: { ms: number; reason?: string; free: () => void } | undefined
    for (const window of windows) {
      while (window.sent.length > 0 && window.sent[0]! <= current - window.windowMs)
        window.sent.shift()
      if (window.sent.length < window.requests) continue
      const ms = Math.max(0, window.sent[0]! + window.windowMs - current)
      if (!longest || ms > longest.ms) {
        longest = { ms, reason: window.reason, free: () => void window.sent.shift() }
      }
    }
    if (server && server.resetAt <= current) server = undefined
    if (server && server.left <= 0) {
      const ms = server.resetAt - current
      if (!longest || ms > longest.ms) {
        longest = {
          ms,
          reason:
            'Cloudflare says no requests are left for this token until its rate-limit window resets (Ratelimit header; the dashboard and other tools on the token count too)',
          free: () => {
            server = undefined
          }
        }
      }
    }
    return longest
  }

  const takeOne = async (): Promise<void> => {
    for (;;) {
      const wait = nextWait(now())
      if (!wait) break
      if (wait.ms >= LOGGED_WAIT_MS && wait.reason) {
        options.onWait?.(
          `Cloudflare request budget: waiting ${formatDuration(wait.ms)}, because ${wait.reason}.`
        )
      }
      waitedMs += wait.ms
      await sleep(wait.ms)
      wait.free()
    }
    const current = now()
    for (const window of windows) window.sent.push(current)
    if (server) server.left--
    inFlight++
  }

  return {
    take() {
      // Serialised so that two waiters never claim the same freed slot.
      const next = queue.then(takeOne)
      queue = next.catch(() => undefined)
      return next
    },
    answered(limits) {
      inFlight = Math.max(0, inFlight - 1)
      if (limits?.remaining) {
        // Requests still in flight may not be in Cloudflare's count yet: count them as spent.
        server = {
          left: limits.remaining.requests - inFlight,
          resetAt: now() + limits.remaining.resetSeconds * 1000
        }
      }
      if (limits?.policy) {
        const { requests, windowSeconds } = limits.policy
        if (!policy || policy.requests !== requests || policy.windowMs !== windowSeconds * 1000) {
          const sent = policy?.sent ?? [...own.sent]
          if (policy) windows.splice(windows.indexOf(policy), 1)
          policy = {
            requests,
            windowMs: windowSeconds * 1000,
            reason: `Cloudflare's policy for this token is ${formatCount(requests)} requests per ${formatDuration(windowSeconds * 1000)} (Ratelimit-Policy header)`,
            sent
          }
          windows.push(policy)
        }
      }
    },
    get waitedMs() {
      return waitedMs
    }
  }
}

/**
 * Reads Cloudflare's Ratelimit and Ratelimit-Policy headers (structured fields: `"default";r=50;t=30`, possibly
 * several items separated by commas; the most constraining item wins). Anything unreadable is ignored.
 */
export function parseRateLimitHeaders(
  ratelimit: string | null,
  policy: string | null
): RateLimitHeaders | undefined {
  const items = (value: string | null): Map<string, number>[] =>
    (value ?? '')
      .split(',')
      .map((item) => {
        const params = new Map<string, number>()
        for (const part of item.split(';').slice(1)) {
          const match = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(part)
          if (match) params.set(match[1]!, Number(match[2]))
        }
        return params
      })
      .filter((params) => params.size > 0)
  const result: RateLimitHeaders = {}
  for (const params of items(ratelimit)) {
    const requests = params.get('r')
    const resetSeconds = params.get('t')
    if (requests === undefined || resetSeconds === undefined) continue
    if (!result.remaining || requests < result.remaining.requests) {
      result.remaining = { requests, resetSeconds }
    }
  }
  for (const params of items(policy)) {
    const requests = params.get('q')
    const windowSeconds = params.get('w')
    if (requests === undefined || windowSeconds === undefined || requests < 1 || windowSeconds < 1)
      continue
    if (
      !result.policy ||
      requests / windowSeconds < result.policy.requests / result.policy.windowSeconds
    ) {
      result.policy = { requests, windowSeconds }
    }
  }
  return result.remaining || result.policy ? result : undefined
}

/**
 * 1,000: en-US grouping. Whole numbers are grouped by hand, since the first toLocaleString of a process loads the ICU
 * number formatter (60 ms of an S plan's CPU, for the budget's description made when the client is).
 */
function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US')
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',')
}

/** 350 ms, 4.2 s, 4 min 58 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`
  const total = Math.round(ms / 1000)
  const minutes = Math.floor(total / 60)
  const rest = total % 60
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
}
