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
  const text = render(levels - 1, true)
  const lines = text.split('\n')
  const cutNote = (dropped: number) =>
    `\n\n_… ${dropped} more ${dropped === 1 ? 'line' : 'lines'} cut to stay within GitHub's size limit._`
  // Binary search for the longest prefix of whole lines that fits with the closing note.
  let low = 0
  let high = lines.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    const candidate = lines.slice(0, mid).join('\n') + cutNote(lines.length - mid)
    if (measure(candidate) <= limit) low = mid
    else high = mid - 1
  }
  const result = lines.slice(0, low).join('\n') + cutNote(lines.length - low)
  // A single enormous line can still be too long: cut by characters as a last resort.
  let out = result
  while (measure(out) > limit) out = out.slice(0, Math.floor(out.length * 0.9))
  return out
}
