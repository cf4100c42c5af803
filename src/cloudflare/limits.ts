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
  /** Resolves when one more request fits in the window, sleeping when the budget is spent. */
  take(): Promise<void>
}

/**
 * A sliding-window budget kept below Cloudflare's 1,200 requests per 5 minutes: hitting the real
 * limit blocks every API call (dashboard included) for five minutes, so waiting here is cheaper.
 * After a sleep the oldest slot counts as free even if the clock says otherwise, so an injected
 * no-op sleep (tests) cannot spin forever.
 */
export function createRequestBudget(
  requests: number,
  windowMs: number,
  sleep: (ms: number) => Promise<void>,
  now: () => number
): RequestBudget {
  const max = Math.max(1, Math.floor(requests))
  const sent: number[] = []
  let queue: Promise<void> = Promise.resolve()
  const takeOne = async (): Promise<void> => {
    const current = now()
    while (sent.length > 0 && sent[0]! <= current - windowMs) sent.shift()
    if (sent.length >= max) {
      await sleep(Math.max(0, sent[0]! + windowMs - current))
      sent.shift()
    }
    sent.push(now())
  }
  return {
    take() {
      // Serialised so that two waiters never claim the same freed slot.
      const next = queue.then(takeOne)
      queue = next.catch(() => undefined)
      return next
    }
  }
}
