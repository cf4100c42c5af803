/** Review periods in UTC: the key names the access-review issue, so one issue exists per period. */
import type { ReviewSettings } from '../model/index.js'

export type ReviewPeriodKind = 'month' | 'quarter' | 'week'

export interface ReviewPeriod {
  /** 2026-11, 2026-Q4 or 2026-W48 (ISO week and ISO week-year). */
  key: string
  /** For people: November 2026, Q4 2026, Week 48 of 2026. */
  title: string
  /** First day, YYYY-MM-DD. */
  start: string
  /** Last day (inclusive), YYYY-MM-DD. */
  end: string
}

const DAY_MS = 86_400_000
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
]

export function reviewPeriod(now: Date, period: ReviewPeriodKind): ReviewPeriod {
  if (Number.isNaN(now.getTime())) throw new Error('reviewPeriod needs a valid date for `now`.')
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  switch (period) {
    case 'month':
      return {
        key: `${year}-${pad(month + 1)}`,
        title: `${MONTHS[month]} ${year}`,
        start: day(Date.UTC(year, month, 1)),
        end: day(Date.UTC(year, month + 1, 0))
      }
    case 'quarter': {
      const quarter = Math.floor(month / 3) + 1
      return {
        key: `${year}-Q${quarter}`,
        title: `Q${quarter} ${year}`,
        start: day(Date.UTC(year, (quarter - 1) * 3, 1)),
        end: day(Date.UTC(year, quarter * 3, 0))
      }
    }
    case 'week': {
      const midnight = Date.UTC(year, month, now.getUTCDate())
      const weekday = (new Date(midnight).getUTCDay() + 6) % 7 // Monday = 0
      const monday = midnight - weekday * DAY_MS
      // ISO 8601: a week belongs to the year of its Thursday; week 1 holds the year's first Thursday.
      const thursday = monday + 3 * DAY_MS
      const weekYear = new Date(thursday).getUTCFullYear()
      const firstThursday = firstThursdayOf(weekYear)
      const week = 1 + Math.round((thursday - firstThursday) / (7 * DAY_MS))
      return {
        key: `${weekYear}-W${pad(week)}`,
        title: `Week ${week} of ${weekYear}`,
        start: day(monday),
        end: day(monday + 6 * DAY_MS)
      }
    }
  }
}

/** The period a key names (2026-11, 2026-Q4, 2026-W48); undefined for anything else. */
export function periodFromKey(key: string): ReviewPeriod | undefined {
  let match = /^(\d{4})-(\d{2})$/.exec(key)
  if (match && Number(match[2]) >= 1 && Number(match[2]) <= 12) {
    return reviewPeriod(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)), 'month')
  }
  match = /^(\d{4})-Q([1-4])$/.exec(key)
  if (match) {
    return reviewPeriod(
      new Date(Date.UTC(Number(match[1]), (Number(match[2]) - 1) * 3, 1)),
      'quarter'
    )
  }
  match = /^(\d{4})-W(\d{2})$/.exec(key)
  if (match) {
    const thursday = firstThursdayOf(Number(match[1])) + (Number(match[2]) - 1) * 7 * DAY_MS
    const period = reviewPeriod(new Date(thursday), 'week')
    return period.key === key ? period : undefined
  }
  return undefined
}

export const DEFAULT_DUE_DAYS = 14

/** The review's due date from the file's settings, the days left until it, and the policy for undecided grants. */
export function reviewDue(
  settings: ReviewSettings | undefined,
  period: ReviewPeriod,
  now: Date
): { date: string; daysLeft: number; onNoDecision: 'keep' | 'revoke' } {
  const date = reviewDueDate(period, settings?.dueDays ?? DEFAULT_DUE_DAYS)
  return { date, daysLeft: daysUntilDue(date, now), onNoDecision: settings?.onNoDecision ?? 'keep' }
}

/** The day by which a period's grants must be decided: `dueDays` after its first day. */
export function reviewDueDate(period: ReviewPeriod, dueDays: number): string {
  return day(Date.parse(`${period.start}T00:00:00Z`) + dueDays * DAY_MS)
}

/** Whole UTC days from `now` to the due date: negative once it has passed, 0 on the day itself. */
export function daysUntilDue(due: string, now: Date): number {
  const today = Math.floor(now.getTime() / DAY_MS)
  return Math.round(Date.parse(`${due}T00:00:00Z`) / DAY_MS) - today
}

function firstThursdayOf(year: number): number {
  const jan4 = Date.UTC(year, 0, 4)
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7
  return jan4 - weekday * DAY_MS + 3 * DAY_MS
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}
