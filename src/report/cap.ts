/** Size budgets: GitHub rejects comment and issue bodies over 65,536 characters and step summaries over 1 MiB. */

export const DEFAULT_MAX_LENGTH = 60_000
export const SUMMARY_MAX_BYTES = 1024 * 1024

export type Measure = (text: string) => number

export const measureChars: Measure = (text) => text.length
export const measureUtf8Bytes: Measure = (text) => Buffer.byteLength(text, 'utf8')

/**
 * Picks the most detailed rendering that fits. `render(level, shortened)` is called with levels from 0 (full
 * detail) to `levels - 1`; `shortened` tells it to show the visible "this was shortened" note. When even the
 * least detailed rendering is too long, it is cut at a line boundary with a closing line saying so.
 */
export function renderWithinLimit(
  render: (level: number, shortened: boolean) => string,
  levels: number,
  limit: number,
  measure: Measure = measureChars
): string {
  for (let level = 0; level < levels; level++) {
    const text = render(level, level > 0)
    if (measure(text) <= limit) return text
  }
  return cutAtLines(render(levels - 1, true), limit, measure).text
}

/** How much of a report's lists a rendering shows. */
export interface RowDetail {
  /** Free-text reasons next to each row; the first thing left out. */
  reasons: boolean
  /** Rows shown of the main list (a plan's changes); the rest are counted, never silently dropped. */
  rows: number
  /** Rows shown of each secondary list (findings, names, what groups open); cut before the main list. */
  otherRows: number
}

export interface KeptRows {
  text: string
  detail: RowDetail
  /** Every row of the main list is in the text (reasons may be left out). */
  complete: boolean
}

/**
 * Keeps the detailed rows: every row with reasons, then every row without reasons, then as many rows of each
 * secondary list as fit, then as many rows of the main list as fit (the renderer counts what it leaves out). Only
 * when no row at all fits is the text cut at a line boundary, saying so. `rows` and `otherRows` are the lengths of
 * the main list and of the longest secondary list, so `{rows, otherRows}` shows everything.
 */
export function renderKeepingRows(
  render: (detail: RowDetail) => string,
  lengths: { rows: number; otherRows: number },
  limit: number,
  measure: Measure = measureChars
): KeptRows {
  const fits = (detail: RowDetail) => measure(render(detail)) <= limit
  for (const reasons of [true, false]) {
    const detail = { reasons, ...lengths }
    if (fits(detail)) return { text: render(detail), detail, complete: true }
  }
  const others = largestFitting(lengths.otherRows - 1, (otherRows) =>
    fits({ reasons: false, rows: lengths.rows, otherRows })
  )
  if (others !== undefined) {
    const detail = { reasons: false, rows: lengths.rows, otherRows: others }
    return { text: render(detail), detail, complete: true }
  }
  const rows = largestFitting(lengths.rows - 1, (rows) =>
    fits({ reasons: false, rows, otherRows: 0 })
  )
  const detail = { reasons: false, rows: rows ?? 0, otherRows: 0 }
  const text = render(detail)
  return { text: cutAtLines(text, limit, measure).text, detail, complete: false }
}

/** The largest n in [0, max] with fits(n), by binary search (fits is monotone); undefined when not even 0 fits. */
function largestFitting(max: number, fits: (n: number) => boolean): number | undefined {
  if (max < 0 || !fits(0)) return undefined
  let low = 0
  let high = max
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (fits(mid)) low = mid
    else high = mid - 1
  }
  return low
}

/** The longest prefix of whole lines that fits, with a closing line saying how many lines were cut. */
function cutAtLines(text: string, limit: number, measure: Measure): { text: string } {
  if (measure(text) <= limit) return { text }
  const lines = text.split('\n')
  const cutNote = (dropped: number) =>
    `\n\n_… ${dropped} more ${dropped === 1 ? 'line' : 'lines'} cut to stay within GitHub's size limit._`
  let low = 0
  let high = lines.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    const candidate = lines.slice(0, mid).join('\n') + cutNote(lines.length - mid)
    if (measure(candidate) <= limit) low = mid
    else high = mid - 1
  }
  // A single enormous line can still be too long: cut by characters as a last resort.
  let out = lines.slice(0, low).join('\n') + cutNote(lines.length - low)
  while (measure(out) > limit) out = out.slice(0, Math.floor(out.length * 0.9))
  return { text: out }
}
