import type { RemovalLimit } from '../model/index.js'

const COUNT = /^\d+$/
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/

/**
 * Why a textual removal limit is malformed, or undefined when it is fine.
 * Shared by the access file schema (`settings.max_removals`) and the `max-removals` action input so both accept the same text.
 */
export function removalLimitProblem(text: string): string | undefined {
  const value = text.trim()
  if (COUNT.test(value)) return undefined
  const percent = PERCENT.exec(value)
  if (percent) {
    return Number(percent[1]) <= 100
      ? undefined
      : `${JSON.stringify(text)} is more than 100%; write a percentage from 0% to 100%.`
  }
  if (/^-\s*\d/.test(value)) {
    return `${JSON.stringify(text)} is negative; write a number of removals such as 10 (0 allows none) or a percentage such as "25%".`
  }
  return `${JSON.stringify(text)} is not a removal limit; write a number of removals such as 10 or a percentage such as "25%".`
}

/** Converts text already accepted by removalLimitProblem. */
function toRemovalLimit(text: string): RemovalLimit {
  const value = text.trim()
  const percent = PERCENT.exec(value)
  return percent
    ? { kind: 'percent', value: Number(percent[1]) }
    : { kind: 'count', value: Number(value) }
}

/**
 * Reads the `max-removals` action input: "10" (a count) or "25%" (a share of the grants under management).
 * An empty input means "not set" and gives undefined.
 */
export function parseRemovalLimit(value: string): RemovalLimit | undefined {
  if (value.trim() === '') return undefined
  const problem = removalLimitProblem(value)
  if (problem) throw new Error(`Input max-removals: ${problem}`)
  return toRemovalLimit(value)
}

/** The file's max_removals: a non-negative integer, or a string parseRemovalLimit accepts. */
export function removalLimitFromFile(value: number | string): RemovalLimit {
  return typeof value === 'number' ? { kind: 'count', value } : toRemovalLimit(value)
}
