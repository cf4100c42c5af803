// Preloaded into the bundle's Node (--import) when a test makes waits fast: every timer runs after a thousandth of
// its delay, so a GitHub `retry-after: 60` or a retry's back-off takes milliseconds. What is retried, and how often,
// is unchanged: the test asserts requests and outcomes, never timings.
const realSetTimeout = globalThis.setTimeout
globalThis.setTimeout = function fastSetTimeout(callback, delay, ...args) {
  return realSetTimeout(callback, Math.ceil((Number(delay) || 0) / 1000), ...args)
}
