/** Request durations as people write them (`4h`, `3d`, `1d12h`), for the form, the policy and the end time. */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const
type Unit = keyof typeof UNIT_MS
const UNIT_NAMES: Record<Unit, string> = { w: 'week', d: 'day', h: 'hour', m: 'minute' }

const DURATION = /^(?:\d{1,4}[mhdw])+$/
const PART = /(\d{1,4})([mhdw])/g

/** Longest duration anyone may write, whatever a policy says: a year. */
export const MAX_DURATION_MS = 366 * UNIT_MS.d
/** The most a request may ask for when `requests:` gives no max_duration. */
export const DEFAULT_MAX_DURATION = '7d'

export const DURATION_HINT =
  'write a number and a unit, such as 30m, 4h, 3d or 2w (m minutes, h hours, d days, w weeks); parts add up, as in 1d12h.'

/** Milliseconds, or undefined when the text is not a duration of at least one minute and at most a year. */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '')
  if (!DURATION.test(compact)) return undefined
  let total = 0
  for (const [, count, unit] of compact.matchAll(PART))
    total += Number(count) * UNIT_MS[unit as Unit]
  return total >= UNIT_MS.m && total <= MAX_DURATION_MS ? total : undefined
}

/** `1 day 12 hours`: what a duration means, for comments. */
export function describeDuration(ms: number): string {
  const parts: string[] = []
  let rest = ms
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const count = Math.floor(rest / UNIT_MS[unit])
    rest -= count * UNIT_MS[unit]
    if (count > 0) parts.push(`${count} ${UNIT_NAMES[unit]}${count === 1 ? '' : 's'}`)
  }
  return parts.length === 0 ? 'less than a minute' : parts.join(' ')
}

/** Why `text` is not a duration, or undefined when it is one. */
export function durationProblem(text: string): string | undefined {
  if (parseDuration(text) !== undefined) return undefined
  return `${JSON.stringify(text)} is not a duration of at least a minute and at most a year; ${DURATION_HINT}`
}
