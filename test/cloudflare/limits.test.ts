import { describe, expect, it } from 'vitest'
import {
  createLimiter,
  createRequestBudget,
  mapConcurrently,
  parseRateLimitHeaders
} from '../../src/cloudflare/limits.js'

/** A task whose end the test decides. */
function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((done) => (resolve = done))
  return { promise, resolve }
}

const flush = () => new Promise((done) => setImmediate(done))

describe('createLimiter', () => {
  it('runs exactly `limit` tasks at once, then one more per finished task, in FIFO order', async () => {
    const run = createLimiter(2)
    const gates = [0, 1, 2, 3, 4].map(() => deferred())
    const started: number[] = []
    const all = gates.map((gate, index) =>
      run(async () => {
        started.push(index)
        await gate.promise
        return index
      })
    )
    await flush()
    expect(started).toEqual([0, 1])

    gates[1]!.resolve()
    await flush()
    expect(started).toEqual([0, 1, 2])

    // A newcomer arriving while a slot is being handed over waits its turn behind the queue.
    gates[0]!.resolve()
    const late = run(async () => {
      started.push(5)
    })
    await flush()
    expect(started).toEqual([0, 1, 2, 3])

    for (const gate of gates) gate.resolve()
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4])
    await late
    expect(started).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('frees the slot when a task throws', async () => {
    const run = createLimiter(1)
    await expect(run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await run(async () => 'next')).toBe('next')
  })
})

describe('mapConcurrently', () => {
  it('keeps input order and never has more than `limit` callbacks in flight', async () => {
    let inFlight = 0
    let peak = 0
    const results = await mapConcurrently([5, 1, 4, 2, 3], 3, async (value) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      for (let tick = 0; tick < value; tick++) await flush()
      inFlight--
      return value * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30])
    expect(peak).toBe(3)
  })
})

describe('createRequestBudget', () => {
  /** A clock that only moves when the budget sleeps, and every sleep recorded. */
  function fakeTime(start = 1_000_000) {
    const time = { now: start, sleeps: [] as number[], waits: [] as string[] }
    return {
      time,
      options: {
        now: () => time.now,
        sleep: async (ms: number) => {
          time.sleeps.push(ms)
          time.now += ms
        },
        onWait: (message: string) => void time.waits.push(message)
      }
    }
  }

  it('waits for the oldest request to leave its window, and says how long and why', async () => {
    const { time, options } = fakeTime()
    const budget = createRequestBudget({
      requests: 3,
      windowMs: 300_000,
      source: 'input cloudflare-request-budget',
      ...options
    })
    for (let i = 0; i < 3; i++) {
      await budget.take()
      budget.answered()
      time.now += 1_000
    }
    await budget.take()
    expect(time.sleeps).toEqual([297_000])
    expect(time.waits).toEqual([
      "Cloudflare request budget: waiting 4 min 57 s, because 3 requests per 5 min are this run's budget (input cloudflare-request-budget)."
    ])
    expect(budget.waitedMs).toBe(297_000)
  })

  it('follows Cloudflare’s Ratelimit header: nothing left means waiting for its reset', async () => {
    const { time, options } = fakeTime()
    const budget = createRequestBudget({ requests: 1000, windowMs: 300_000, ...options })
    await budget.take()
    budget.answered(parseRateLimitHeaders('"default";r=2;t=42', null))
    await budget.take()
    await budget.take()
    expect(time.sleeps).toEqual([])
    await budget.take()
    expect(time.sleeps).toEqual([42_000])
    expect(time.waits).toEqual([
      'Cloudflare request budget: waiting 42 s, because Cloudflare says no requests are left for this token until its rate-limit window resets (Ratelimit header; the dashboard and other tools on the token count too).'
    ])
  })

  it('counts requests still in flight against what Cloudflare says is left', async () => {
    const { time, options } = fakeTime()
    const budget = createRequestBudget({ requests: 1000, windowMs: 300_000, ...options })
    await budget.take()
    await budget.take()
    await budget.take()
    // The first answer says 3 are left; the two still in flight may not be counted in it yet.
    budget.answered(parseRateLimitHeaders('"default";r=3;t=10', null))
    await budget.take()
    expect(time.sleeps).toEqual([])
    await budget.take()
    expect(time.sleeps).toEqual([10_000])
  })

  it('follows a Ratelimit-Policy narrower than its own budget', async () => {
    const { time, options } = fakeTime()
    const budget = createRequestBudget({ requests: 1000, windowMs: 300_000, ...options })
    await budget.take()
    budget.answered(parseRateLimitHeaders(null, '"burst";q=2;w=60'))
    await budget.take()
    await budget.take()
    expect(time.sleeps).toEqual([60_000])
    expect(time.waits).toEqual([
      "Cloudflare request budget: waiting 1 min, because Cloudflare's policy for this token is 2 requests per 1 min (Ratelimit-Policy header)."
    ])
  })

  it('paces to the per-second limit without logging the sub-second pacing', async () => {
    const { time, options } = fakeTime()
    const budget = createRequestBudget({
      requests: 1000,
      windowMs: 300_000,
      perSecond: 200,
      ...options
    })
    for (let i = 0; i < 201; i++) await budget.take()
    expect(time.sleeps).toEqual([1_000])
    expect(time.waits).toEqual([])
  })
})

describe('parseRateLimitHeaders', () => {
  it('reads Cloudflare’s structured fields and keeps the most constraining item', () => {
    expect(parseRateLimitHeaders('"default";r=50;t=30', '"default";q=1200;w=300')).toEqual({
      remaining: { requests: 50, resetSeconds: 30 },
      policy: { requests: 1200, windowSeconds: 300 }
    })
    expect(
      parseRateLimitHeaders('"a";r=50;t=30, "b";r=7;t=4', '"a";q=1200;w=300, "burst";q=100;w=60')
    ).toEqual({
      remaining: { requests: 7, resetSeconds: 4 },
      policy: { requests: 100, windowSeconds: 60 }
    })
  })

  it('ignores absent and unreadable headers', () => {
    expect(parseRateLimitHeaders(null, null)).toBeUndefined()
    expect(parseRateLimitHeaders('limit=5', '"x";q=0;w=60')).toBeUndefined()
  })
})
