/**
 * Phase marks: `performance.mark()` at the start and end of each phase of a run, named `phase:<name>:start` and
 * `phase:<name>:end`. Cheap and silent (nothing is printed or sent); the end-to-end benchmark reads them in the
 * bundle's process at exit (bench/e2e/peak-rss.mjs) to show where a plan's wall time goes.
 */
export type PhaseName = 'run' | 'file parse' | 'reads' | 'plan' | 'base plan' | 'render' | 'outputs'

/** Runs `work` between the marks of `name`; for a promise, the end mark comes when it settles. */
export function inPhase<T>(name: PhaseName, work: () => T): T {
  performance.mark(`phase:${name}:start`)
  const end = () => performance.mark(`phase:${name}:end`)
  let result: T
  try {
    result = work()
  } catch (error) {
    end()
    throw error
  }
  if (result instanceof Promise) {
    result.then(end, end)
    return result
  }
  end()
  return result
}
