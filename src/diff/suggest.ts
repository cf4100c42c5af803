import { distance } from 'fastest-levenshtein'
import { compareStrings } from './email.js'

const MAX_SUGGESTIONS = 3

/**
 * Names close to `wanted`: equal ignoring case, or a few edits away. The allowed distance grows with the
 * name's length (a third of it, at most 3) so short names do not match everything.
 */
export function suggestNames(wanted: string, candidates: Iterable<string>): string[] {
  const lower = wanted.toLowerCase()
  const allowed = Math.min(3, Math.max(1, Math.floor(wanted.length / 3)))
  const scored: { name: string; score: number }[] = []
  const seen = new Set<string>()
  for (const name of candidates) {
    if (name === wanted || seen.has(name)) continue
    seen.add(name)
    const score = distance(lower, name.toLowerCase())
    if (score <= allowed) scored.push({ name, score })
  }
  scored.sort((a, b) => a.score - b.score || compareStrings(a.name, b.name))
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.name)
}

/** ` Did you mean "a" or "b"?` or an empty string. */
export function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return ''
  const quoted = suggestions.map((s) => `"${s}"`)
  const list =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
  return ` Did you mean ${list}?`
}
