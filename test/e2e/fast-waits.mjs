// Preloaded into the bundle's Node (--import) when a test makes waits fast: every wait of a second or more (a GitHub
// `retry-after: 60`, a retry's back-off, the GitHub client's pacing of writes) runs after a thousandth of its delay.
// What is sent, retried and how often is unchanged: the test asserts requests and outcomes, never timings.
//
// Shorter timers keep their length: the HTTP client (undici) counts its own timeouts in ticks of 499 ms, and a shrunk
// tick turns its 300 s headers timeout into 0.3 s, so a slow answer on a busy machine would be retried as lost.
//
// The clock moves with the shrunk timers: when one fires, `Date.now()` and `new Date()` are at least the time it was
// due, as if its whole delay had passed. Without that, a limiter that spaces requests by the clock (one issue or
// comment every 3 s) sees almost no time pass, queues each request further into the future than the last, and n
// writes wait 1 + 2 + ... + n shrunk delays instead of n.
const RealDate = Date
const realSetTimeout = globalThis.setTimeout
const SHRINK_FROM_MS = 1000
let skipped = 0
const now = () => RealDate.now() + skipped

class MovingDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(now())
    else super(...args)
  }
  static now() {
    return now()
  }
}
globalThis.Date = MovingDate

globalThis.setTimeout = function fastSetTimeout(callback, delay, ...args) {
  const wait = Number(delay) || 0
  if (typeof callback !== 'function' || wait < SHRINK_FROM_MS) {
    return realSetTimeout(callback, delay, ...args)
  }
  const due = now() + wait
  return realSetTimeout(
    (...passed) => {
      const behind = due - now()
      if (behind > 0) skipped += behind
      callback(...passed)
    },
    Math.ceil(wait / 1000),
    ...args
  )
}
