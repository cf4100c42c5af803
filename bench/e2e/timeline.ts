/**
 * When each request to a loopback server arrived and was answered, read from the server's own request log: both the
 * emulator and the GitHub fake push an entry on arrival and set its `status` when they answer.
 */
import { performance } from 'node:perf_hooks'

export interface Span {
  start: number
  end: number
}

/** Records a span for every entry pushed onto `log` from now on; the returned list fills as requests are answered. */
export function recordSpans(log: { status: number }[]): Span[] {
  const spans: Span[] = []
  const push = log.push.bind(log)
  log.push = (...entries) => {
    for (const entry of entries) {
      const span = { start: performance.now(), end: Number.NaN }
      spans.push(span)
      let status = entry.status
      Object.defineProperty(entry, 'status', {
        enumerable: true,
        get: () => status,
        set: (value: number) => {
          status = value
          span.end = performance.now()
        }
      })
    }
    return push(...entries)
  }
  return spans
}

/** From the first arrival to the last answer, in ms; 0 without requests. */
export function extent(spans: readonly Span[]): number {
  if (spans.length === 0) return 0
  return Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start))
}

/** The longest stretch, between the first arrival and the last answer, with no request in flight on any server. */
export function longestQuietGap(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  let gap = 0
  let busyUntil = sorted[0]?.end ?? 0
  for (const span of sorted.slice(1)) {
    if (span.start > busyUntil) gap = Math.max(gap, span.start - busyUntil)
    busyUntil = Math.max(busyUntil, span.end)
  }
  return gap
}

/** How long at least one of `spans` was in flight: their union, in ms. */
export function busyTime(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  let total = 0
  let from = sorted[0]?.start ?? 0
  let to = sorted[0]?.end ?? 0
  for (const span of sorted.slice(1)) {
    if (span.start > to) {
      total += to - from
      from = span.start
    }
    to = Math.max(to, span.end)
  }
  return sorted.length === 0 ? 0 : total + (to - from)
}
