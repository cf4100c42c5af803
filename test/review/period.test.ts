import { describe, expect, it } from 'vitest'
import { daysUntilDue, periodFromKey, reviewDueDate, reviewPeriod } from '../../src/review/index.js'

const at = (iso: string) => new Date(iso)

describe('reviewPeriod', () => {
  it('names months', () => {
    expect(reviewPeriod(at('2026-11-14T09:30:00Z'), 'month')).toEqual({
      key: '2026-11',
      title: 'November 2026',
      start: '2026-11-01',
      end: '2026-11-30'
    })
    expect(reviewPeriod(at('2028-02-29T23:59:59Z'), 'month').end).toBe('2028-02-29')
  })

  it('names quarters', () => {
    expect(reviewPeriod(at('2026-11-14T00:00:00Z'), 'quarter')).toEqual({
      key: '2026-Q4',
      title: 'Q4 2026',
      start: '2026-10-01',
      end: '2026-12-31'
    })
    expect(reviewPeriod(at('2026-03-31T23:59:59Z'), 'quarter').key).toBe('2026-Q1')
    expect(reviewPeriod(at('2026-04-01T00:00:00Z'), 'quarter').key).toBe('2026-Q2')
  })

  it('uses UTC, not the local time zone', () => {
    // The UTC instant decides: 23:30 UTC on 31 December is December wherever the runner is; 23:30 at
    // UTC-5 is already 04:30 UTC on 1 January.
    expect(reviewPeriod(at('2026-12-31T23:30:00Z'), 'month').key).toBe('2026-12')
    expect(reviewPeriod(at('2026-12-31T23:30:00-05:00'), 'month').key).toBe('2027-01')
  })

  it('names ISO weeks', () => {
    expect(reviewPeriod(at('2026-11-25T12:00:00Z'), 'week')).toEqual({
      key: '2026-W48',
      title: 'Week 48 of 2026',
      start: '2026-11-23',
      end: '2026-11-29'
    })
  })

  it('puts ISO weeks at year boundaries in the week-year of their Thursday', () => {
    // 1 January 2027 is a Friday: it belongs to the last week of 2026, which has 53 weeks.
    expect(reviewPeriod(at('2027-01-01T00:00:00Z'), 'week')).toMatchObject({
      key: '2026-W53',
      start: '2026-12-28',
      end: '2027-01-03'
    })
    // 29 December 2025 is a Monday in week 1 of 2026 (1 January 2026 is a Thursday).
    expect(reviewPeriod(at('2025-12-29T00:00:00Z'), 'week')).toMatchObject({
      key: '2026-W01',
      start: '2025-12-29',
      end: '2026-01-04'
    })
    expect(reviewPeriod(at('2025-12-28T23:59:59Z'), 'week').key).toBe('2025-W52')
    expect(reviewPeriod(at('2027-01-04T00:00:00Z'), 'week').key).toBe('2027-W01')
    // A Sunday stays in the week that started the Monday before.
    expect(reviewPeriod(at('2026-11-29T23:59:59Z'), 'week').key).toBe('2026-W48')
  })

  it('rejects an invalid date', () => {
    expect(() => reviewPeriod(new Date('nope'), 'month')).toThrow(
      'reviewPeriod needs a valid date for `now`.'
    )
  })
})

describe('periodFromKey', () => {
  it('gives back the period each key names', () => {
    for (const [at, kind] of [
      ['2026-11-14T00:00:00Z', 'month'],
      ['2026-12-31T23:00:00Z', 'quarter'],
      ['2027-01-01T00:00:00Z', 'week'],
      ['2026-06-10T00:00:00Z', 'week']
    ] as const) {
      const period = reviewPeriod(new Date(at), kind)
      expect(periodFromKey(period.key)).toEqual(period)
    }
  })

  it('refuses keys that name no period', () => {
    for (const key of ['2026-13', '2026-Q5', '2026-W54', 'latest', '2026-W00']) {
      expect(periodFromKey(key)).toBeUndefined()
    }
  })
})

describe('the due date', () => {
  it('is due_days after the first day; days left count down through 0 to negative', () => {
    const period = reviewPeriod(new Date('2026-12-05T00:00:00Z'), 'month')
    const due = reviewDueDate(period, 14)
    expect(due).toBe('2026-12-15')
    expect(daysUntilDue(due, new Date('2026-12-08T23:59:00Z'))).toBe(7)
    expect(daysUntilDue(due, new Date('2026-12-15T12:00:00Z'))).toBe(0)
    expect(daysUntilDue(due, new Date('2026-12-16T00:00:00Z'))).toBe(-1)
  })
})
